package io.rustrade.supervisor.core;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 *       code keeps its thread until the code returns, and the pool has one more thread meanwhile. A stuck
 *       call blocks only its own lane: at most one per service. When a stuck call returns, the pool shrinks
 *       back.
 *   <li><b>A slow call holds only its own thread.</b> A call may take long and still be inside its timeout
 *       (an {@code isRunning()} of seconds, with a {@code start-timeout} of more). While calls wait for a
 *       thread, a guard on the supervisor's scheduler looks, every {@value #SLOW_CALL_MILLIS} ms, at the
 *       calls running: each that has run {@value #SLOW_CALL_MILLIS} ms or more gets a thread of its own —
 *       the pool has one more thread — until it returns, so that the base threads stay for the other
 *       services' calls. A call waiting behind slow calls thus gets a thread within about twice that time.
 *       Calls quicker than that never grow the pool however many wait: a storm of ten thousand restarts
 *       whose calls are quick runs on the base threads. At most {@value #MAX_SLOW_SPARES} slow calls have
 *       a thread of their own at once; past that, calls wait for a thread again, starts first. When a
 *       slow call is abandoned it keeps its thread, now as a stuck call: it is not given a second one.
 *   <li><b>The threads are bounded.</b> The pool has at most its base size plus one thread for each stuck
 *       call and each slow call given a thread of its own (at most {@value #MAX_SLOW_SPARES} of those).
 *       Those are calls in flight, at most one per lane: the pool never has more than its base size plus
 *       one thread per service with a call in flight.
 *   <li><b>The user code runs inside the task wrappers</b> ({@link TaskWrappers}), on the call's thread,
 *       once the call has begun: its timeout counts the wrappers' time too. The lane's bookkeeping and the
 *       outcome handler stay outside them, so that no wrapper can lose a call or its outcome.
 *   <li><b>An executor given from outside ({@link #on}) never grows</b>: neither stuck nor slow calls
 *       add threads to it; stuck calls are counted all the same.
 * </ul>
 */
final class Calls {

    /** Threads of the production pool while no call is stuck or slow. */
    static final int BASE_THREADS = 4;

    /**
     * How long a call runs before it counts as slow, and how often the guard looks while calls wait: well
     * above what a quick {@code start()}, {@code stop()} or {@code isRunning()} takes, so that a storm of
     * quick calls never grows the pool, and short enough that a call behind slow ones waits a fraction of a
     * second at most.
     */
    static final long SLOW_CALL_MILLIS = 100;

    static final long SLOW_CALL_NANOS = TimeUnit.MILLISECONDS.toNanos(SLOW_CALL_MILLIS);

    /**
     * The most slow calls given a thread of their own at once. The lanes already bound them by the number
     * of services; this bounds them by a number safe on any host however many services there are: 256
     * platform threads commit only the stack they use and stay far below an operating system's limits on
     * threads, and it is as many spare threads as the JDK's common {@code ForkJoinPool} adds at most to
     * make up for blocked ones ({@code java.util.concurrent.ForkJoinPool.common.maximumSpares}). When more
     * than 256 services are slow at the same time, calls wait for threads again, starts first. Calls
     * abandoned after their timeout are not counted here: each keeps its thread, however many there are.
     */
    static final int MAX_SLOW_SPARES = 256;

    private final Executor executor;

    /** The pool that grows while calls are stuck or slow; null for an executor given from outside. */
    private final ThreadPoolExecutor pool;

    /** Where the guard runs; null for an executor given from outside. */
    private final ControlScheduler scheduler;

    private final NanoClock clock;

    /** Put around every call's user code, on its thread. */
    private final TaskWrappers wrappers;

    private final int maxSlowSpares;

    /** Calls abandoned inside user code that have not returned; read without the lock, by the meter. */
    private final AtomicInteger stuck = new AtomicInteger();

    /** Guards {@link #running}, {@link #spared} and the pool's size. */
    private final Object sizes = new Object();

    /** The calls inside user code now, abandoned or not. Guarded by {@link #sizes}. */
    private final Set<Call> running = new HashSet<>();

    /** Slow calls given a thread of their own, not abandoned, not returned. Guarded by {@link #sizes}. */
    private final Set<Call> spared = new HashSet<>();

    /** Whether the guard is scheduled; at most one is. */
    private final AtomicBoolean guardArmed = new AtomicBoolean();

    /** Orders calls of one kind by submission. */
    private final AtomicLong submitted = new AtomicLong();

    private Calls(
            Executor executor,
            ThreadPoolExecutor pool,
            ControlScheduler scheduler,
            NanoClock clock,
            int maxSlowSpares,
            TaskWrappers wrappers) {
        this.executor = executor;
        this.pool = pool;
        this.scheduler = scheduler;
        this.clock = clock;
        this.maxSlowSpares = maxSlowSpares;
        this.wrappers = wrappers;
    }

    /**
     * The production pool: {@value #BASE_THREADS} daemon threads, one more per stuck call, and one more per
     * slow call while calls wait; its guard runs on {@code scheduler}, whose clock times the calls.
     */
    static Calls pool(ControlScheduler scheduler) {
        return pool(scheduler, MAX_SLOW_SPARES);
    }

    /** The production pool with another bound on the slow calls given a thread of their own, for tests. */
    static Calls pool(ControlScheduler scheduler, int maxSlowSpares) {
        return pool(scheduler, maxSlowSpares, TaskWrappers.NONE);
    }

    /** The production pool, whose calls run inside the wrappers. */
    static Calls pool(ControlScheduler scheduler, int maxSlowSpares, TaskWrappers wrappers) {
        // Only this class submits to the pool, and only Dispatched tasks: the queue can order them.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                BASE_THREADS,
                BASE_THREADS,
                60,
                TimeUnit.SECONDS,
                new PriorityBlockingQueue<>(64, DISPATCH_ORDER),
                EngineThreads.daemonThreads("rustrade-supervisor-call-"));
        pool.allowCoreThreadTimeOut(true);
        return new Calls(pool, pool, scheduler, scheduler.clock(), maxSlowSpares, wrappers);
    }

    /** Calls run by the given executor, which does not grow (tests, or an application's own executor). */
    static Calls on(Executor executor, NanoClock clock) {
        return on(executor, clock, TaskWrappers.NONE);
    }

    /** Calls run by the given executor, inside the wrappers. */
    static Calls on(Executor executor, NanoClock clock, TaskWrappers wrappers) {
        return new Calls(executor, null, null, clock, 0, wrappers);
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

    /** A new lane, for one service: its calls run inside the wrappers, which are told the service's name. */
    Lane lane(String serviceName) {
        return new Lane(serviceName);
    }

    /**
     * Abandons a call; if it is inside user code, the pool gets a thread in place of the one it holds
     * until it returns — unless the call, slow, already had a thread of its own, which it keeps.
     */
    Call.Abandonment abandon(Call call) {
        Call.Abandonment abandonment = call.abandon();
        if (abandonment == Call.Abandonment.STUCK) {
            synchronized (this.sizes) {
                this.stuck.incrementAndGet();
                this.spared.remove(call);
                resize();
            }
        }
        return abandonment;
    }

    /** Calls abandoned while inside user code that have not returned yet: the threads they hold. */
    int stuckCalls() {
        // A call returning right as it is abandoned may be counted down a moment before it is counted up.
        return Math.max(0, this.stuck.get());
    }

    /** Slow calls that have a thread of their own now, not counting stuck ones. */
    int slowCalls() {
        synchronized (this.sizes) {
            return this.spared.size();
        }
    }

    /** How many threads the production pool may have now; 0 for an executor given from outside. */
    int threadLimit() {
        return (this.pool != null) ? this.pool.getMaximumPoolSize() : 0;
    }

    /** The production pool's threads now, busy or idle; 0 for an executor given from outside. */
    int threads() {
        return (this.pool != null) ? this.pool.getPoolSize() : 0;
    }

    /**
     * The starvation guard, run on the scheduler {@value #SLOW_CALL_MILLIS} ms after a call had to wait
     * for a thread, and again every {@value #SLOW_CALL_MILLIS} ms while calls still wait: each call that
     * has run that long and is neither abandoned nor already given one gets a thread of its own, up to
     * {@link #MAX_SLOW_SPARES}. Does nothing when no call waits, or for an executor given from outside.
     */
    void guard() {
        this.guardArmed.set(false);
        if (this.pool == null || this.pool.isShutdown() || this.pool.getQueue().isEmpty()) {
            return;
        }
        long now = this.clock.nanoTime();
        synchronized (this.sizes) {
            for (Call call : this.running) {
                if (this.spared.size() >= this.maxSlowSpares) {
                    break;
                }
                if (call.isRunning() && now - call.beganNanos() >= SLOW_CALL_NANOS) {
                    this.spared.add(call);
                }
            }
            resize();
        }
        if (!this.pool.getQueue().isEmpty()) {
            armGuard();
        }
    }

    /** Schedules the guard, unless it is already; only the production pool has one. */
    private void armGuard() {
        if (this.scheduler == null || !this.guardArmed.compareAndSet(false, true)) {
            return;
        }
        try {
            this.scheduler.schedule(this::guard, SLOW_CALL_NANOS);
        } catch (RejectedExecutionException ex) {
            // The supervisor is closing: nothing to guard any more.
            this.guardArmed.set(false);
        }
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

    /**
     * Base threads, plus one per stuck call, plus one per slow call given a thread of its own; grown when a
     * call gets stuck or the guard finds slow calls, shrunk when such a call returns. Caller holds {@link
     * #sizes}.
     */
    private void resize() {
        if (this.pool == null) {
            return;
        }
        int size = BASE_THREADS + Math.max(0, this.stuck.get()) + this.spared.size();
        // The maximum may never be below the core size: raise it first, lower it last.
        if (size > this.pool.getMaximumPoolSize()) {
            this.pool.setMaximumPoolSize(size);
            this.pool.setCorePoolSize(size);
        } else if (size < this.pool.getMaximumPoolSize()) {
            this.pool.setCorePoolSize(size);
            this.pool.setMaximumPoolSize(size);
        }
    }

    /** On the call's thread, once the user code has returned or thrown: the call gives back its thread. */
    private void returned(Call call) {
        boolean abandoned = call.end();
        synchronized (this.sizes) {
            this.running.remove(call);
            boolean hadOwnThread = this.spared.remove(call);
            if (abandoned) {
                this.stuck.decrementAndGet();
            }
            if (abandoned || hadOwnThread) {
                resize();
            }
        }
    }

    /** The calls of one service, one at a time, in the order submitted. */
    final class Lane {

        /** The call running or about to run; null when the lane is idle. Guarded by this lane. */
        private Pending active;

        /** Calls submitted while another was active. Guarded by this lane. */
        private Queue<Pending> waiting;

        /** The service whose calls these are, for the wrappers. */
        private final String serviceName;

        private Lane(String serviceName) {
            this.serviceName = serviceName;
        }

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
            Pending pending = new Pending(this.serviceName, call, kind, body, outcome);
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
            ThreadPoolExecutor production = Calls.this.pool;
            if (production != null
                    && !Calls.this.guardArmed.get()
                    && !production.getQueue().isEmpty()) {
                // The call waits for a thread: the guard looks, in a while, whether slow calls hold them.
                armGuard();
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

        private final String serviceName;

        private final UserCode body;

        private final Consumer<Throwable> outcome;

        Pending(String serviceName, Call call, Kind kind, UserCode body, Consumer<Throwable> outcome) {
            this.serviceName = serviceName;
            this.call = call;
            this.kind = kind;
            this.body = body;
            this.outcome = outcome;
        }

        void run() {
            if (!this.call.begin(Thread.currentThread(), Calls.this.clock.nanoTime())) {
                return;
            }
            synchronized (Calls.this.sizes) {
                Calls.this.running.add(this.call);
            }
            Throwable failure = null;
            try {
                // Only the user code: the lane's bookkeeping and the outcome stay outside what wrappers do.
                Calls.this.wrappers.run(this.serviceName, this.call.toString(), this.body);
            } catch (Throwable ex) {
                failure = ex;
            }
            returned(this.call);
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
