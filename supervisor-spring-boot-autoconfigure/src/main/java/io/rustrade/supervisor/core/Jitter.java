package io.rustrade.supervisor.core;

import java.util.random.RandomGenerator;

/**
 * How a restart delay is drawn from the exponential ceiling, to keep services that failed together from
 * restarting together (the thundering herd).
 *
 * <p>{@code ceiling = min(max-delay, base-delay × 2^(attempt−1))}. Every strategy returns a delay in
 * {@code [0, max-delay]}, at the cap too.
 */
public enum Jitter {

    /** Uniform in {@code [0, ceiling]}: the widest spread, the default. */
    FULL {
        @Override
        long delayNanos(long ceiling, long base, long max, long previous, RandomGenerator random) {
            return uniform(random, 0, ceiling);
        }
    },

    /** {@code ceiling/2 + uniform[0, ceiling/2]}: never less than half the ceiling. */
    EQUAL {
        @Override
        long delayNanos(long ceiling, long base, long max, long previous, RandomGenerator random) {
            long half = ceiling / 2;
            // ceiling - half, not half, so that an odd ceiling is still reachable.
            return half + uniform(random, 0, ceiling - half);
        }
    },

    /**
     * {@code min(max-delay, uniform[base-delay, 3 × previous delay])}, where the previous delay starts at
     * {@code base-delay} and restarts there after a reset. It ignores the attempt count: each delay grows
     * from the last one drawn.
     */
    DECORRELATED {
        @Override
        long delayNanos(long ceiling, long base, long max, long previous, RandomGenerator random) {
            long upper = Durations.tripleSaturated(Math.max(previous, base));
            return Math.min(max, uniform(random, base, upper));
        }
    },

    /** Exactly the ceiling: predictable, but services that fail together retry together. */
    NONE {
        @Override
        long delayNanos(long ceiling, long base, long max, long previous, RandomGenerator random) {
            return ceiling;
        }
    };

    /**
     * Draws one delay in nanoseconds.
     *
     * @param ceiling the exponential ceiling for the current attempt, within {@code [base, max]}
     * @param base the base delay, greater than 0
     * @param max the maximum delay, at least {@code base}
     * @param previous the previous delay drawn ({@code base} before the first)
     * @param random the source of randomness
     */
    abstract long delayNanos(long ceiling, long base, long max, long previous, RandomGenerator random);

    /** Uniform in {@code [low, high]}, both inclusive, for {@code 0 <= low <= high}. */
    static long uniform(RandomGenerator random, long low, long high) {
        if (low == high) {
            return low;
        }
        if (high < Long.MAX_VALUE) {
            return random.nextLong(low, high + 1);
        }
        // high + 1 would overflow: draw from (low - 1, high] instead, which has the same width.
        return random.nextLong(low - 1, high) + 1;
    }
}
