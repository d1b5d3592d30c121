package io.rustrade.supervisor.core;

import io.rustrade.supervisor.core.internal.CapturedFailure;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The production {@link ControlScheduler}: one daemon thread that runs posted and timed tasks in order.
 *
 * <p>A task that throws is logged and does not stop the thread. Cancelled timers are removed at once, so
 * thousands of cancelled restarts do not pile up in the queue.
 *
 * <p>Posted tasks go through a FIFO mailbox, not through the timers' priority queue: a post costs O(1)
 * however many timers are pending (one per service backing off, and more), where a trip through the
 * timer heap cost O(log n) on both sides. The mailbox is drained by one task on the control thread, at
 * most {@value #BATCH} tasks at a time, so timers that fall due during a storm of posts still get their
 * turn. What waits in the mailbox is bounded where it is posted: callers' registrations by {@link
 * RegistrationGate}, operator commands by {@link OperatorCommands}, failure reports to one per run.
 */
final class ThreadedControlScheduler implements ControlScheduler, AutoCloseable {

    private static final Log logger = LogFactory.getLog(ThreadedControlScheduler.class);

    /** How many posted tasks run before timers that fell due meanwhile get their turn. */
    static final int BATCH = 256;

    private final ScheduledThreadPoolExecutor executor;

    private final Clock wallClock;

    private final NanoClock clock = NanoClock.system();

    private final Queue<Runnable> mailbox = new ConcurrentLinkedQueue<>();

    /** Whether a drain of the mailbox is queued or running; at most one is. */
    private final AtomicBoolean draining = new AtomicBoolean();

    private final Runnable drain = this::drain;

    ThreadedControlScheduler(String threadName, Clock wallClock) {
        this.wallClock = wallClock;
        this.executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        this.executor.setRemoveOnCancelPolicy(true);
        this.executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task must not be null");
        if (this.executor.isShutdown()) {
            throw new RejectedExecutionException("The supervisor's control thread has been shut down");
        }
        this.mailbox.add(task);
        if (this.draining.compareAndSet(false, true)) {
            submitDrain();
        }
    }

    /** Runs posted tasks in order, a batch at a time, then hands over to whoever posts next. */
    private void drain() {
        try {
            for (int i = 0; i < BATCH; i++) {
                Runnable task = this.mailbox.poll();
                if (task == null) {
                    break;
                }
                runGuarded(task);
            }
        } finally {
            this.draining.set(false);
            // A task posted after the last poll found the flag still set and left the drain to us.
            if (!this.mailbox.isEmpty() && this.draining.compareAndSet(false, true)) {
                submitDrain();
            }
        }
    }

    private void submitDrain() {
        try {
            this.executor.execute(this.drain);
        } catch (RejectedExecutionException ex) {
            this.mailbox.clear();
            throw ex;
        }
    }

    @Override
    public ScheduledTask schedule(Runnable task, long delayNanos) {
        ScheduledFuture<?> future =
                this.executor.schedule(guarded(task), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public NanoClock clock() {
        return this.clock;
    }

    @Override
    public Instant now() {
        return this.wallClock.instant();
    }

    @Override
    public void close() {
        this.executor.shutdownNow();
    }

    private static Runnable guarded(Runnable task) {
        return () -> runGuarded(task);
    }

    private static void runGuarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | LinkageError | AssertionError ex) {
            CapturedFailure.of(ex).error(logger, "Supervisor task failed; supervision goes on");
        }
    }
}
