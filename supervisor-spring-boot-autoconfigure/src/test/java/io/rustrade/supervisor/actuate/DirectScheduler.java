package io.rustrade.supervisor.actuate;

import io.rustrade.supervisor.core.Cancellable;
import io.rustrade.supervisor.core.ControlScheduler;
import io.rustrade.supervisor.core.NanoClock;
import io.rustrade.supervisor.core.VirtualTimers;
import java.time.Duration;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link ControlScheduler} on virtual time that runs every posted task at once, on the posting thread,
 * one at a time and in order (a task posted by a running task runs after it). Timers fire only when the
 * test {@linkplain #advance(Duration) advances} time, so every instant a test sees is predictable.
 */
final class DirectScheduler implements ControlScheduler {

    private final Instant epoch;

    private final ReentrantLock lock = new ReentrantLock();

    private final Queue<Runnable> posted = new ConcurrentLinkedQueue<>();

    private final VirtualTimers timers = new VirtualTimers();

    private volatile long nanos;

    DirectScheduler(Instant epoch) {
        this.epoch = epoch;
    }

    @Override
    public void execute(Runnable task) {
        this.posted.add(task);
        if (this.lock.isHeldByCurrentThread()) {
            return;
        }
        this.lock.lock();
        try {
            drain();
        } finally {
            this.lock.unlock();
        }
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
        // Under the lock: "now" does not move while a timer is being scheduled.
        this.lock.lock();
        try {
            return this.timers.add(this.nanos + Math.max(0, delayNanos), task);
        } finally {
            this.lock.unlock();
        }
    }

    @Override
    public NanoClock clock() {
        return () -> this.nanos;
    }

    @Override
    public Instant now() {
        return this.epoch.plusNanos(this.nanos);
    }

    /** Moves time forward, firing every timer due on the way, in order. */
    void advance(Duration duration) {
        this.lock.lock();
        try {
            drain();
            long target = this.nanos + duration.toNanos();
            for (VirtualTimers.Due next = this.timers.pollDue(target);
                    next != null;
                    next = this.timers.pollDue(target)) {
                this.nanos = next.at();
                next.task().run();
                drain();
            }
            this.nanos = target;
        } finally {
            this.lock.unlock();
        }
    }

    private void drain() {
        for (Runnable task = this.posted.poll(); task != null; task = this.posted.poll()) {
            task.run();
        }
    }
}
