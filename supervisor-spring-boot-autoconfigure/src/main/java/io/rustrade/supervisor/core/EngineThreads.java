package io.rustrade.supervisor.core;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads an engine creates for itself, and only those: the control thread, the call threads, the two
 * event threads and a thread per run of a run loop — each named after its role, all daemons (a supervisor
 * never keeps the JVM alive). What a builder was given instead is its giver's, never shut down here.
 */
final class EngineThreads {

    /** Shuts down what was created here, in the order created. */
    private final List<Runnable> owned = new ArrayList<>();

    /** The given control thread, or one of the engine's own on the system clocks. */
    ControlScheduler control(ControlScheduler given) {
        if (given != null) {
            return given;
        }
        ThreadedControlScheduler control =
                new ThreadedControlScheduler("rustrade-supervisor", Clock.tickMillis(ZoneOffset.UTC));
        this.owned.add(control::close);
        return control;
    }

    /** Calls on the given executor, which never grows, or on the engine's own pool ({@link Calls}). */
    Calls calls(ExecutorService given, ControlScheduler scheduler, TaskWrappers wrappers) {
        if (given != null) {
            return Calls.on(given, scheduler.clock(), wrappers);
        }
        Calls pool = Calls.pool(scheduler, Calls.MAX_SLOW_SPARES, wrappers);
        this.owned.add(pool::shutdown);
        return pool;
    }

    /** The given event executor, or an event thread of the engine's own, started at its first task. */
    Executor events(Executor given, String prefix) {
        if (given != null) {
            return given;
        }
        ThreadPoolExecutor thread =
                new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemonThreads(prefix));
        thread.allowCoreThreadTimeOut(true);
        this.owned.add(thread::shutdown);
        return thread;
    }

    /** The given launcher, or a daemon platform thread per run, named after its service. */
    static SupervisorEngine.RunLauncher runs(SupervisorEngine.RunLauncher given) {
        return (given != null) ? given : EngineThreads::startRunThread;
    }

    /** Releases the threads created here; a stuck call keeps its thread until it returns. */
    void shutdown() {
        this.owned.forEach(Runnable::run);
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void startRunThread(String name, Runnable run) {
        Thread thread = new Thread(run, SupervisorEngine.RunLauncher.threadName(name));
        thread.setDaemon(true);
        thread.start();
    }
}
