package io.rustrade.supervisor;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a service's recent history, as kept for operators (the last {@code events.history-size}
 * per service).
 *
 * @param at when it happened
 * @param type what happened, in lower case with hyphens: {@code started}, {@code failed}, {@code
 *     restart-scheduled}, {@code restarting}, {@code stopping}, {@code stopped}, {@code completed},
 *     {@code circuit-opened}, {@code circuit-closed}, {@code gave-up}, {@code reset}, {@code registered}
 * @param detail a human-readable detail, never {@code null} (empty when there is none)
 */
public record HistoryEntry(Instant at, String type, String detail) {

    public HistoryEntry {
        Objects.requireNonNull(at, "at must not be null");
        Objects.requireNonNull(type, "type must not be null");
        detail = (detail != null) ? detail : "";
    }
}
