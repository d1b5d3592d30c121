package io.rustrade.sample.trading;

import io.rustrade.supervisor.Cancellation;
import io.rustrade.supervisor.SupervisedService;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A run loop that reconciles positions every {@code interval} and fails now and then ({@code failureRate}
 * is the chance per cycle), or on demand: each failure ends the run and the supervisor runs it again.
 */
public class PositionReconciler implements SupervisedService {

    private final double failureRate;

    private final Duration interval;

    private final AtomicBoolean failNext = new AtomicBoolean();

    private final AtomicLong cycles = new AtomicLong();

    public PositionReconciler(double failureRate, Duration interval) {
        this.failureRate = failureRate;
        this.interval = interval;
    }

    @Override
    public void run(Cancellation cancellation) {
        while (!cancellation.await(this.interval)) {
            this.cycles.incrementAndGet();
            if (this.failNext.getAndSet(false) || ThreadLocalRandom.current().nextDouble() < this.failureRate) {
                throw new IllegalStateException("Positions out of sync with the venue");
            }
        }
    }

    /** Makes the next cycle fail. */
    public void failNextCycle() {
        this.failNext.set(true);
    }

    public long getCycles() {
        return this.cycles.get();
    }
}
