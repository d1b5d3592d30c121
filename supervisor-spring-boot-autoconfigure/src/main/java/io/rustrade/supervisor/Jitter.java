package io.rustrade.supervisor;

import java.util.Locale;

/**
 * How a restart delay is drawn from the exponential ceiling ({@code backoff.jitter}), to keep services
 * that failed together from restarting together (the thundering herd).
 *
 * <p>{@code ceiling = min(max-delay, base-delay × 2^(attempt−1))}. Every strategy gives a delay in
 * {@code [0, max-delay]}, at the cap too.
 */
public enum Jitter {

    /** Uniform in {@code [0, ceiling]}: the widest spread, the default. */
    FULL,

    /** {@code ceiling/2 + uniform[0, ceiling/2]}: never less than half the ceiling. */
    EQUAL,

    /**
     * {@code min(max-delay, uniform[base-delay, 3 × previous delay])}, where the previous delay starts at
     * {@code base-delay} and restarts there after a reset. It ignores the attempt count: each delay grows
     * from the last one drawn.
     */
    DECORRELATED,

    /** Exactly the ceiling: predictable, but services that fail together retry together. */
    NONE;

    private final String value = name().toLowerCase(Locale.ROOT);

    /** As configuration and the endpoint write it: {@code full}, {@code equal}, {@code decorrelated}, {@code none}. */
    public String value() {
        return this.value;
    }
}
