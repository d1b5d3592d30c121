package io.rustrade.supervisor.core;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The threads that run the supervisor's calls into lifecycle services — {@code start()}, {@code stop()} and
 * the watchdog's {@code isRunning()} polls — and the rules those calls follow.
 *
 * <ul>
 *   <li><b>Never two calls at once on one service.</b> Every service has a {@link Lane}: a call submitted
 *       to it begins only once the lane's previous call has returned, whatever happened to that call
 *       meanwhile (abandoned or not).
 *   <li><b>A call runs at most once</b>; a call abandoned before it began never begins ({@link Call}). Its
 *       timeout counts from when it began, so a call waiting its turn is not blamed for the time of the
 *       calls before it.
 *   <li><b>Whatever the user code does</b> — return, throw an exception or an {@code Error} — its outcome
 *       is handed to the call's outcome handler, exactly once; a {@link VirtualMachineError} then goes on
 *       to the thread.
 *   <li><b>Starts go first.</b> When more calls wait for a thread than there are threads — in a storm of
 *       failures, say — the starts of restarts that fell due go before the stops and polls of other
 *       services; calls of one kind go in the order submitted.
 *   <li><b>A stuck call holds its own thread, never the others'.</b> A call abandoned while inside user
 *       code keeps its thread until the code returns, and the pool has one more thread meanwhile. The pool
 *       thus has at most its base size plus one thread per stuck call, and a stuck call blocks only its own
 *       lane: at most one per service. When a stuck call returns, the pool shrinks back.
 * </ul>
 */
final class Calls {

    /** Threads of the production pool while no call is stuck. */
    static final int BASE_THREADS = 4;

    private final Executor executor;

    /** The pool that grows while calls are stuck; null for an executor given by a test, which does not. */
    private final ThreadPoolExecutor pool;

    private final NanoClock clock;

    private final AtomicInteger stuck = new AtomicInteger();

    /** Orders calls of one kind by submission. */
    private final AtomicLong submitted = new AtomicLong();

    private Calls(Executor executor, ThreadPoolExecutor pool, NanoClock clock) {
        this.executor = executor;
        this.pool = pool;
        this.clock = clock;
    }

    /** The production pool: {@value #BASE_THREADS} daemon threads, and one more per stuck call. */
    static Calls pool(NanoClock clock) {
        // Only this class submits to the pool, and only Dispatched tasks: the queue can order them.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                BASE_THREADS,
                BASE_THREADS,
                60,
                TimeUnit.SECONDS,
                new PriorityBlockingQueue<>(64, DISPATCH_ORDER),
                SupervisorEngine.daemonThreads("rustrade-supervisor-call-"));
        pool.allowCoreThreadTimeOut(true);
        return new Calls(pool, pool, clock);
    }

    /** Calls run by the given executor, which does not grow (tests, or an application's own executor). */
    static Calls on(Executor executor, NanoClock clock) {
        return new Calls(executor, null, clock);
    }

    /** What a call is for; when calls wait for a thread, starts go first. */
    enum Kind {
        START,
        STOP,
        POLL
    }

    private static final Comparator<Runnable> DISPATCH_ORDER = Comparator.comparing(
                    (Runnable task) -> ((Dispatched) task).kind)
            .thenComparingLong(task -> ((Dispatched) task).sequence);

    /** A new lane, for one service. */
    Lane lane() {
        return new Lane();
    }

    /**
     * Abandons a call; if it is inside user code, the pool gets a thread in place of the one it holds
     * until it returns.
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
        // A call returning right as it is abandoned may be counted down a moment before it is counted up.
        return Math.max(0, this.stuck.get());
    }

    /**
     * Releases the production pool's threads; a stuck call keeps its thread until it returns. An executor
     * given from outside ({@link #on}) is its owner's to shut down.
     */
    void shutdown() {
        if (this.pool != null) {
            this.pool.shutdownNow();
        }
    }

    /** Base threads plus one per stuck call; grown when a call gets stuck, shrunk once it returned. */
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

    /** The calls of one service, one at a time, in the order submitted. */
    final class Lane {

        /** The call running or about to run; null when the lane is idle. Guarded by this lane. */
        private Pending active;

        /** Calls submitted while another was active. Guarded by this lane. */
        private Queue<Pending> waiting;

        private Lane() {}

        /**
         * Submits a call; it begins once the lane's earlier calls have returned.
         *
         * @param description what is called, for logs: {@code start() of service 'feed'}
         * @param kind what the call is for, which decides its turn when calls wait for a thread
         * @param body the user code
         * @param outcome told, on the call's thread, what the code threw ({@code null} when it returned);
         *     also when the call was abandoned meanwhile, but not when it never began
         */
        Call submit(String description, Kind kind, UserCode body, Consumer<Throwable> outcome) {
            return submit(new Call(description), kind, body, outcome);
        }

        /** Submits a call made beforehand, so that its caller could hand it on before it runs. */
        Call submit(Call call, Kind kind, UserCode body, Consumer<Throwable> outcome) {
            Pending pending = new Pending(call, kind, body, outcome);
            boolean runNow;
            synchronized (this) {
                runNow = (this.active == null);
                if (runNow) {
                    this.active = pending;
                } else {
                    if (this.waiting == null) {
                        this.waiting = new ArrayDeque<>(2);
                    }
                    this.waiting.add(pending);
                }
            }
            if (runNow) {
                dispatch(pending);
            }
            return pending.call;
        }

        /** Whether a call is running or waiting in this lane. */
        synchronized boolean isBusy() {
            return this.active != null;
        }

        private void dispatch(Pending pending) {
            try {
                Calls.this.executor.execute(
                        new Dispatched(pending.kind, Calls.this.submitted.incrementAndGet(), () -> run(pending)));
            } catch (RejectedExecutionException ex) {
                // Shut down: nothing runs any more; the lane must not stay busy with a call that never will.
                synchronized (this) {
                    this.active = null;
                    this.waiting = null;
                }
                throw ex;
            }
        }

        private void run(Pending pending) {
            try {
                pending.run();
            } finally {
                Pending next;
                synchronized (this) {
                    next = (this.waiting != null) ? this.waiting.poll() : null;
                    this.active = next;
                    if (next == null) {
                        // Lanes exist for every service: the queue only while it holds something.
                        this.waiting = null;
                    }
                }
                if (next != null) {
                    dispatch(next);
                }
            }
        }
    }

    /** A call with its code and outcome handler, until it has run. */
    private final class Pending {

        final Call call;

        final Kind kind;

        private final UserCode body;

        private final Consumer<Throwable> outcome;

        Pending(Call call, Kind kind, UserCode body, Consumer<Throwable> outcome) {
            this.call = call;
            this.kind = kind;
            this.body = body;
            this.outcome = outcome;
        }

        void run() {
            if (!this.call.begin(Thread.currentThread(), Calls.this.clock.nanoTime())) {
                return;
            }
            Throwable failure = null;
            try {
                this.body.run();
            } catch (Throwable ex) {
                failure = ex;
            }
            if (this.call.end()) {
                Calls.this.stuck.decrementAndGet();
                resize();
            }
            try {
                this.outcome.accept(failure);
            } finally {
                if (failure instanceof VirtualMachineError error) {
                    throw error;
                }
            }
        }
    }

    /** A call handed to the executor, with what decides its turn in the production pool's queue. */
    private record Dispatched(Kind kind, long sequence, Runnable task) implements Runnable {

        @Override
        public void run() {
            this.task.run();
        }
    }

    /** User code the supervisor calls; it may throw anything. */
    @FunctionalInterface
    interface UserCode {

        void run() throws Exception;
    }
}
