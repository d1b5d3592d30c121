package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustrade.supervisor.Jitter;
import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.ServiceState;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A service that registers and unregisters other services in a tight loop does not hold up another
 * service's restart (issue 23, defect 4). Production threads: each registration launches a run thread on
 * the control thread, which costs far more than the caller's post, so that before the {@link
 * RegistrationGate} a flood of a few hundred milliseconds left tens of thousands of messages in the control
 * thread's mailbox, and a failed run's end waited behind them all: its restart, due 10 ms later, came 4 to
 * 11 s late. Waits are bounded by Awaitility; the flood itself busy-loops.
 */
class RegistrationFloodTests {

    /** How long the flood goes on before the other service fails: long enough to bury it, before the fix. */
    private static final Duration FLOOD_BEFORE_FAILURE = Duration.ofMillis(300);

    private final SupervisorEngine engine =
            SupervisorEngine.builder().watchdogInterval(Duration.ZERO).build();

    private final AtomicBoolean floodOver = new AtomicBoolean();

    @AfterEach
    void close() {
        this.floodOver.set(true);
        this.engine.close();
    }

    @Test
    void aFloodOfRegistrationsDoesNotDelayAnotherServicesRestart() throws InterruptedException {
        this.engine.open();
        CountDownLatch failNow = new CountDownLatch(1);
        AtomicLong failedAt = new AtomicLong();
        AtomicLong restartedAt = new AtomicLong();
        AtomicInteger runs = new AtomicInteger();
        this.engine.register(
                "victim",
                cancellation -> {
                    if (runs.incrementAndGet() == 1) {
                        failNow.await();
                        failedAt.set(System.nanoTime());
                        throw new IllegalStateException("connection reset");
                    }
                    restartedAt.compareAndSet(0, System.nanoTime());
                    cancellation.await(Duration.ofMinutes(1));
                },
                ServiceOptions.builder()
                        .backoff(BackoffPolicy.builder()
                                .baseDelay(Duration.ofMillis(10))
                                .jitter(Jitter.NONE)
                                .build())
                        .build());
        await("the victim's first run").atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 1);
        AtomicInteger pairs = new AtomicInteger();
        this.engine.register("flooder", cancellation -> {
            long began = System.nanoTime();
            for (int i = 0; !this.floodOver.get() && !cancellation.isCancelled(); i++) {
                if (failNow.getCount() > 0 && System.nanoTime() - began >= FLOOD_BEFORE_FAILURE.toNanos()) {
                    failNow.countDown();
                }
                String name = "flood-" + i;
                this.engine.register(name, flooded -> flooded.await(Duration.ofMinutes(1)));
                this.engine.unregister(name);
                pairs.incrementAndGet();
            }
        });

        await("the victim's failure")
                .atMost(FLOOD_BEFORE_FAILURE.plusSeconds(5))
                .until(() -> failedAt.get() != 0);
        await("the victim's restart, due 10 ms after its failure")
                .atMost(Duration.ofSeconds(1))
                .until(() -> restartedAt.get() != 0);

        long late = TimeUnit.NANOSECONDS.toMillis(restartedAt.get() - failedAt.get());
        assertThat(late).as("ms from the failure to the restart").isLessThan(1_000);
        assertThat(pairs.get()).as("the flood went on meanwhile").isPositive();
        this.floodOver.set(true);
        await("the flood's last requests applied")
                .atMost(Duration.ofSeconds(10))
                .until(() -> {
                    this.engine.whenApplied().get(10, TimeUnit.SECONDS);
                    return this.engine.services().stream()
                            .map(ServiceSnapshot::name)
                            .allMatch(name -> name.equals("victim") || name.equals("flooder"));
                });
        ServiceSnapshot victim = this.engine.service("victim").orElseThrow();
        assertThat(victim.state()).isEqualTo(ServiceState.RUNNING);
        assertThat(victim.restarts()).isEqualTo(1);
    }

    @Test
    void aNameUnregisteredAndRegisteredAgainInAFloodIsVisibleAtOnceAndEndsUpRunning() {
        this.engine.open();
        AtomicInteger visibleAtOnce = new AtomicInteger();
        int rounds = 2 * RegistrationGate.MAX_WAITING + 1;
        for (int i = 0; i < rounds; i++) {
            this.engine.register("echo", cancellation -> cancellation.await(Duration.ofMinutes(1)));
            if (this.engine.service("echo").isPresent()) {
                visibleAtOnce.incrementAndGet();
            }
            this.engine.unregister("echo");
        }
        AtomicBoolean lastRuns = new AtomicBoolean();
        this.engine.register("echo", cancellation -> {
            lastRuns.set(true);
            cancellation.await(Duration.ofMinutes(1));
        });

        assertThat(visibleAtOnce.get()).isEqualTo(rounds);
        await("the last registration's run")
                .atMost(Duration.ofSeconds(10))
                .until(() -> lastRuns.get()
                        && this.engine.service("echo").orElseThrow().state() == ServiceState.RUNNING);
    }
}
