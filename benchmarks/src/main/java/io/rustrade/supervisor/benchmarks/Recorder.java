package io.rustrade.supervisor.benchmarks;

import io.rustrade.supervisor.core.SupervisionEvent;
import io.rustrade.supervisor.core.SupervisionListener;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Listens to the supervisor and keeps, per worker, the time stamps of its last failure, scheduled
 * restart and start, as the supervisor stamped them on its control thread ({@code at} of each event).
 *
 * <p>Events reach listeners later, on the supervisor's event thread; their {@code at} is taken where the
 * event is produced, so the delivery delay does not enter any figure. Counts are awaited with latches
 * re-armed by {@link #expect}.
 */
final class Recorder implements SupervisionListener {

    final long[] failedAt;

    final long[] scheduledAt;

    final long[] restartAt;

    final long[] startedAt;

    private volatile CountDownLatch failed = new CountDownLatch(0);

    private volatile CountDownLatch scheduled = new CountDownLatch(0);

    private volatile CountDownLatch started = new CountDownLatch(0);

    Recorder(int n) {
        this.failedAt = new long[n];
        this.scheduledAt = new long[n];
        this.restartAt = new long[n];
        this.startedAt = new long[n];
    }

    /** Forgets the time stamps and expects {@code count} failures, scheduled restarts and starts. */
    void expect(int count) {
        Arrays.fill(this.failedAt, 0);
        Arrays.fill(this.scheduledAt, 0);
        Arrays.fill(this.restartAt, 0);
        Arrays.fill(this.startedAt, 0);
        this.failed = new CountDownLatch(count);
        this.scheduled = new CountDownLatch(count);
        this.started = new CountDownLatch(count);
    }

    @Override
    public void onEvent(SupervisionEvent event) {
        int index = Worker.index(event.service());
        if (index < 0) {
            return;
        }
        if (event instanceof SupervisionEvent.Failed) {
            this.failedAt[index] = Wall.nanos(event.at());
            this.failed.countDown();
        } else if (event instanceof SupervisionEvent.RestartScheduled restart) {
            this.scheduledAt[index] = Wall.nanos(restart.at());
            this.restartAt[index] = Wall.nanos(restart.restartAt());
            this.scheduled.countDown();
        } else if (event instanceof SupervisionEvent.Started) {
            this.startedAt[index] = Wall.nanos(event.at());
            this.started.countDown();
        }
    }

    void awaitFailed() {
        await(this.failed, "failures");
    }

    void awaitScheduled() {
        await(this.scheduled, "scheduled restarts");
    }

    void awaitStarted() {
        await(this.started, "starts");
    }

    private static void await(CountDownLatch latch, String what) {
        try {
            if (!latch.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Timed out waiting for " + what + ": " + latch.getCount() + " missing");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
