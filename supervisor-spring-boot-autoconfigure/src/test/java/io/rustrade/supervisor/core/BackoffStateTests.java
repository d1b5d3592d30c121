package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.Jitter;
import io.rustrade.supervisor.core.BackoffDecision.CircuitOpen;
import io.rustrade.supervisor.core.BackoffDecision.Retry;
import io.rustrade.supervisor.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The rules of backoff (SPEC §5) and the circuit breaker (SPEC §6), on a virtual clock. */
class BackoffStateTests {

    private final ManualClock clock = new ManualClock();

    private static final CircuitBreakerPolicy NO_BREAKER =
            CircuitBreakerPolicy.builder().maxFailures(0).build();

    private BackoffState state(BackoffPolicy backoff, CircuitBreakerPolicy breaker, RandomGenerator random) {
        return new BackoffState(backoff, breaker, this.clock, random);
    }

    private BackoffState noJitter(Duration base, Duration max) {
        return state(
                BackoffPolicy.builder()
                        .baseDelay(base)
                        .maxDelay(max)
                        .jitter(Jitter.NONE)
                        .build(),
                NO_BREAKER,
                ExtremeRandom.HIGHEST);
    }

    private static Duration retryDelay(BackoffDecision decision) {
        assertThat(decision).isInstanceOf(Retry.class);
        return ((Retry) decision).delay();
    }

    @Test
    void firstRetryWaitsAtMostBaseDelay() {
        BackoffState state = state(
                BackoffPolicy.builder().baseDelay(Duration.ofMillis(100)).build(), NO_BREAKER, ExtremeRandom.HIGHEST);

        assertThat(retryDelay(state.recordFailure())).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void ceilingDoublesWithEachAttemptUntilMaxDelay() {
        BackoffState state = noJitter(Duration.ofMillis(100), Duration.ofSeconds(5));

        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            delays.add(retryDelay(state.recordFailure()));
        }

        assertThat(delays)
                .containsExactly(
                        Duration.ofMillis(100),
                        Duration.ofMillis(200),
                        Duration.ofMillis(400),
                        Duration.ofMillis(800),
                        Duration.ofMillis(1600),
                        Duration.ofMillis(3200),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(5));
    }

    @Test
    void ceilingIsComputedWithoutOverflowForAnyAttempt() {
        BackoffPolicy widest = BackoffPolicy.builder()
                .baseDelay(Duration.ofNanos(3))
                .maxDelay(Duration.ofSeconds(Long.MAX_VALUE))
                .build();

        assertThat(widest.ceilingNanos(62)).isEqualTo(3L << 61);
        assertThat(widest.ceilingNanos(63)).isEqualTo(Long.MAX_VALUE);
        assertThat(widest.ceilingNanos(64)).isEqualTo(Long.MAX_VALUE);
        assertThat(widest.ceilingNanos(Integer.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(BackoffPolicy.defaults().ceiling(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(60));
        assertThat(BackoffPolicy.defaults().ceiling(0)).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void delaysKeepNanosecondResolution() {
        BackoffState state = noJitter(Duration.ofNanos(1_500), Duration.ofNanos(5_001));

        assertThat(retryDelay(state.recordFailure())).isEqualTo(Duration.ofNanos(1_500));
        assertThat(retryDelay(state.recordFailure())).isEqualTo(Duration.ofNanos(3_000));
        assertThat(retryDelay(state.recordFailure())).isEqualTo(Duration.ofNanos(5_001));
    }

    @Test
    void fullJitterDrawsBetweenZeroAndTheCeiling() {
        BackoffPolicy policy = BackoffPolicy.builder()
                .baseDelay(Duration.ofMillis(100))
                .jitter(Jitter.FULL)
                .build();
        BackoffState low = state(policy, NO_BREAKER, ExtremeRandom.LOWEST);
        BackoffState high = state(policy, NO_BREAKER, ExtremeRandom.HIGHEST);

        low.recordFailure();
        high.recordFailure();

        assertThat(retryDelay(low.recordFailure())).isZero();
        assertThat(retryDelay(high.recordFailure())).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void equalJitterWaitsAtLeastHalfTheCeiling() {
        BackoffPolicy policy = BackoffPolicy.builder()
                .baseDelay(Duration.ofNanos(101))
                .jitter(Jitter.EQUAL)
                .build();
        BackoffState low = state(policy, NO_BREAKER, ExtremeRandom.LOWEST);
        BackoffState high = state(policy, NO_BREAKER, ExtremeRandom.HIGHEST);

        assertThat(retryDelay(low.recordFailure())).isEqualTo(Duration.ofNanos(50));
        assertThat(retryDelay(high.recordFailure())).isEqualTo(Duration.ofNanos(101));
    }

    @Test
    void decorrelatedJitterDrawsBetweenBaseDelayAndThreeTimesThePreviousDelay() {
        BackoffPolicy policy = BackoffPolicy.builder()
                .baseDelay(Duration.ofMillis(100))
                .maxDelay(Duration.ofSeconds(2))
                .jitter(Jitter.DECORRELATED)
                .build();
        BackoffState high = state(policy, NO_BREAKER, ExtremeRandom.HIGHEST);
        BackoffState low = state(policy, NO_BREAKER, ExtremeRandom.LOWEST);

        assertThat(retryDelay(high.recordFailure())).isEqualTo(Duration.ofMillis(300));
        assertThat(retryDelay(high.recordFailure())).isEqualTo(Duration.ofMillis(900));
        assertThat(retryDelay(high.recordFailure())).isEqualTo(Duration.ofSeconds(2));
        assertThat(retryDelay(high.recordFailure())).isEqualTo(Duration.ofSeconds(2));
        assertThat(retryDelay(low.recordFailure())).isEqualTo(Duration.ofMillis(100));
        assertThat(retryDelay(low.recordFailure())).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void decorrelatedJitterStartsAgainFromBaseDelayAfterAReset() {
        BackoffPolicy policy = BackoffPolicy.builder()
                .baseDelay(Duration.ofMillis(100))
                .jitter(Jitter.DECORRELATED)
                .build();
        BackoffState state = state(policy, NO_BREAKER, ExtremeRandom.HIGHEST);
        state.recordFailure();
        state.recordFailure();

        state.reset();

        assertThat(retryDelay(state.recordFailure())).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void noJitterWaitsExactlyTheCeiling() {
        BackoffState state = state(
                BackoffPolicy.builder()
                        .baseDelay(Duration.ofMillis(250))
                        .jitter(Jitter.NONE)
                        .build(),
                NO_BREAKER,
                ExtremeRandom.LOWEST);

        assertThat(retryDelay(state.recordFailure())).isEqualTo(Duration.ofMillis(250));
        assertThat(retryDelay(state.recordFailure())).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void everyDelayStaysWithinMaxDelayAtTheCap() {
        for (Jitter jitter : Jitter.values()) {
            for (RandomGenerator random : List.of(ExtremeRandom.LOWEST, ExtremeRandom.HIGHEST)) {
                BackoffState state = state(
                        BackoffPolicy.builder()
                                .baseDelay(Duration.ofSeconds(1))
                                .maxDelay(Duration.ofSeconds(10))
                                .jitter(jitter)
                                .build(),
                        NO_BREAKER,
                        random);
                for (int i = 0; i < 200; i++) {
                    assertThat(retryDelay(state.recordFailure()))
                            .as("%s jitter drawing %s, failure %d", jitter, random, i + 1)
                            .isBetween(Duration.ZERO, Duration.ofSeconds(10));
                }
            }
        }
    }

    @Test
    void jitterNeverCollapsesAtTheCap() {
        BackoffState state = state(
                BackoffPolicy.builder()
                        .baseDelay(Duration.ofSeconds(1))
                        .maxDelay(Duration.ofSeconds(10))
                        .build(),
                NO_BREAKER,
                new SplittableRandom(42));
        for (int i = 0; i < 10; i++) {
            state.recordFailure();
        }

        List<Duration> atTheCap = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            atTheCap.add(retryDelay(state.recordFailure()));
        }

        // Full jitter keeps spreading restarts over [0, max-delay] at the cap: no two services
        // that fail together are pinned to the same instant.
        assertThat(atTheCap).doesNotHaveDuplicates();
        assertThat(atTheCap).anyMatch(delay -> delay.compareTo(Duration.ofSeconds(3)) < 0);
        assertThat(atTheCap).anyMatch(delay -> delay.compareTo(Duration.ofSeconds(7)) > 0);
    }

    @Test
    void attemptCountsConsecutiveFailuresFromOne() {
        BackoffState state = noJitter(Duration.ofMillis(100), Duration.ofSeconds(1));
        assertThat(state.attempt()).isZero();

        state.recordFailure();
        assertThat(state.attempt()).isEqualTo(1);
        state.recordStart();
        state.recordFailure();
        assertThat(state.attempt()).isEqualTo(2);
    }

    @Test
    void lastDelayReportsTheLastRetryDelay() {
        BackoffState state = noJitter(Duration.ofMillis(100), Duration.ofSeconds(1));
        assertThat(state.lastDelay()).isZero();

        state.recordFailure();
        state.recordFailure();

        assertThat(state.lastDelay()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void cooldownResetClearsHistoryBeforeTheFailureIsCounted() {
        BackoffState state = state(
                BackoffPolicy.builder()
                        .jitter(Jitter.NONE)
                        .cooldownPeriod(Duration.ofMinutes(5))
                        .build(),
                CircuitBreakerPolicy.builder().maxFailures(5).build(),
                ExtremeRandom.HIGHEST);
        for (int i = 0; i < 4; i++) {
            state.recordFailure();
        }

        state.recordStart();
        this.clock.advance(Duration.ofMinutes(5));
        BackoffDecision decision = state.recordFailure();

        assertThat(state.attempt()).isEqualTo(1);
        assertThat(state.recentFailures()).isEqualTo(1);
        assertThat(retryDelay(decision)).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void cooldownDoesNotResetWhenTheRunWasShorter() {
        BackoffState state = noJitter(Duration.ofMillis(100), Duration.ofMinutes(1));
        state.recordFailure();
        state.recordFailure();

        state.recordStart();
        this.clock.advance(Duration.ofMinutes(5).minusNanos(1));
        state.recordFailure();

        assertThat(state.attempt()).isEqualTo(3);
    }

    @Test
    void failedStartAfterALongRunDoesNotResetAgain() {
        BackoffState state = noJitter(Duration.ofMillis(100), Duration.ofMinutes(1));
        state.recordStart();
        this.clock.advance(Duration.ofHours(1));
        state.recordFailure(); // the long run ends: history cleared, this failure is attempt 1

        this.clock.advance(Duration.ofMinutes(10));
        state.recordFailure(); // start() threw: no successful start since the long run

        assertThat(state.attempt()).isEqualTo(2);
    }

    @Test
    void completionAfterTheCooldownPeriodClearsHistory() {
        BackoffState state = noJitter(Duration.ofMillis(100), Duration.ofMinutes(1));
        state.recordFailure();
        state.recordFailure();

        state.recordStart();
        this.clock.advance(Duration.ofMinutes(5));

        assertThat(state.recordCompletion()).isTrue();
        assertThat(state.attempt()).isZero();
    }

    @Test
    void completionBeforeTheCooldownPeriodKeepsHistory() {
        BackoffState state = noJitter(Duration.ofMillis(100), Duration.ofMinutes(1));
        state.recordFailure();
        state.recordStart();
        this.clock.advance(Duration.ofMinutes(1));

        assertThat(state.recordCompletion()).isFalse();
        assertThat(state.attempt()).isEqualTo(1);
    }

    @Test
    void circuitOpensOnTheNthFailureInsideTheWindow() {
        BackoffState state = state(
                BackoffPolicy.defaults(),
                CircuitBreakerPolicy.builder()
                        .maxFailures(3)
                        .window(Duration.ofMinutes(10))
                        .build(),
                new SplittableRandom(1));

        assertThat(state.recordFailure()).isInstanceOf(Retry.class);
        this.clock.advance(Duration.ofMinutes(4));
        assertThat(state.recordFailure()).isInstanceOf(Retry.class);
        this.clock.advance(Duration.ofMinutes(6));

        assertThat(state.recordFailure()).isEqualTo(new CircuitOpen(3, 3));
    }

    @Test
    void theFailureThatOpensTheCircuitIsCounted() {
        BackoffState state = state(
                BackoffPolicy.defaults(),
                CircuitBreakerPolicy.builder().maxFailures(2).build(),
                new SplittableRandom(1));
        state.recordFailure();

        state.recordFailure();

        assertThat(state.attempt()).isEqualTo(2);
        assertThat(state.recentFailures()).isEqualTo(2);
    }

    @Test
    void failuresOlderThanTheWindowAreForgotten() {
        BackoffState state = state(
                BackoffPolicy.defaults(),
                CircuitBreakerPolicy.builder()
                        .maxFailures(3)
                        .window(Duration.ofMinutes(10))
                        .build(),
                new SplittableRandom(1));
        state.recordFailure();
        state.recordFailure();

        this.clock.advance(Duration.ofMinutes(10).plusNanos(1));

        assertThat(state.recentFailures()).isZero();
        assertThat(state.recordFailure()).isInstanceOf(Retry.class);
        assertThat(state.recentFailures()).isEqualTo(1);
        assertThat(state.attempt()).isEqualTo(3);
    }

    @Test
    void zeroMaxFailuresNeverOpensTheCircuit() {
        BackoffState state = state(BackoffPolicy.defaults(), NO_BREAKER, new SplittableRandom(1));

        for (int i = 0; i < 10_000; i++) {
            assertThat(state.recordFailure()).isInstanceOf(Retry.class);
        }
        assertThat(state.recentFailures()).isZero();
    }

    @Test
    void resetClearsAttemptHistoryAndLastDelayButTheRunGoesOn() {
        BackoffState state = state(
                BackoffPolicy.defaults(),
                CircuitBreakerPolicy.builder().maxFailures(3).build(),
                new SplittableRandom(1));
        state.recordFailure();
        state.recordFailure();
        state.recordStart();

        state.reset();

        assertThat(state.attempt()).isZero();
        assertThat(state.recentFailures()).isZero();
        assertThat(state.lastDelay()).isZero();
        assertThat(state.runTime()).as("the run goes on").isZero();
        this.clock.advance(Duration.ofHours(1));
        assertThat(state.runTime()).isEqualTo(Duration.ofHours(1));
        assertThat(state.recordCompletion())
                .as("its cooldown counted from its start")
                .isTrue();
        assertThat(state.runTime()).isNull();
        assertThat(state.recordFailure()).isInstanceOf(Retry.class);
        assertThat(state.recordFailure()).isInstanceOf(Retry.class);
    }

    @Test
    void aLargeMaxFailuresCountsOnlyTheFailuresInsideTheWindow() {
        BackoffState state = state(
                BackoffPolicy.defaults(),
                CircuitBreakerPolicy.builder()
                        .maxFailures(10_000)
                        .window(Duration.ofSeconds(1))
                        .build(),
                new SplittableRandom(1));

        for (int i = 0; i < 100_000; i++) {
            this.clock.advance(Duration.ofMillis(1));
            assertThat(state.recordFailure()).isInstanceOf(Retry.class);
        }

        // The last failure and the 1,000 before it, up to exactly one window old.
        assertThat(state.recentFailures()).isEqualTo(1_001);
    }
}
