package io.rustrade.supervisor.testing;

import io.rustrade.supervisor.core.NanoClock;
import java.time.Duration;

/**
 * A virtual monotonic clock that moves only when a test moves it.
 *
 * <p>Guarantees: a reading changes only through {@link #advance(Duration)} or {@link #advanceNanos(long)},
 * by exactly the amount given; readings wrap around past {@link Long#MAX_VALUE} as {@link
 * System#nanoTime()} may, so a clock started near the top checks that time is compared by subtraction.
 * Readings are visible to every thread.
 */
public final class ManualClock implements NanoClock {

    private volatile long now;

    /** A clock an hour of virtual time before its readings wrap around. */
    public ManualClock() {
        this(Long.MAX_VALUE - Duration.ofHours(1).toNanos());
    }

    /** A clock whose first reading is {@code startNanos}. */
    public ManualClock(long startNanos) {
        this.now = startNanos;
    }

    @Override
    public long nanoTime() {
        return this.now;
    }

    public ManualClock advance(Duration duration) {
        return advanceNanos(duration.toNanos());
    }

    public ManualClock advanceNanos(long nanos) {
        this.now += nanos;
        return this;
    }
}
