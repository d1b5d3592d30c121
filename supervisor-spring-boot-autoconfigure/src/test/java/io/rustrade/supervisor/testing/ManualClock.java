package io.rustrade.supervisor.core;

import java.time.Duration;

/** A virtual monotonic clock that moves only when a test advances it. */
final class ManualClock implements NanoClock {

    private long now;

    ManualClock() {
        // Start near the wrap-around point so that every test also checks overflow-safe comparisons.
        this(Long.MAX_VALUE - Duration.ofHours(1).toNanos());
    }

    ManualClock(long startNanos) {
        this.now = startNanos;
    }

    @Override
    public long nanoTime() {
        return this.now;
    }

    ManualClock advance(Duration duration) {
        this.now += duration.toNanos();
        return this;
    }

    ManualClock advanceNanos(long nanos) {
        this.now += nanos;
        return this;
    }
}
