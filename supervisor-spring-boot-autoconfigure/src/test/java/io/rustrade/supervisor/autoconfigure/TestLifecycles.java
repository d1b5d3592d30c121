package io.rustrade.supervisor.autoconfigure;

import io.rustrade.supervisor.Cancellation;
import io.rustrade.supervisor.SupervisedService;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.SmartLifecycle;

/**
 * Lifecycle beans for the integration tests of this package; the feed most of them run is the shared {@link
 * io.rustrade.supervisor.testing.Feed}.
 */
final class TestLifecycles {

    private TestLifecycles() {}

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
