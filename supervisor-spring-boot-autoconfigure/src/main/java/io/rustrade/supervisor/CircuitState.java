package io.rustrade.supervisor;

import java.util.Locale;

/**
 * Where a service's circuit breaker stands.
 *
 * <p>{@link #CLOSED}: failures lead to restarts. {@link #OPEN}: the failures inside the window reached
 * {@code max-failures}; nothing restarts the service until an operator acts or, with {@code on-open:
 * half-open}, the open period has passed. {@link #HALF_OPEN}: one probe start is under way; if it runs for
 * the cooldown period the circuit closes, if it fails the circuit opens again.
 */
public enum CircuitState {
    CLOSED,
    OPEN,
    HALF_OPEN;

    private final String value = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** As the endpoint writes it: {@code closed}, {@code open}, {@code half-open}. */
    public String value() {
        return this.value;
    }
}
