package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.core.BackoffDecision.CircuitOpen;
import io.rustrade.supervisor.core.BackoffDecision.Retry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** Properties of the backoff core that must hold for every policy and every history. */
class BackoffPropertiesTest {

    @Property
    void everyDelayLiesWithinItsBounds(
            @ForAll("policies") BackoffPolicy policy,
            @ForAll @IntRange(min = 1, max = 200) int failures,
            @ForAll long seed) {
        BackoffState state = new BackoffState(
                policy,
                CircuitBreakerPolicy.builder().maxFailures(0).build(),
                new ManualClock(),
                new SplittableRandom(seed));
        long base = policy.baseDelayNanos();
        long max = policy.maxDelayNanos();

        for (int attempt = 1; attempt <= failures; attempt++) {
            long delay = ((Retry) state.recordFailure()).delay().toNanos();
            long ceiling = policy.ceilingNanos(attempt);

            assertThat(ceiling).isBetween(base, max);
            assertThat(delay).isBetween(0L, max);
            switch (policy.jitter()) {
                case FULL -> assertThat(delay).isBetween(0L, ceiling);
                case EQUAL -> assertThat(delay).isBetween(ceiling / 2, ceiling);
                case DECORRELATED -> assertThat(delay).isBetween(base, max);
                case NONE -> assertThat(delay).isEqualTo(ceiling);
            }
        }
    }

    @Property
    void circuitDecisionEqualsAModelThatKeepsEveryTimestamp(
            @ForAll @IntRange(min = 1, max = 20) int maxFailures,
            @ForAll @LongRange(min = 1, max = 1_000) long window,
            @ForAll @Size(max = 100) List<@LongRange(min = 0, max = 300) Long> gaps) {
        ManualClock clock = new ManualClock();
        BackoffState state = new BackoffState(
                BackoffPolicy.defaults(),
                CircuitBreakerPolicy.builder()
                        .maxFailures(maxFailures)
                        .window(Duration.ofNanos(window))
                        .build(),
                clock,
                new SplittableRandom(0));
        List<Long> everyFailure = new ArrayList<>();

        for (long gap : gaps) {
            long now = clock.advanceNanos(gap).nanoTime();
            everyFailure.add(now);
            long inside = everyFailure.stream().filter(t -> now - t <= window).count();

            BackoffDecision decision = state.recordFailure();

            if (inside >= maxFailures) {
                assertThat(decision).isEqualTo(new CircuitOpen(maxFailures, maxFailures));
            } else {
                assertThat(decision).isInstanceOf(Retry.class);
            }
            assertThat(state.recentFailures()).isEqualTo((int) Math.min(inside, maxFailures));
        }
    }

    @Property
    void cooldownResetHappensExactlyWhenTheRunLastedTheCooldownPeriod(
            @ForAll @LongRange(min = 0, max = 10_000) long cooldown,
            @ForAll @LongRange(min = 0, max = 20_000) long runLength,
            @ForAll @IntRange(min = 0, max = 50) int earlierFailures) {
        ManualClock clock = new ManualClock();
        BackoffState state = new BackoffState(
                BackoffPolicy.builder()
                        .cooldownPeriod(Duration.ofNanos(cooldown))
                        .build(),
                CircuitBreakerPolicy.builder().maxFailures(0).build(),
                clock,
                new SplittableRandom(0));
        for (int i = 0; i < earlierFailures; i++) {
            state.recordFailure();
        }

        state.recordStart();
        clock.advanceNanos(runLength);
        state.recordFailure();

        int expected = (runLength >= cooldown) ? 1 : earlierFailures + 1;
        assertThat(state.attempt()).isEqualTo(expected);
    }

    @Provide
    Arbitrary<BackoffPolicy> policies() {
        Arbitrary<Long> base = Arbitraries.oneOf(
                Arbitraries.longs().between(1, 1_000),
                Arbitraries.longs().between(1, Duration.ofHours(1).toNanos()));
        Arbitrary<Duration> extra = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 1_000).map(Duration::ofNanos),
                Arbitraries.longs().between(0, Duration.ofDays(1).toNanos()).map(Duration::ofNanos),
                Arbitraries.longs().between(0, Long.MAX_VALUE / 2).map(Duration::ofNanos),
                Arbitraries.just(Duration.ofSeconds(Long.MAX_VALUE / 2)));
        return Combinators.combine(base, extra, Arbitraries.of(Jitter.class))
                .as((b, e, jitter) -> BackoffPolicy.builder()
                        .baseDelay(Duration.ofNanos(b))
                        .maxDelay(Duration.ofNanos(b).plus(e))
                        .jitter(jitter)
                        .build());
    }
}
