package io.rustrade.supervisor.testing;

import io.rustrade.supervisor.core.ControlScheduler;
import io.rustrade.supervisor.core.NanoClock;
import io.rustrade.supervisor.core.ScheduledTask;
import java.time.Duration;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link ControlScheduler} on virtual time, with its {@link ManualClock}.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>Time moves only in {@link #advance(Duration)} and {@link #fireNextTimer(long)}; timers fire there,
 *       in due order, on the calling thread, each with the clock at its due time.
 *   <li>Control tasks run one at a time, in the order posted, never two at once: a task posted while one
 *       runs on the same thread runs after it. Tasks may be posted from any thread.
 *   <li>A scheduler made with a constructor runs posted tasks only when the test calls {@link
 *       #runControlTasks()} (or moves time); one made with {@link #direct} runs them at once on the
 *       posting thread, so what a test sees after a call is its outcome.
 *   <li>The clock starts at the given reading, for example {@link #NEAR_WRAP} or {@link
 *       #JUST_BEFORE_WRAP}, and wraps around past
 *       {@link Long#MAX_VALUE}; {@link #now()} is the epoch plus the virtual time elapsed since the start,
 *       whatever the readings, and {@link #elapsedNanos()} never wraps within a test.
 * </ul>
 */
public final class VirtualScheduler implements ControlScheduler {

    /** The wall-clock instant at which virtual time starts, unless another is given. */
    public static final Instant EPOCH = Instant.parse("2026-11-27T10:00:00Z");

    /**
     * A first reading ten minutes of virtual time before the clock's readings wrap around to negative values:
     * deadlines and windows of minutes lie past the wrap.
     */
    public static final long NEAR_WRAP = Long.MAX_VALUE - 600_000_000_000L;

    /**
     * A first reading a quarter of a second of virtual time before the clock's readings wrap around: a test
     * that lets more time pass crosses the wrap itself.
     */
    public static final long JUST_BEFORE_WRAP = Long.MAX_VALUE - 250_000_000L;

    private final Instant epoch;

    private final long startNanos;

    private final boolean direct;

    private final ManualClock clock;

    private final ReentrantLock lock = new ReentrantLock();

    private final Queue<Runnable> posted = new ConcurrentLinkedQueue<>();

    private final VirtualTimers timers = new VirtualTimers();

    private final AtomicLong postedCount = new AtomicLong();

    /** A scheduler whose clock reads 0 at {@link #EPOCH}, running posted tasks when the test says so. */
    public VirtualScheduler() {
        this(0);
    }

    /**
     * A scheduler whose clock reads {@code startNanos} at {@link #EPOCH}, running posted tasks when the test
     * says so.
     */
    public VirtualScheduler(long startNanos) {
        this(EPOCH, startNanos, false);
    }

    private VirtualScheduler(Instant epoch, long startNanos, boolean direct) {
        this.epoch = epoch;
        this.startNanos = startNanos;
        this.direct = direct;
        this.clock = new ManualClock(startNanos);
    }

    /** A scheduler whose clock reads {@code startNanos} at {@code epoch}, running posted tasks at once. */
    public static VirtualScheduler direct(Instant epoch, long startNanos) {
        return new VirtualScheduler(epoch, startNanos, true);
    }

    @Override
    public void execute(Runnable task) {
        this.postedCount.incrementAndGet();
        this.posted.add(task);
        if (this.direct && !this.lock.isHeldByCurrentThread()) {
            runControlTasks();
        }
    }

    /** How many tasks were posted so far. */
    public long posted() {
        return this.postedCount.get();
    }

    @Override
    public ScheduledTask schedule(Runnable task, long delayNanos) {
        // Under the lock: "now" does not move while a timer is being scheduled.
        this.lock.lock();
        try {
            return this.timers.add(this.clock.nanoTime() + Math.max(0, delayNanos), task);
        } finally {
            this.lock.unlock();
        }
    }

    @Override
    public NanoClock clock() {
        return this.clock;
    }

    @Override
    public Instant now() {
        return this.epoch.plusNanos(elapsedNanos());
    }

    /** Virtual time since the start, in nanoseconds. */
    public long elapsedNanos() {
        return this.clock.nanoTime() - this.startNanos;
    }

    /** Runs posted tasks, and those they post, until none is left; timers do not fire. */
    public void runControlTasks() {
        this.lock.lock();
        try {
            for (Runnable task = this.posted.poll(); task != null; task = this.posted.poll()) {
                task.run();
            }
        } finally {
            this.lock.unlock();
        }
    }

    /** Moves time forward, firing every timer due on the way, in order, and running the tasks they post. */
    public void advance(Duration duration) {
        this.lock.lock();
        try {
            runControlTasks();
            long target = elapsedNanos() + duration.toNanos();
            while (fireNextTimer(target)) {
                runControlTasks();
            }
            this.clock.advanceNanos(target - elapsedNanos());
        } finally {
            this.lock.unlock();
        }
    }

    /**
     * Fires the earliest timer due no later than {@code elapsedTarget} (virtual nanoseconds since the start),
     * moving time to it; false when none is due. Posted tasks it leads to are left for the caller to run.
     */
    public boolean fireNextTimer(long elapsedTarget) {
        this.lock.lock();
        try {
            VirtualTimers.Due next = this.timers.pollDue(this.startNanos + elapsedTarget);
            if (next == null) {
                return false;
            }
            this.clock.advanceNanos(next.at() - this.clock.nanoTime());
            next.task().run();
            return true;
        } finally {
            this.lock.unlock();
        }
    }

    /**
     * Whether a timer due by now has not fired yet: held back, as when a call runs between a timer and the
     * others due at the same time.
     */
    public boolean hasTimerDueNow() {
        return this.timers.hasDue(this.clock.nanoTime());
    }

    /** Timers scheduled and neither fired nor cancelled. */
    public long pendingTimers() {
        return this.timers.pending();
    }
}
