package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.testing.FakeLifecycle;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The threads of an engine built with the production defaults: each kind named after its role, all of them
 * daemons (a supervisor never keeps the JVM alive), and released by {@code close()}. Real threads: waits are
 * bounded by Awaitility or latches.
 */
class ProductionThreadsTests {

    private final Map<String, Thread> threads = new ConcurrentHashMap<>();

    private final SupervisorEngine engine = SupervisorEngine.builder()
            .watchdogInterval(Duration.ZERO)
            .listener(event -> this.threads.putIfAbsent("events", Thread.currentThread()))
            .build();

    @AfterEach
    void close() {
        this.engine.close();
    }

    @Test
    void callsRunLoopsAndEventsRunOnDaemonThreadsNamedAfterTheirRole() throws InterruptedException {
        FakeLifecycle feed = new FakeLifecycle();
        feed.onStart = () -> this.threads.put("call", Thread.currentThread());
        CountDownLatch ran = new CountDownLatch(1);
        this.engine.open();
        this.engine.registerBean("feed", feed, ServiceOptions.defaults());
        // Submitted from a thread that is not a daemon: the call threads are daemons all the same.
        Thread container = new Thread(() -> this.engine.startService("feed"), "container");
        container.setDaemon(false);
        container.start();
        container.join(5_000);
        this.engine.register("poller", cancellation -> {
            this.threads.put("run", Thread.currentThread());
            ran.countDown();
            cancellation.await(Duration.ofSeconds(5));
        });

        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> this.engine.service("feed").orElseThrow().state() == ServiceState.RUNNING
                        && this.threads.containsKey("events"));

        assertThat(this.threads.get("call").getName()).startsWith("rustrade-supervisor-call-");
        assertThat(this.threads.get("run").getName()).isEqualTo("rustrade-supervisor-poller");
        assertThat(this.threads.get("events").getName()).startsWith("rustrade-supervisor-events-");
        assertThat(this.threads.values())
                .allSatisfy(thread ->
                        assertThat(thread.isDaemon()).as(thread.getName()).isTrue());
    }

    @Test
    void onceClosedTheEngineRefusesWorkForItsControlThread() {
        SupervisorEngine closed = SupervisorEngine.builder().build();
        closed.open();

        closed.close();

        assertThatExceptionOfType(RejectedExecutionException.class)
                .isThrownBy(closed::whenApplied)
                .withMessage("The supervisor's control thread has been shut down");
    }
}
