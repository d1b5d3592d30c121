package io.rustrade.supervisor.core;

import io.rustrade.supervisor.Jitter;
import io.rustrade.supervisor.core.internal.Durations;
import java.util.random.RandomGenerator;

/** Draws restart delays in nanoseconds as each {@link Jitter} strategy says. */
final class JitterDraw {

    private JitterDraw() {}

    /**
     * Draws one delay in nanoseconds.
     *
     * @param jitter the strategy
     * @param ceiling the exponential ceiling for the current attempt, within {@code [base, max]}
     * @param base the base delay, greater than 0
     * @param max the maximum delay, at least {@code base}
     * @param previous the previous delay drawn ({@code base} before the first)
     * @param random the source of randomness
     */
    static long delayNanos(Jitter jitter, long ceiling, long base, long max, long previous, RandomGenerator random) {
        return switch (jitter) {
            case FULL -> uniform(random, 0, ceiling);
            case EQUAL -> {
                long half = ceiling / 2;
                // ceiling - half, not half, so that an odd ceiling is still reachable.
                yield half + uniform(random, 0, ceiling - half);
            }
            case DECORRELATED ->
                Math.min(max, uniform(random, base, Durations.tripleSaturated(Math.max(previous, base))));
            case NONE -> ceiling;
        };
    }

    /** Uniform in {@code [low, high]}, both inclusive, for {@code 0 <= low <= high}. */
    static long uniform(RandomGenerator random, long low, long high) {
        // Drawn from (low - 1, high], as wide as [low, high]: high + 1 would overflow when high is Long.MAX_VALUE,
        // low - 1 cannot since low is not negative.
        return random.nextLong(low - 1, high) + 1;
    }
}
