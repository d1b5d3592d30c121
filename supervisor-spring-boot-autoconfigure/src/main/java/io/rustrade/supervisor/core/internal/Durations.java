package io.rustrade.supervisor.core.internal;

import java.time.Duration;

/**
 * Conversions between {@link Duration} and the saturated nanosecond counts the core computes with.
 *
 * <p>The core works in {@code long} nanoseconds: that is the resolution of {@link io.rustrade.supervisor.core.NanoClock}, and it
 * keeps the per-failure path free of allocation. A {@code long} holds about 292 years of nanoseconds;
 * longer durations saturate to {@link Long#MAX_VALUE} instead of overflowing, which for a supervisor
 * means "forever".
 */
public final class Durations {

    private static final Duration LONGEST_IN_NANOS = Duration.ofNanos(Long.MAX_VALUE);

    private static final Duration SHORTEST_IN_NANOS = Duration.ofNanos(Long.MIN_VALUE);

    private Durations() {}

    /** The duration in nanoseconds, saturated to {@code [Long.MIN_VALUE, Long.MAX_VALUE]}. */
    public static long toNanosSaturated(Duration duration) {
        if (duration.compareTo(LONGEST_IN_NANOS) >= 0) {
            return Long.MAX_VALUE;
        }
        if (duration.compareTo(SHORTEST_IN_NANOS) <= 0) {
            return Long.MIN_VALUE;
        }
        return duration.toNanos();
    }

    /** {@code a + b} for non-negative values, saturated at {@link Long#MAX_VALUE}. */
    public static long addSaturated(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /** {@code a * 3} for a non-negative value, saturated at {@link Long#MAX_VALUE}. */
    public static long tripleSaturated(long a) {
        return a > Long.MAX_VALUE / 3 ? Long.MAX_VALUE : a * 3;
    }

    /**
     * The duration rounded for people reading logs and event history: {@code 163ms}, {@code 2.4s}, {@code
     * 1m30s}, {@code 850us}. Unlike {@link #format(Duration)} it is not exact: measured and jittered
     * durations have nanoseconds nobody wants to read.
     */
    public static String describe(Duration duration) {
        if (duration.isNegative()) {
            return "-" + describe(duration.negated());
        }
        if (duration.getSeconds() >= 60) {
            long seconds = duration.plusMillis(500).getSeconds();
            long hours = seconds / 3_600;
            long minutes = (seconds % 3_600) / 60;
            long rest = seconds % 60;
            return (hours > 0 ? hours + "h" : "") + (minutes > 0 ? minutes + "m" : "") + (rest > 0 ? rest + "s" : "");
        }
        long nanos = duration.toNanos();
        if (nanos >= 10_000_000_000L) {
            return Math.round(nanos / 1e9) + "s";
        }
        if (nanos >= 1_000_000_000L) {
            // One decimal, rounded half up, a trailing ".0" dropped. Not String.format: the control thread
            // describes every restart delay, and a storm of restarts after delays of a second or more made
            // formatting its largest cost.
            long tenths = Math.round(nanos / 1e8);
            return (tenths % 10 == 0) ? (tenths / 10) + "s" : (tenths / 10) + "." + (tenths % 10) + "s";
        }
        if (nanos >= 1_000_000L) {
            return Math.round(nanos / 1e6) + "ms";
        }
        if (nanos >= 1_000L) {
            return Math.round(nanos / 1e3) + "us";
        }
        return nanos + "ns";
    }

    /**
     * The duration in the short form users write in {@code application.yml}: {@code 250ms}, {@code 5m},
     * {@code 1h}, {@code 1500us}; the largest unit that represents it exactly is used.
     */
    public static String format(Duration duration) {
        if (duration.isNegative()) {
            return duration.equals(Duration.ofSeconds(Long.MIN_VALUE))
                    ? duration.toString()
                    : "-" + format(duration.negated());
        }
        if (duration.getNano() == 0) {
            long seconds = duration.getSeconds();
            if (seconds != 0 && seconds % 86_400 == 0) {
                return seconds / 86_400 + "d";
            }
            if (seconds != 0 && seconds % 3_600 == 0) {
                return seconds / 3_600 + "h";
            }
            if (seconds != 0 && seconds % 60 == 0) {
                return seconds / 60 + "m";
            }
            return seconds + "s";
        }
        if (duration.getSeconds() >= Long.MAX_VALUE / 1_000_000_000L) {
            return duration.toString();
        }
        long nanos = duration.toNanos();
        if (nanos % 1_000_000 == 0) {
            return nanos / 1_000_000 + "ms";
        }
        if (nanos % 1_000 == 0) {
            return nanos / 1_000 + "us";
        }
        return nanos + "ns";
    }
}
