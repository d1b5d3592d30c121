package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.Jitter;
import io.rustrade.supervisor.core.BackoffDecision.CircuitOpen;
import io.rustrade.supervisor.core.BackoffDecision.Retry;
import io.rustrade.supervisor.core.SeededCases.Draw;
import io.rustrade.supervisor.core.SeededCases.Property;
import io.rustrade.supervisor.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Properties of the backoff core that must hold for every policy and every history, each checked on
 * {@value SeededCases#CASES} seeded cases (see {@link SeededCases} to replay a failure).
 */
class BackoffPropertiesTests {

    private static final long HOUR_NANOS = Duration.ofHours(1).toNanos();

    private static final long DAY_NANOS = Duration.ofDays(1).toNanos();

    @Property
    void everyDelayLiesWithinItsBounds(long seed) {
        SeededCases.check(seed, SeededCases.CASES, draw -> {
            BackoffPolicy policy = policy(draw);
            int failures = draw.intIn("failures", 1, 200);
            BackoffState state = new BackoffState(
                    policy,
                    CircuitBreakerPolicy.builder().maxFailures(0).build(),
                    new ManualClock(),
                    new SplittableRandom(draw.longIn("jitter seed", Long.MIN_VALUE, Long.MAX_VALUE)));
            long base = policy.baseDelayNanos();
            long max = policy.maxDelayNanos();

            for (int attempt = 1; attempt <= failures; attempt++) {
                long delay = ((Retry) state.recordFailure()).delay().toNanos();
                long ceiling = policy.ceilingNanos(attempt);

                assertThat(ceiling).as("ceiling of attempt %d", attempt).isBetween(base, max);
                assertThat(delay).as("delay of attempt %d", attempt).isBetween(0L, max);
                switch (policy.jitter()) {
                    case FULL ->
                        assertThat(delay).as("delay of attempt %d", attempt).isBetween(0L, ceiling);
                    case EQUAL ->
                        assertThat(delay).as("delay of attempt %d", attempt).isBetween(ceiling / 2, ceiling);
                    case DECORRELATED ->
                        assertThat(delay).as("delay of attempt %d", attempt).isBetween(base, max);
                    case NONE ->
                        assertThat(delay).as("delay of attempt %d", attempt).isEqualTo(ceiling);
                }
            }
        });
    }

    @Property
    void circuitDecisionEqualsAModelThatKeepsEveryTimestamp(long seed) {
        SeededCases.check(seed, SeededCases.CASES, draw -> {
            int maxFailures = draw.intIn("max-failures", 1, 20);
            long window = draw.longIn("window nanos", 1, 1_000);
            List<Long> gaps = draw.longsIn("gaps nanos", 100, 0, 300);
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

            for (int failure = 1; failure <= gaps.size(); failure++) {
                long now = clock.advanceNanos(gaps.get(failure - 1)).nanoTime();
                everyFailure.add(now);
                long inside =
                        everyFailure.stream().filter(t -> now - t <= window).count();

                BackoffDecision decision = state.recordFailure();

                if (inside >= maxFailures) {
                    assertThat(decision)
                            .as("decision at failure %d", failure)
                            .isEqualTo(new CircuitOpen(maxFailures, maxFailures));
                } else {
                    assertThat(decision).as("decision at failure %d", failure).isInstanceOf(Retry.class);
                }
                assertThat(state.recentFailures())
                        .as("recent failures after failure %d", failure)
                        .isEqualTo((int) Math.min(inside, maxFailures));
            }
        });
    }

    @Property
    void cooldownResetHappensExactlyWhenTheRunLastedTheCooldownPeriod(long seed) {
        SeededCases.check(seed, SeededCases.CASES, draw -> {
            long cooldown = draw.longIn("cooldown nanos", 0, 10_000);
            // A quarter of the runs end within a nanosecond of the cooldown, where "exactly" is decided.
            long runLength = (draw.branch(4) == 0)
                    ? draw.longIn("run length nanos", Math.max(0, cooldown - 1), cooldown + 1)
                    : draw.longIn("run length nanos", 0, 20_000);
            int earlierFailures = draw.intIn("earlier failures", 0, 50);
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
            assertThat(state.attempt()).as("attempt after the run").isEqualTo(expected);
        });
    }

    /**
     * A policy with a base delay from 1ns to an hour and a max delay from equal to it up to far beyond
     * what nanoseconds can hold (saturated to {@link Long#MAX_VALUE} nanoseconds), with every jitter.
     */
    private static BackoffPolicy policy(Draw draw) {
        long base = draw.longIn("base-delay nanos", 1, (draw.branch(2) == 0) ? 1_000 : HOUR_NANOS);
        Duration extra = switch (draw.branch(4)) {
            case 0 -> Duration.ofNanos(draw.longIn("max-delay minus base nanos", 0, 1_000));
            case 1 -> Duration.ofNanos(draw.longIn("max-delay minus base nanos", 0, DAY_NANOS));
            case 2 -> Duration.ofNanos(draw.longIn("max-delay minus base nanos", 0, Long.MAX_VALUE / 2));
            default -> draw.note("max-delay minus base", Duration.ofSeconds(Long.MAX_VALUE / 2));
        };
        return BackoffPolicy.builder()
                .baseDelay(Duration.ofNanos(base))
                .maxDelay(Duration.ofNanos(base).plus(extra))
                .jitter(draw.oneOf("jitter", Jitter.values()))
                .build();
    }
}
