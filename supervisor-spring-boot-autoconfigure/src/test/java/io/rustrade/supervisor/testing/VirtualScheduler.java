package io.rustrade.supervisor.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A {@link ControlScheduler} on virtual time: posted tasks run when the test calls {@link #runControlTasks()}
 * and timers fire when it calls {@link #advance(Duration)}, on the test's thread, deterministically.
 * Tasks may be posted from any thread.
 */
final class VirtualScheduler implements ControlScheduler {

    static final Instant EPOCH = Instant.parse("2026-11-27T10:00:00Z");

    private final ManualClock clock = new ManualClock(0);

    private final Queue<Runnable> posted = new ConcurrentLinkedQueue<>();

    private final VirtualTimers timers = new VirtualTimers();

    private final java.util.concurrent.atomic.AtomicLong postedCount = new java.util.concurrent.atomic.AtomicLong();

    @Override
    public void execute(Runnable task) {
        this.postedCount.incrementAndGet();
        this.posted.add(task);
    }

    /** How many tasks were posted so far. */
    long posted() {
        return this.postedCount.get();
    }

    @Override
    public ScheduledTask schedule(Runnable task, long delayNanos) {
        return this.timers.add(this.clock.nanoTime() + Math.max(0, delayNanos), task);
    }

    @Override
    public NanoClock clock() {
        return this.clock;
    }

    @Override
    public Instant now() {
        return EPOCH.plusNanos(this.clock.nanoTime());
    }

    /** Runs posted tasks, and those they post, until none is left. */
    void runControlTasks() {
        for (Runnable task = this.posted.poll(); task != null; task = this.posted.poll()) {
            task.run();
        }
    }

    /** Moves time forward, firing every timer due on the way, in order. */
    void advance(Duration duration) {
        runControlTasks();
        long target = this.clock.nanoTime() + duration.toNanos();
        while (fireNextTimer(target)) {
            runControlTasks();
        }
        this.clock.advanceNanos(target - this.clock.nanoTime());
    }

    /**
     * Fires the earliest timer due no later than {@code target}, moving time to it; false when none is
     * due. Posted tasks it leads to are left for the caller to run.
     */
    boolean fireNextTimer(long target) {
        VirtualTimers.Due next = this.timers.pollDue(target);
        if (next == null) {
            return false;
        }
        this.clock.advanceNanos(next.at() - this.clock.nanoTime());
        next.task().run();
        return true;
    }

    /** Timers scheduled and neither fired nor cancelled. */
    long pendingTimers() {
        return this.timers.pending();
    }
}
