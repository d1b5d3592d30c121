package io.rustrade.supervisor.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.rustrade.supervisor.Supervisor;
import io.rustrade.supervisor.actuate.autoconfigure.SupervisorMetricsAutoConfiguration;
import io.rustrade.supervisor.autoconfigure.SupervisorAutoConfiguration;
import io.rustrade.supervisor.core.SupervisorEngine;
import io.rustrade.supervisor.event.ServiceFailedEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;

/**
 * An application listener blocked forever, in a real application context: the supervisor's own log lines
 * and the meters that follow its events go on all the same, for they are delivered apart from the
 * application's listeners.
 */
@ExtendWith(OutputCaptureExtension.class)
class EventIsolationFaultTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    SupervisorAutoConfiguration.class,
                    LifecycleAutoConfiguration.class,
                    SupervisorMetricsAutoConfiguration.class,
                    MetricsAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class))
            .withPropertyValues(
                    "rustrade.supervisor.backoff.base-delay=10ms",
                    "rustrade.supervisor.backoff.max-delay=20ms",
                    "rustrade.supervisor.backoff.jitter=none",
                    "rustrade.supervisor.start-timeout=200ms",
                    "rustrade.supervisor.circuit-breaker.max-failures=0");

    /** Every latch a test made, opened when it ends, so that no thread stays blocked. */
    private final List<CountDownLatch> latches = new CopyOnWriteArrayList<>();

    @AfterEach
    void releaseBlockedThreads() {
        this.latches.forEach(CountDownLatch::countDown);
    }

    @Test
    void aBlockedApplicationListenerDoesNotSilenceTheWarningOfAnAbandonedCallNorTheMeters(CapturedOutput output) {
        HangingStart hung = new HangingStart(latch());
        BlockingFailureListener blocking = new BlockingFailureListener(latch());
        this.runner
                .withBean("blocking", BlockingFailureListener.class, () -> blocking)
                .withBean("hung", HangingStart.class, () -> hung)
                .run(context -> {
                    Supervisor supervisor = context.getBean(Supervisor.class);
                    SupervisorEngine engine = context.getBean(SupervisorEngine.class);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(hung.starts).hasValue(1);

                    supervisor.reportFailure("hung", new IllegalStateException("connection lost"));
                    await("the application listener blocks on the failure, the restart hangs and is abandoned")
                            .atMost(Duration.ofSeconds(3))
                            .until(() -> blocking.held.get() == 1 && engine.abandonedCalls() == 1);

                    await("the warning naming the service and the stack of its stuck call")
                            .atMost(Duration.ofSeconds(2))
                            .until(() -> output.getOut()
                                    .contains("Service 'hung': start() did not return within" + " 200ms; abandoned"));
                    assertThat(output.getOut())
                            .contains(HangingStart.class.getName() + ".start(")
                            .contains("Service 'hung' failed (attempt 2; restarts in 20ms): "
                                    + "io.rustrade.supervisor.StartTimeoutException");
                    await("the meters follow the events: the last restart delay")
                            .atMost(Duration.ofSeconds(2))
                            .until(() -> registry.get("rustrade.supervisor.backoff.delay")
                                            .tag("service", "hung")
                                            .gauge()
                                            .value()
                                    == 0.020);

                    supervisor.register("late", cancellation -> cancellation.await(Duration.ofSeconds(5)));
                    await("a service registered meanwhile has its meters")
                            .atMost(Duration.ofSeconds(2))
                            .until(() -> registry.find("rustrade.supervisor.state")
                                            .tag("service", "late")
                                            .gauges()
                                            .size()
                                    > 0);

                    assertThat(blocking.held)
                            .as("the application listener is still blocked")
                            .hasValue(1);
                    assertThat(blocking.heard)
                            .as("it heard only the first failure")
                            .hasValue(1);
                    // Let them go, or closing the context waits for the listener to take the last events.
                    releaseBlockedThreads();
                });
    }

    private CountDownLatch latch() {
        CountDownLatch latch = new CountDownLatch(1);
        this.latches.add(latch);
        return latch;
    }

    /** Waits until the latch opens, swallowing interrupts, as a thread stuck in user code does. */
    private static void hold(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException ex) {
                // Ignored on purpose: the hostile part.
            }
        }
    }

    /** An application listener that blocks, until the test lets it go, on the first failure it hears of. */
    static class BlockingFailureListener {

        private final CountDownLatch release;

        final AtomicInteger heard = new AtomicInteger();

        final AtomicInteger held = new AtomicInteger();

        BlockingFailureListener(CountDownLatch release) {
            this.release = release;
        }

        @EventListener
        void onFailure(ServiceFailedEvent event) {
            this.heard.incrementAndGet();
            this.held.incrementAndGet();
            try {
                hold(this.release);
            } finally {
                this.held.decrementAndGet();
            }
        }
    }

    /** A lifecycle bean whose first start succeeds and whose later starts hang, ignoring interrupts. */
    static class HangingStart implements SmartLifecycle {

        private final CountDownLatch release;

        final AtomicInteger starts = new AtomicInteger();

        private volatile boolean running;

        HangingStart(CountDownLatch release) {
            this.release = release;
        }

        @Override
        public void start() {
            if (this.starts.incrementAndGet() > 1) {
                hold(this.release);
            }
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
}
