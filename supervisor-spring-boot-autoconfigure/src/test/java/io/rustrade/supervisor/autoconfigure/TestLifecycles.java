package io.rustrade.supervisor.autoconfigure;

import io.rustrade.supervisor.Cancellation;
import io.rustrade.supervisor.SupervisedService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.SmartLifecycle;

/** Lifecycle beans for the integration tests. */
final class TestLifecycles {

    private TestLifecycles() {}

    /** A feed whose first {@code failures} starts throw; records every call in a shared journal. */
    static class Feed implements SmartLifecycle {

        final List<String> journal;

        final String name;

        final int phase;

        final AtomicInteger starts = new AtomicInteger();

        /** The name of the thread each start() ran on. */
        final List<String> startThreads = new CopyOnWriteArrayList<>();

        volatile int failures;

        volatile boolean running;

        volatile boolean autoStartup = true;

        Feed(String name, int phase, List<String> journal) {
            this.name = name;
            this.phase = phase;
            this.journal = journal;
        }

        Feed(String name) {
            this(name, 0, new CopyOnWriteArrayList<>());
        }

        Feed failingFirst(int failures) {
            this.failures = failures;
            return this;
        }

        @Override
        public void start() {
            this.journal.add("start " + this.name);
            this.startThreads.add(Thread.currentThread().getName());
            if (this.starts.incrementAndGet() <= this.failures) {
                throw new IllegalStateException("login refused");
            }
            this.running = true;
        }

        @Override
        public void stop() {
            this.journal.add("stop " + this.name);
            this.running = false;
        }

        @Override
        public boolean isRunning() {
            return this.running;
        }

        @Override
        public int getPhase() {
            return this.phase;
        }

        @Override
        public boolean isAutoStartup() {
            return this.autoStartup;
        }
    }

    /** A final class as a lifecycle bean: proxies could not subclass it. */
    static final class FinalGateway implements SmartLifecycle {

        volatile boolean running;

        @Override
        public void start() {
            this.running = true;
        }

        @Override
        public void stop() {
            this.running = false;
        }

        @Override
        public boolean isRunning() {
            return this.running;
        }
    }

    /** A record as a lifecycle bean. */
    record RecordConsumer(AtomicInteger starts, boolean[] running) implements SmartLifecycle {

        RecordConsumer() {
            this(new AtomicInteger(), new boolean[1]);
        }

        @Override
        public void start() {
            this.starts.incrementAndGet();
            this.running[0] = true;
        }

        @Override
        public void stop() {
            this.running[0] = false;
        }

        @Override
        public boolean isRunning() {
            return this.running[0];
        }
    }

    /** A run loop that works until cancelled. */
    static final class Reconciler implements SupervisedService {

        final AtomicInteger runs = new AtomicInteger();

        final CountDownLatch cancelled = new CountDownLatch(1);

        @Override
        public void run(Cancellation cancellation) {
            this.runs.incrementAndGet();
            while (!cancellation.await(Duration.ofSeconds(10))) {
                // reconcile positions
            }
            this.cancelled.countDown();
        }
    }
}
