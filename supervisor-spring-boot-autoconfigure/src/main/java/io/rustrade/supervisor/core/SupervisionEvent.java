package io.rustrade.supervisor.core;

import io.rustrade.supervisor.ReleasedFailureException;
import io.rustrade.supervisor.core.internal.CapturedFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Something that happened to a supervised service, as told to {@link SupervisionListener}s: the source
 * of application events, meters and each service's history.
 */
public sealed interface SupervisionEvent {

    /** The service's name. */
    String service();

    /** When it happened (wall clock). */
    Instant at();

    /** The service became supervised; its snapshot exists from now on. */
    record Registered(String service, Instant at) implements SupervisionEvent {}

    /** The service is no longer supervised. */
    record Unregistered(String service, Instant at) implements SupervisionEvent {}

    /** The service started successfully and runs. */
    record Started(String service, Instant at) implements SupervisionEvent {}

    /**
     * The service failed.
     *
     * <p>A listener that keeps up gets the exception that failed the service. One that is behind — the
     * event was queued for it while {@value EventDispatcher#MAX_WAITING_ORIGINALS} failures not yet
     * delivered to it held their exception — gets the event {@link #released()} instead: {@link #cause()}
     * is then a {@link ReleasedFailureException} telling the exception's class name and message (cut to
     * {@value CapturedFailure#MAX_MESSAGE_LENGTH} characters), and everything else is the same.
     *
     * @param failure what failed, as captured when it was reported; {@link #cause()} is the exception
     * @param attempt the consecutive failure count, this failure included
     * @param runTime how long the run lasted, or {@code null} when it failed while starting
     * @param restartIn the backoff delay of the restart this failure leads to, or {@code null} when it
     *     leads to none (the circuit opens, the service gives up, or supervision has ended); the
     *     {@link RestartScheduled} event follows
     */
    record Failed(
            String service, Instant at, CapturedFailure failure, int attempt, Duration runTime, Duration restartIn)
            implements SupervisionEvent {

        /** A failure of the given exception, captured now. */
        public Failed(String service, Instant at, Throwable cause, int attempt, Duration runTime, Duration restartIn) {
            this(service, at, CapturedFailure.of(cause), attempt, runTime, restartIn);
        }

        /**
         * The exception that failed the service, or, when the event waited long for delivery, a {@link
         * ReleasedFailureException} standing in for it.
         */
        public Throwable cause() {
            return this.failure.exception();
        }

        /** This event without the exception: a {@link ReleasedFailureException} stands in for it. */
        Failed released() {
            CapturedFailure released = this.failure.released();
            return (released == this.failure)
                    ? this
                    : new Failed(this.service, this.at, released, this.attempt, this.runTime, this.restartIn);
        }
    }

    /**
     * A restart was scheduled.
     *
     * @param delay the wait before the restart
     * @param restartAt when the restart is due
     */
    record RestartScheduled(String service, Instant at, Duration delay, Instant restartAt)
            implements SupervisionEvent {}

    /** A restart begins: after a backoff, as a half-open probe, or on an operator's command. */
    record Restarting(String service, Instant at, String reason) implements SupervisionEvent {}

    /**
     * The service stopped because it was asked to.
     *
     * @param runTime how long the run lasted, or {@code null} when it was not running
     */
    record Stopped(String service, Instant at, Duration runTime) implements SupervisionEvent {}

    /**
     * A run loop returned.
     *
     * @param runTime how long the run lasted
     * @param restartIn the delay of the restart that follows (restart policy {@code always}), or {@code
     *     null} when it is not restarted; the {@link RestartScheduled} event follows
     */
    record Completed(String service, Instant at, Duration runTime, Duration restartIn) implements SupervisionEvent {}

    /**
     * The circuit opened.
     *
     * @param failures failures inside the window
     * @param maxFailures the configured {@code max-failures}
     * @param probeAt when a half-open probe is due, or {@code null} when none is
     */
    record CircuitOpened(String service, Instant at, int failures, int maxFailures, Instant probeAt)
            implements SupervisionEvent {}

    /** The circuit closed: a half-open probe ran for the cooldown period, or an operator acted. */
    record CircuitClosed(String service, Instant at, String reason) implements SupervisionEvent {}

    /** The service ended up {@code FAILED}: a fatal exception, or restart policy {@code never}. */
    record GaveUp(String service, Instant at, String reason) implements SupervisionEvent {}

    /** An operator cleared the service's history. */
    record Reset(String service, Instant at) implements SupervisionEvent {}

    /**
     * The service was stopped, or kept from starting, because {@code waitingFor} (a service it depends on,
     * in its group or in the application context) is not running; it starts again once that one runs. Told
     * again when the service it waits for changes.
     */
    record Waiting(String service, Instant at, String waitingFor) implements SupervisionEvent {}

    /** This instance was granted the leadership of a cluster singleton: the service starts here. */
    record LeadershipGranted(String service, Instant at, String lock) implements SupervisionEvent {}

    /**
     * This instance no longer leads a cluster singleton: the service is stopped here, and not counted as a
     * failure. {@code reason} is {@code lost} (the election revoked it: lock taken or store unreachable),
     * {@code released} (this instance left the election: the application stops), {@code renewal overdue} (not renewed for longer than the lock's time-to-live allows), {@code
     * yielded} (an operator) or {@code failover} (its circuit opened).
     */
    record LeadershipRevoked(String service, Instant at, String lock, String reason) implements SupervisionEvent {}

    /**
     * A call into the service outlived its timeout and was abandoned: its thread was interrupted and stays
     * with it, and the service is not called again until it returns ({@link AbandonedCallReturned}).
     *
     * @param call what was called, such as {@code start()}
     * @param timeout the timeout it outlived
     * @param stack where the call's thread was when it was abandoned (empty if it returned meanwhile)
     */
    record CallAbandoned(String service, Instant at, String call, Duration timeout, List<StackTraceElement> stack)
            implements SupervisionEvent {}

    /**
     * A call abandoned earlier returned at last; the service may be called again.
     *
     * @param call what was called, such as {@code start()}
     * @param after how long after it began it returned
     */
    record AbandonedCallReturned(String service, Instant at, String call, Duration after) implements SupervisionEvent {}
}
