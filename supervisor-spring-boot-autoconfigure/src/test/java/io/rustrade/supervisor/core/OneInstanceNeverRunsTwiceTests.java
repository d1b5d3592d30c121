package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.NoSuchServiceException;
import io.rustrade.supervisor.SupervisedService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * One {@link SupervisedService} instance registered, unregistered and registered again under one name while
 * operator commands and failure reports come from 16 threads: its {@code run} is never entered while a
 * previous run of it has not returned. Real threads, for a bounded time: {@code -Drustrade.hammer-millis}
 * (3000 by default) per round, {@code -Drustrade.hammer-rounds} rounds (1 by default; checked with 20).
 */
class OneInstanceNeverRunsTwiceTests {

    private static final Duration HAMMERING = Duration.ofMillis(Long.getLong("rustrade.hammer-millis", 3000));

    private static final int ROUNDS = Integer.getInteger("rustrade.hammer-rounds", 1);

    private final AtomicInteger inside = new AtomicInteger();

    private final AtomicInteger mostInside = new AtomicInteger();

    private final AtomicInteger runs = new AtomicInteger();

    private final SupervisedService poller = cancellation -> {
        this.mostInside.accumulateAndGet(this.inside.incrementAndGet(), Math::max);
        this.runs.incrementAndGet();
        try {
            cancellation.await(Duration.ofMillis(ThreadLocalRandom.current().nextInt(5)));
            if (ThreadLocalRandom.current().nextInt(4) == 0) {
                throw new IllegalStateException("poller broke");
            }
        } finally {
            this.inside.decrementAndGet();
        }
    };

    @Test
    void oneInstanceRegisteredAgainAndAgainUnderOneNameNeverRunsTwiceAtOnce() throws InterruptedException {
        for (int round = 1; round <= ROUNDS; round++) {
            try (SupervisorEngine engine = newEngine()) {
                hammer(engine);
            }
            assertThat(this.runs.get()).as("it ran").isPositive();
            assertThat(this.mostInside.get())
                    .as("round %d: never two runs of the instance at once", round)
                    .isEqualTo(1);
        }
    }

    private static SupervisorEngine newEngine() {
        SupervisorEngine engine = SupervisorEngine.builder()
                .watchdogInterval(Duration.ZERO)
                .registrationOptions(name -> ServiceOptions.builder()
                        .backoff(BackoffPolicy.builder()
                                .baseDelay(Duration.ofMillis(1))
                                .maxDelay(Duration.ofMillis(5))
                                .build())
                        .circuitBreaker(
                                CircuitBreakerPolicy.builder().maxFailures(0).build())
                        .build())
                .build();
        engine.open();
        return engine;
    }

    /** 16 threads register, unregister, command and report at random, for {@link #HAMMERING}. */
    private void hammer(SupervisorEngine engine) throws InterruptedException {
        long end = System.nanoTime() + HAMMERING.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Thread thread = new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (System.nanoTime() < end) {
                    try {
                        switch (random.nextInt(8)) {
                            case 0 -> engine.register("poller", this.poller);
                            case 1 -> engine.unregister("poller");
                            case 2 -> engine.restart("poller");
                            case 3 -> engine.stop("poller");
                            case 4 -> engine.start("poller");
                            case 5 -> engine.reset("poller");
                            default -> engine.reportFailure("poller", new IllegalStateException("reported"));
                        }
                    } catch (IllegalArgumentException | NoSuchServiceException ex) {
                        // Registered already, or not at the moment: the race this test is about.
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(this.runs.get()).as("it ran").isPositive();
        assertThat(this.mostInside.get())
                .as("never two runs of the instance at once")
                .isEqualTo(1);
    }
}
