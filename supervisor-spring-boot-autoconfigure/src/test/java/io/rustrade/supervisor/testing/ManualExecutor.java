package io.rustrade.supervisor.core;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * An executor whose tasks run only when the test says so, on the test's thread: user calls can be held
 * "in flight" for as long as a test needs.
 */
final class ManualExecutor extends AbstractExecutorService implements SupervisorEngine.RunLauncher {

    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

    /** Whether one of this executor's tasks is running now. */
    private boolean inTask;

    @Override
    public void execute(Runnable command) {
        this.tasks.add(command);
    }

    @Override
    public void launch(String serviceName, Runnable run) {
        this.tasks.add(run);
    }

    /** Runs the oldest waiting task; false when none waits. */
    boolean runNext() {
        Runnable task = this.tasks.poll();
        if (task == null) {
            return false;
        }
        boolean outer = this.inTask;
        this.inTask = true;
        try {
            task.run();
        } finally {
            this.inTask = outer;
        }
        return true;
    }

    /** Runs waiting tasks, and those they add, until none is left. */
    void runAll() {
        while (runNext()) {
            // keep going
        }
    }

    /** Whether the calling code runs inside one of this executor's tasks. */
    boolean isInTask() {
        return this.inTask;
    }

    int pending() {
        return this.tasks.size();
    }

    @Override
    public void shutdown() {}

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}
