package io.rustrade.supervisor.core;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The threads that run the supervisor's calls into lifecycle services: {@code start()}, {@code stop()} and
 * the watchdog's {@code isRunning()} polls.
 *
 * <p>Rules:
 *
 * <ul>
 *   <li>Each call runs at most once; a call abandoned before it began never begins ({@link Call}).
 *   <li>Whatever the user code does — return, throw an exception or an {@code Error} — its outcome is handed
 *       to the call's outcome handler, exactly once; a {@link VirtualMachineError} then goes on to the thread.
 *   <li>A call abandoned while inside user code keeps its thread for as long as the code runs, and the pool
 *       has one more thread meanwhile: the calls of other services never wait behind a stuck one. The pool
 *       thus has at most its base size plus one thread per stuck call; the supervisor makes no second call on
 *       a service before its previous one returned, so there is at most one stuck call per service. When a
 *       stuck call returns, the pool shrinks back.
 * </ul>
 *
 * <p>That one call per service at a time is the caller's rule ({@code ServiceRecord}); this class counts
 * and replaces the threads stuck calls hold.
 */
final class Calls {

    /** Threads of the production pool when no call is stuck. */
    static final int BASE_THREADS = 4;

    private final Executor executor;

    /** The pool that grows while calls are stuck; null for an executor given by a test, which does not. */
    private final ThreadPoolExecutor pool;

    private final NanoClock clock;

    private final AtomicInteger stuck = new AtomicInteger();

    private Calls(Executor executor, ThreadPoolExecutor pool, NanoClock clock) {
        this.executor = executor;
        this.pool = pool;
        this.clock = clock;
    }

    /** The production pool: {@value #BASE_THREADS} daemon threads, one more per stuck call. */
    static Calls pool(NanoClock clock) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                BASE_THREADS,
                BASE_THREADS,
                60,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                SupervisorEngine.daemonThreads("rustrade-supervisor-call-"));
        pool.allowCoreThreadTimeOut(true);
        return new Calls(pool, pool, clock);
    }

    /** Calls run by the given executor, which does not grow (tests, or an application's own executor). */
    static Calls on(Executor executor, NanoClock clock) {
        return new Calls(executor, null, clock);
    }

    /**
     * Submits a call.
     *
     * @param description what is called, for logs: {@code start() of service 'feed'}
     * @param body the user code
     * @param outcome told, on the call's thread, what the code threw ({@code null} when it returned); also
     *     when the call was abandoned meanwhile, but not when it never began
     */
    Call submit(String description, UserCode body, Consumer<Throwable> outcome) {
        Call call = new Call(description);
        this.executor.execute(() -> run(call, body, outcome));
        return call;
    }

    /**
     * Abandons a call; if it is inside user code, the pool gets a thread in place of the one it holds until
     * it returns.
     */
    Call.Abandonment abandon(Call call) {
        Call.Abandonment abandonment = call.abandon();
        if (abandonment == Call.Abandonment.STUCK) {
            this.stuck.incrementAndGet();
            resize();
        }
        return abandonment;
    }

    /** Calls abandoned while inside user code that have not returned yet: the threads they hold. */
    int stuckCalls() {
        return this.stuck.get();
    }

    /** Releases the production pool's threads; a stuck call keeps its thread until it returns. */
    void shutdown() {
        if (this.pool != null) {
            this.pool.shutdownNow();
        } else if (this.executor instanceof ExecutorService service) {
            service.shutdownNow();
        }
    }

    private void run(Call call, UserCode body, Consumer<Throwable> outcome) {
        if (!call.begin(Thread.currentThread(), this.clock.nanoTime())) {
            return;
        }
        Throwable failure = null;
        try {
            body.run();
        } catch (Throwable ex) {
            failure = ex;
        }
        if (call.end()) {
            this.stuck.decrementAndGet();
            resize();
        }
        try {
            outcome.accept(failure);
        } finally {
            if (failure instanceof VirtualMachineError error) {
                throw error;
            }
        }
    }

    /** Base threads plus one per stuck call; grown before a new stuck call waits, shrunk once it returned. */
    private void resize() {
        if (this.pool == null) {
            return;
        }
        synchronized (this.pool) {
            int size = BASE_THREADS + Math.max(0, this.stuck.get());
            // The maximum may never be below the core size: raise it first, lower it last.
            if (size > this.pool.getMaximumPoolSize()) {
                this.pool.setMaximumPoolSize(size);
                this.pool.setCorePoolSize(size);
            } else {
                this.pool.setCorePoolSize(size);
                this.pool.setMaximumPoolSize(size);
            }
        }
    }

    /** User code the supervisor calls; it may throw anything. */
    @FunctionalInterface
    interface UserCode {

        void run() throws Exception;
    }
}
