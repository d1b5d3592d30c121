package io.rustrade.supervisor.benchmarks;

import java.time.Clock;
import java.time.Instant;

/**
 * Wall-clock nanoseconds since the epoch, on the clock the supervisor stamps its events with ({@link
 * Clock#systemUTC()}; the supervisor truncates it to milliseconds), so that a time taken here and the
 * {@code at} of an event can be subtracted, to within a millisecond.
 */
final class Wall {

    private static final Clock CLOCK = Clock.systemUTC();

    private Wall() {}

    static long nanos() {
        return nanos(CLOCK.instant());
    }

    static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
