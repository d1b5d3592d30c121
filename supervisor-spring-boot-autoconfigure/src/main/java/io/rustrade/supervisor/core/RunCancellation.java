package io.rustrade.supervisor.core;

import io.rustrade.supervisor.Cancellation;
import io.rustrade.supervisor.core.internal.Durations;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The {@link Cancellation} of one run: a one-shot latch, plus interruption of the run's thread. */
final class RunCancellation implements Cancellation {

    private final CountDownLatch cancelled = new CountDownLatch(1);

    private Thread thread;

    /** Binds the thread that runs the service, so that {@link #cancel()} interrupts it. */
    synchronized void bind(Thread thread) {
        this.thread = thread;
        if (isCancelled() && thread != null) {
            thread.interrupt();
        }
    }

    /** Signals cancellation and interrupts the run's thread, if it still runs the service. */
    synchronized void cancel() {
        this.cancelled.countDown();
        if (this.thread != null) {
            this.thread.interrupt();
        }
    }

    @Override
    public boolean isCancelled() {
        return this.cancelled.getCount() == 0;
    }

    @Override
    public boolean await(Duration timeout) {
        if (isCancelled() || timeout.isNegative() || timeout.isZero()) {
            return isCancelled();
        }
        try {
            return this.cancelled.await(Durations.toNanosSaturated(timeout), TimeUnit.NANOSECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return isCancelled();
        }
    }
}
