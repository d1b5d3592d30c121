package io.rustrade.supervisor.core;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The production {@link ControlScheduler}: one daemon thread that runs posted and timed tasks in order.
 *
 * <p>A task that throws is logged and does not stop the thread. Cancelled timers are removed at once, so
 * thousands of cancelled restarts do not pile up in the queue.
 */
public final class ThreadedControlScheduler implements ControlScheduler, AutoCloseable {

    private static final Log logger = LogFactory.getLog(ThreadedControlScheduler.class);

    private final ScheduledThreadPoolExecutor executor;

    private final Clock wallClock;

    private final NanoClock clock = NanoClock.system();

    public ThreadedControlScheduler(String threadName, Clock wallClock) {
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
        this.executor.execute(guarded(task));
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
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
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | LinkageError | AssertionError ex) {
                logger.error("Supervisor task failed; supervision goes on", ex);
            }
        };
    }
}
