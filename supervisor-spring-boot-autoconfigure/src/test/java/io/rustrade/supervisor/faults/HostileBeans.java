package io.rustrade.supervisor.faults;

import io.rustrade.supervisor.Cancellation;
import io.rustrade.supervisor.SupervisedService;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.SmartLifecycle;

/** Small hostile beans for the fault-injection tests: they hang, ignore interrupts, throw what they like. */
final class HostileBeans {

    private HostileBeans() {}

    /**
     * A gate that holds whoever passes it until it is opened, ignoring interrupts while it waits. Every gate
     * made is remembered, so that a test can open them all when it ends and leave no thread behind.
     */
    static final class Gate {

        private static final List<Gate> ALL = new CopyOnWriteArrayList<>();

        private final CountDownLatch open = new CountDownLatch(1);

        /** Threads held by the gate right now. */
        final AtomicInteger held = new AtomicInteger();

        Gate() {
            ALL.add(this);
        }

        /** Waits until the gate opens; an interrupt is swallowed and the wait goes on, as a hung call does. */
        void hold() {
            this.held.incrementAndGet();
            try {
                while (true) {
                    try {
                        this.open.await();
                        return;
                    } catch (InterruptedException ex) {
                        // Ignored on purpose: this is the hostile part.
                    }
                }
            } finally {
                this.held.decrementAndGet();
            }
        }

        void open() {
            this.open.countDown();
        }

        /** Opens every gate made so far. */
        static void openAll() {
            ALL.forEach(Gate::open);
            ALL.clear();
        }
    }

    /** Busy for the given time whatever happens: interrupts are swallowed. */
    static void busyFor(long millis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long left;
        while ((left = until - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException ex) {
                // Ignored on purpose.
            }
        }
    }

    /** What a hostile method does when called; {@code call} counts that method's calls from 1. */
    @FunctionalInterface
    interface Behaviour {

        Behaviour NOTHING = call -> {};

        void act(int call);
    }

    /**
     * A {@code SmartLifecycle} whose {@code start()}, {@code stop()} and {@code isRunning()} do what the test
     * says before doing their usual work. It counts its calls and how many of them were ever inside it at
     * once.
     */
    static class HostileLifecycle implements SmartLifecycle {

        final String name;

        volatile boolean running;

        final AtomicInteger starts = new AtomicInteger();

        final AtomicInteger stops = new AtomicInteger();

        final AtomicInteger polls = new AtomicInteger();

        /** Calls of any kind inside the bean now, and the most ever seen. */
        final AtomicInteger inside = new AtomicInteger();

        final AtomicInteger maxInside = new AtomicInteger();

        /** start() calls inside the bean now, and the most ever seen. */
        final AtomicInteger startsInside = new AtomicInteger();

        final AtomicInteger maxStartsInside = new AtomicInteger();

        volatile Behaviour onStart = Behaviour.NOTHING;

        volatile Behaviour onStop = Behaviour.NOTHING;

        volatile Behaviour onIsRunning = Behaviour.NOTHING;

        volatile int phase = DEFAULT_PHASE;

        HostileLifecycle(String name) {
            this.name = name;
        }

        @Override
        public void start() {
            enter();
            max(this.maxStartsInside, this.startsInside.incrementAndGet());
            try {
                this.onStart.act(this.starts.incrementAndGet());
                this.running = true;
            } finally {
                this.startsInside.decrementAndGet();
                exit();
            }
        }

        @Override
        public void stop() {
            enter();
            try {
                this.onStop.act(this.stops.incrementAndGet());
                this.running = false;
            } finally {
                exit();
            }
        }

        @Override
        public boolean isRunning() {
            enter();
            try {
                this.onIsRunning.act(this.polls.incrementAndGet());
                return this.running;
            } finally {
                exit();
            }
        }

        @Override
        public int getPhase() {
            return this.phase;
        }

        /** Stops without telling anybody, as a crashed connection does. */
        void crashSilently() {
            this.running = false;
        }

        private void enter() {
            max(this.maxInside, this.inside.incrementAndGet());
        }

        private void exit() {
            this.inside.decrementAndGet();
        }

        private static void max(AtomicInteger max, int now) {
            max.accumulateAndGet(now, Math::max);
        }

        @Override
        public String toString() {
            return "HostileLifecycle[" + this.name + "]";
        }
    }

    /** An exception that cannot even say what it is: its {@code getMessage()} throws. */
    static final class UnreadableException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        @Override
        public String getMessage() {
            throw new IllegalStateException("no message for you");
        }
    }

    /** A run loop that throws an {@link UnreadableException} on its first run, then runs until cancelled. */
    static final class UnreadableRunLoop implements SupervisedService {

        final AtomicInteger runs = new AtomicInteger();

        @Override
        public void run(Cancellation cancellation) {
            if (this.runs.incrementAndGet() == 1) {
                throw new UnreadableException();
            }
            while (!cancellation.await(java.time.Duration.ofSeconds(10))) {
                // work
            }
        }
    }

    /**
     * A run loop that, when cancelled, lingers for a while ignoring interrupts, and counts how many runs of
     * its name are going on at once (the counter is shared by every instance registered under one name).
     */
    static final class LingeringRunLoop implements SupervisedService {

        private final AtomicInteger running;

        private final AtomicInteger maxRunning;

        private final long lingerMillis;

        final AtomicInteger runs = new AtomicInteger();

        LingeringRunLoop(AtomicInteger running, AtomicInteger maxRunning, long lingerMillis) {
            this.running = running;
            this.maxRunning = maxRunning;
            this.lingerMillis = lingerMillis;
        }

        @Override
        public void run(Cancellation cancellation) {
            this.maxRunning.accumulateAndGet(this.running.incrementAndGet(), Math::max);
            this.runs.incrementAndGet();
            try {
                while (!cancellation.await(java.time.Duration.ofSeconds(10))) {
                    // work
                }
                busyFor(this.lingerMillis);
            } finally {
                this.running.decrementAndGet();
            }
        }
    }
}
