package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.testing.FakeLifecycle;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Reports from many threads at once, and the production threads end to end. */
class ConcurrencyTests {

    @Test
    void sixteenThreadsReportingTheSameFailureCountOnce() throws Exception {
        EngineFixture fixture = new EngineFixture();
        fixture.engine.registerBean(
                "feed", new FakeLifecycle(), EngineFixture.exact().build());
        fixture.engine.startService("feed");
        fixture.runUntilIdle();

        CountDownLatch go = new CountDownLatch(1);
        List<Thread> reporters = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            int id = i;
            Thread reporter = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                fixture.engine.reportFailure("feed", new IOException("reporter " + id));
            });
            reporter.start();
            reporters.add(reporter);
        }
        go.countDown();
        for (Thread reporter : reporters) {
            reporter.join(TimeUnit.SECONDS.toMillis(10));
        }
        fixture.runUntilIdle();

        assertThat(fixture.snapshot("feed").failures()).isEqualTo(1);
        assertThat(fixture.snapshot("feed").attempt()).isEqualTo(1);
        assertThat(fixture.events(SupervisionEvent.Failed.class)).hasSize(1);
    }

    @Test
    void theProductionThreadsRestartAFailingRunLoop() {
        try (SupervisorEngine engine = SupervisorEngine.builder().build()) {
            engine.open();
            java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
            engine.register(
                    "poller",
                    cancellation -> {
                        if (runs.incrementAndGet() < 3) {
                            throw new IOException("not yet");
                        }
                        cancellation.await(Duration.ofMinutes(1));
                    },
                    ServiceOptions.builder()
                            .backoff(BackoffPolicy.builder()
                                    .baseDelay(Duration.ofMillis(5))
                                    .build())
                            .build());

            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() ->
                            engine.service("poller").orElseThrow().state() == ServiceState.RUNNING && runs.get() == 3);
            assertThat(engine.service("poller").orElseThrow().failures()).isEqualTo(2);
        }
    }

    @Test
    void closeStopsEveryServiceAndReturns() {
        CountDownLatch ended = new CountDownLatch(1);
        SupervisorEngine engine = SupervisorEngine.builder().build();
        engine.open();
        engine.register("poller", cancellation -> {
            try {
                cancellation.await(Duration.ofMinutes(10));
            } finally {
                ended.countDown();
            }
        });
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> engine.service("poller").orElseThrow().state() == ServiceState.RUNNING);

        engine.close();

        assertThat(ended.getCount()).isZero();
        assertThat(engine.service("poller").orElseThrow().state()).isEqualTo(ServiceState.STOPPED);
    }

    @Test
    void closeLetsListenersHearTheLastStopsBeforeItReturns() {
        List<SupervisionEvent> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        SupervisorEngine engine = SupervisorEngine.builder()
                .listener(event -> {
                    if (event instanceof SupervisionEvent.Stopped) {
                        // A slow listener: close() must still wait for it to have the event.
                        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
                    }
                    heard.add(event);
                })
                .build();
        engine.open();
        engine.register("poller", cancellation -> cancellation.await(Duration.ofMinutes(10)));
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> engine.service("poller").orElseThrow().state() == ServiceState.RUNNING);

        engine.close();

        assertThat(heard).last().isInstanceOf(SupervisionEvent.Stopped.class);
    }

    @Test
    void aListenerThatClosesTheEngineDoesNotWaitForItself() {
        CountDownLatch closed = new CountDownLatch(1);
        List<SupervisorEngine> engines = new ArrayList<>();
        SupervisorEngine engine = SupervisorEngine.builder()
                .listener(event -> {
                    if (event instanceof SupervisionEvent.Failed) {
                        engines.get(0).close();
                        closed.countDown();
                    }
                })
                .build();
        engines.add(engine);
        engine.open();
        engine.register("poller", cancellation -> {
            throw new IOException("unreachable");
        });

        // close() waits up to 5 s for deliveries; from a listener it must not wait for its own thread.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(3)).until(() -> closed.getCount() == 0);
        assertThat(engine.service("poller").orElseThrow().state()).isNotEqualTo(ServiceState.RUNNING);
    }

    @Test
    void aListenerThatClosesTheEngineStillLetsTheOthersHaveTheLastStops() {
        List<SupervisionEvent> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<SupervisorEngine> engines = new ArrayList<>();
        SupervisorEngine engine = SupervisorEngine.builder()
                .listener(event -> {
                    if (event instanceof SupervisionEvent.Reset) {
                        engines.get(0).close();
                    }
                })
                .listener(heard::add)
                .build();
        engines.add(engine);
        engine.open();
        engine.register("poller", cancellation -> cancellation.await(Duration.ofMinutes(10)));
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> engine.service("poller").orElseThrow().state() == ServiceState.RUNNING);

        engine.reset("poller");

        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(heard).last().isInstanceOf(SupervisionEvent.Stopped.class));
    }
}
