package io.rustrade.supervisor.testing;

import io.rustrade.supervisor.core.SupervisorEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * An executor and run launcher for worker calls and run loops whose tasks run when the test says so.
 *
 * <p>Guarantees: a task never runs on its own: it waits until {@link #runNext()}, {@link #runAll()}, {@link
 * #runRandom} or {@link #runFirst} runs it, on the test's thread, so a user call can be held "in flight" for
 * as long as a test needs; {@link #direct()} makes one that runs every task at once on the submitting
 * thread instead. Tasks may be submitted from any thread and are never rejected, even after {@link
 * #shutdown()}, which is only recorded. A task given by {@link #launch} waits with the name of its service.
 */
public final class ManualExecutor extends AbstractExecutorService implements SupervisorEngine.RunLauncher {

    /** A task waiting to run: the service whose run loop it is (null for a worker call), and the task. */
    public record Waiting(String service, Runnable task) {}

    private final List<Waiting> tasks = new ArrayList<>();

    private final boolean direct;

    private final BiFunction<String, Runnable, Runnable> onSubmit;

    /** Whether one of this executor's tasks is running now. */
    private boolean inTask;

    private volatile boolean shutdown;

    /** An executor whose tasks wait until the test runs them. */
    public ManualExecutor() {
        this(false, (service, task) -> task);
    }

    /**
     * An executor whose tasks wait until the test runs them, each stored as {@code onSubmit} makes it when
     * it is submitted (given the service, null for a worker call, and the task): for a test that notes
     * what held at submission, or wraps the running of a task.
     */
    public ManualExecutor(BiFunction<String, Runnable, Runnable> onSubmit) {
        this(false, onSubmit);
    }

    private ManualExecutor(boolean direct, BiFunction<String, Runnable, Runnable> onSubmit) {
        this.direct = direct;
        this.onSubmit = onSubmit;
    }

    /** An executor that runs every task at once, on the submitting thread. */
    public static ManualExecutor direct() {
        return new ManualExecutor(true, (service, task) -> task);
    }

    @Override
    public void execute(Runnable command) {
        enqueue(null, command);
    }

    @Override
    public void launch(String serviceName, Runnable run) {
        enqueue(serviceName, run);
    }

    private void enqueue(String service, Runnable task) {
        Waiting waiting = new Waiting(service, this.onSubmit.apply(service, task));
        if (this.direct) {
            run(waiting);
            return;
        }
        synchronized (this.tasks) {
            this.tasks.add(waiting);
        }
    }

    /** Runs the oldest waiting task; false when none waits. */
    public boolean runNext() {
        return runFirst(waiting -> true);
    }

    /** Runs waiting tasks, and those they add, oldest first, until none is left. */
    public void runAll() {
        while (runNext()) {
            // keep going
        }
    }

    /** Runs a waiting task drawn with {@code random} ({@code nextInt(pending())}); false when none waits. */
    public boolean runRandom(RandomGenerator random) {
        Waiting next;
        synchronized (this.tasks) {
            if (this.tasks.isEmpty()) {
                return false;
            }
            next = this.tasks.remove(random.nextInt(this.tasks.size()));
        }
        run(next);
        return true;
    }

    /** Runs the oldest waiting task that {@code which} accepts; false when there is none. */
    public boolean runFirst(Predicate<? super Waiting> which) {
        Waiting next = null;
        synchronized (this.tasks) {
            for (int i = 0; i < this.tasks.size(); i++) {
                if (which.test(this.tasks.get(i))) {
                    next = this.tasks.remove(i);
                    break;
                }
            }
        }
        if (next == null) {
            return false;
        }
        run(next);
        return true;
    }

    private void run(Waiting waiting) {
        boolean outer = this.inTask;
        this.inTask = true;
        try {
            waiting.task().run();
        } finally {
            this.inTask = outer;
        }
    }

    /** Whether the calling code runs inside one of this executor's tasks. */
    public boolean isInTask() {
        return this.inTask;
    }

    /** Drops every waiting task, as a pool's {@code shutdownNow()} does; returns how many were dropped. */
    public int dropPending() {
        synchronized (this.tasks) {
            int dropped = this.tasks.size();
            this.tasks.clear();
            return dropped;
        }
    }

    /** How many tasks wait. */
    public int pending() {
        synchronized (this.tasks) {
            return this.tasks.size();
        }
    }

    /** How many run loops of {@code service} wait. */
    public int pendingOf(String service) {
        synchronized (this.tasks) {
            return (int) this.tasks.stream()
                    .filter(waiting -> service.equals(waiting.service()))
                    .count();
        }
    }

    @Override
    public void shutdown() {
        this.shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        this.shutdown = true;
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return this.shutdown;
    }

    @Override
    public boolean isTerminated() {
        return this.shutdown && pending() == 0;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}
