package io.rustrade.supervisor;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One entry of a service's recent history, as kept for operators (the last {@code events.history-size}
 * per service).
 *
 * @param at when it happened
 * @param type what happened; written in JSON as its {@link Type#value() value}
 * @param detail a human-readable detail, never {@code null} (empty when there is none)
 */
public record HistoryEntry(Instant at, Type type, String detail) {

    public HistoryEntry {
        Objects.requireNonNull(at, "at must not be null");
        Objects.requireNonNull(type, "type must not be null");
        detail = (detail != null) ? detail : "";
    }

    /** What a history entry tells; the endpoint writes its {@link #value()}. */
    public enum Type {
        /** Supervision of the service began; detail: its kind. */
        REGISTERED,
        /** A start returned, or a run began: the service runs. */
        STARTED,
        /** A failure was counted; detail: the exception's class and message (cut to 500 characters). */
        FAILED,
        /** A restart was scheduled; detail: the delay and why. */
        RESTART_SCHEDULED,
        /** A restart's {@code start()} began, or its run was launched; detail: why. */
        RESTARTING,
        /** A stop began. */
        STOPPING,
        /** A stop ended; detail: how long the service had run. */
        STOPPED,
        /** A run loop returned without being asked to stop. */
        COMPLETED,
        /** The circuit breaker opened; detail: the failures inside the window and what follows. */
        CIRCUIT_OPENED,
        /** The circuit breaker closed; detail: why. */
        CIRCUIT_CLOSED,
        /** Supervision gave the service up ({@code FAILED}); detail: why. */
        GAVE_UP,
        /** An operator reset the service's failure history. */
        RESET,
        /** The service waits for another to run again; detail: which. */
        WAITING,
        /** A cluster singleton would run, but another instance leads it (or none does yet). */
        STANDBY,
        /** A call outlived its timeout and was abandoned; detail: the call, and where its thread was. */
        CALL_ABANDONED,
        /** An abandoned call returned at last; detail: the call and when. */
        CALL_RETURNED,
        /** This instance was granted a singleton's leadership. */
        LEADERSHIP_GRANTED,
        /** This instance lost or gave up a singleton's leadership; detail: why. */
        LEADERSHIP_REVOKED;

        private final String value = name().toLowerCase(Locale.ROOT).replace('_', '-');

        /** As the endpoint writes it, in lower case with hyphens: {@code restart-scheduled}. */
        public String value() {
            return this.value;
        }
    }
}
