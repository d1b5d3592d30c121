package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.rustrade.supervisor.CircuitOpenAction;
import io.rustrade.supervisor.Jitter;
import io.rustrade.supervisor.core.internal.Durations;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Defaults and validation of {@link BackoffPolicy} and {@link CircuitBreakerPolicy}. */
class PoliciesTests {

    @Test
    void backoffDefaultsAreThoseOfTheSpecification() {
        BackoffPolicy policy = BackoffPolicy.defaults();

        assertThat(policy.baseDelay()).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.maxDelay()).isEqualTo(Duration.ofSeconds(60));
        assertThat(policy.jitter()).isEqualTo(Jitter.FULL);
        assertThat(policy.cooldownPeriod()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void circuitBreakerDefaultsAreThoseOfTheSpecification() {
        CircuitBreakerPolicy policy = CircuitBreakerPolicy.defaults();

        assertThat(policy.maxFailures()).isEqualTo(10);
        assertThat(policy.window()).isEqualTo(Duration.ofMinutes(10));
        assertThat(policy.onOpen()).isEqualTo(CircuitOpenAction.STOP);
        assertThat(policy.openDuration()).isEqualTo(Duration.ofMinutes(5));
        assertThat(policy.maxOpenDuration()).isEqualTo(Duration.ofHours(1));
        assertThat(policy.isEnabled()).isTrue();
    }

    @Test
    void baseDelayMustBeGreaterThanZero() {
        assertThatExceptionOfType(InvalidSettingException.class)
                .isThrownBy(() -> BackoffPolicy.builder()
                        .baseDelay(Duration.ofSeconds(-1))
                        .build())
                .withMessage("'base-delay' must be greater than 0 but was -1s")
                .satisfies(ex -> {
                    assertThat(ex.getSetting()).isEqualTo("base-delay");
                    assertThat(ex.getValue()).isEqualTo(Duration.ofSeconds(-1));
                    assertThat(ex.getRule()).isEqualTo("must be greater than 0");
                });
        assertThatExceptionOfType(InvalidSettingException.class)
                .isThrownBy(
                        () -> BackoffPolicy.builder().baseDelay(Duration.ZERO).build())
                .withMessage("'base-delay' must be greater than 0 but was 0s");
    }

    @Test
    void maxDelayMustNotBeBelowBaseDelay() {
        assertThatExceptionOfType(InvalidSettingException.class)
                .isThrownBy(() -> BackoffPolicy.builder()
                        .baseDelay(Duration.ofMillis(100))
                        .maxDelay(Duration.ofMillis(50))
                        .build())
                .withMessage("'max-delay' must be at least 'base-delay' (100ms) but was 50ms");
        assertThat(BackoffPolicy.builder()
                        .baseDelay(Duration.ofSeconds(1))
                        .maxDelay(Duration.ofSeconds(1))
                        .build()
                        .maxDelay())
                .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void cooldownPeriodMustNotBeNegative() {
        assertThatExceptionOfType(InvalidSettingException.class)
                .isThrownBy(() -> BackoffPolicy.builder()
                        .cooldownPeriod(Duration.ofMinutes(-5))
                        .build())
                .withMessage("'cooldown-period' must not be negative but was -5m");
    }

    @Test
    void maxFailuresMustNotBeNegative() {
        assertThatExceptionOfType(InvalidSettingException.class)
                .isThrownBy(() -> CircuitBreakerPolicy.builder().maxFailures(-1).build())
                .withMessage("'max-failures' must not be negative but was -1");
    }

    @Test
    void windowMustBeGreaterThanZeroWhileTheBreakerIsOn() {
        assertThatExceptionOfType(InvalidSettingException.class)
                .isThrownBy(() ->
                        CircuitBreakerPolicy.builder().window(Duration.ZERO).build())
                .withMessage("'window' must be greater than 0 while 'max-failures' is above 0 but was 0s");
        assertThat(CircuitBreakerPolicy.builder()
                        .maxFailures(0)
                        .window(Duration.ZERO)
                        .build()
                        .isEnabled())
                .isFalse();
    }

    @Test
    void openDurationMustBeGreaterThanZero() {
        assertThatExceptionOfType(InvalidSettingException.class)
                .isThrownBy(() -> CircuitBreakerPolicy.builder()
                        .openDuration(Duration.ofMillis(-250))
                        .build())
                .withMessage("'open-duration' must be greater than 0 but was -250ms");
    }

    @Test
    void maxOpenDurationMustNotBeBelowOpenDuration() {
        assertThatExceptionOfType(InvalidSettingException.class)
                .isThrownBy(() -> CircuitBreakerPolicy.builder()
                        .openDuration(Duration.ofMinutes(5))
                        .maxOpenDuration(Duration.ofMinutes(1))
                        .build())
                .withMessage("'max-open-duration' must be at least 'open-duration' (5m) but was 1m");
    }

    @Test
    void nullSettingsAreRejectedByName() {
        assertThatNullPointerException()
                .isThrownBy(() -> BackoffPolicy.builder().baseDelay(null))
                .withMessage("baseDelay must not be null");
        assertThatNullPointerException()
                .isThrownBy(() -> BackoffPolicy.builder().jitter(null))
                .withMessage("jitter must not be null");
        assertThatNullPointerException()
                .isThrownBy(() -> CircuitBreakerPolicy.builder().onOpen(null))
                .withMessage("onOpen must not be null");
    }

    @Test
    void openPeriodDoublesAfterEachFailedProbeUpToMaxOpenDuration() {
        CircuitBreakerPolicy policy = CircuitBreakerPolicy.builder()
                .openDuration(Duration.ofMinutes(5))
                .maxOpenDuration(Duration.ofMinutes(30))
                .build();

        assertThat(policy.openDuration(1)).isEqualTo(Duration.ofMinutes(5));
        assertThat(policy.openDuration(2)).isEqualTo(Duration.ofMinutes(10));
        assertThat(policy.openDuration(3)).isEqualTo(Duration.ofMinutes(20));
        assertThat(policy.openDuration(4)).isEqualTo(Duration.ofMinutes(30));
        assertThat(policy.openDuration(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void toBuilderCopiesEverySetting() {
        BackoffPolicy backoff = BackoffPolicy.builder()
                .baseDelay(Duration.ofSeconds(1))
                .maxDelay(Duration.ofSeconds(9))
                .jitter(Jitter.EQUAL)
                .cooldownPeriod(Duration.ofSeconds(30))
                .build();
        CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                .maxFailures(3)
                .window(Duration.ofMinutes(1))
                .onOpen(CircuitOpenAction.HALF_OPEN)
                .openDuration(Duration.ofSeconds(10))
                .maxOpenDuration(Duration.ofMinutes(2))
                .build();

        assertThat(backoff.toBuilder().build()).isEqualTo(backoff).hasSameHashCodeAs(backoff);
        assertThat(breaker.toBuilder().build()).isEqualTo(breaker).hasSameHashCodeAs(breaker);
        assertThat(backoff.toBuilder().jitter(Jitter.NONE).build()).isNotEqualTo(backoff);
    }

    @Test
    void durationsAreFormattedAsUsersWriteThem() {
        assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThat(Durations.format(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(Durations.format(Duration.ofDays(3))).isEqualTo("3d");
        assertThat(Durations.format(Duration.ofNanos(1_500))).isEqualTo("1500ns");
        assertThat(Durations.format(Duration.ofNanos(1_500_000_000))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofMillis(-1))).isEqualTo("-1ms");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    }

    @Test
    void measuredDurationsAreDescribedRoundedForPeople() {
        assertThat(Durations.describe(Duration.ofNanos(162_657_783))).isEqualTo("163ms");
        assertThat(Durations.describe(Duration.ofNanos(990_708_897))).isEqualTo("991ms");
        assertThat(Durations.describe(Duration.ofMillis(2_449))).isEqualTo("2.4s");
        assertThat(Durations.describe(Duration.ofSeconds(2))).isEqualTo("2s");
        assertThat(Durations.describe(Duration.ofMillis(12_600))).isEqualTo("13s");
        assertThat(Durations.describe(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(Durations.describe(Duration.ofHours(2).plusMinutes(5))).isEqualTo("2h5m");
        assertThat(Durations.describe(Duration.ofNanos(850_400))).isEqualTo("850us");
        assertThat(Durations.describe(Duration.ofNanos(42))).isEqualTo("42ns");
        assertThat(Durations.describe(Duration.ofMillis(-5))).isEqualTo("-5ms");
    }

    @Test
    void secondsAreDescribedWithOneDecimalRoundedHalfUpAsFormatWould() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        for (int i = 0; i < 10_000; i++) {
            long nanos = random.nextLong(1_000_000_000L, 10_000_000_000L);
            assertThat(Durations.describe(Duration.ofNanos(nanos))).isEqualTo(formatted(nanos));
        }
        for (long tenths = 10; tenths < 100; tenths++) {
            for (long offset = -2; offset <= 2; offset++) {
                long halfWay = tenths * 100_000_000L + 50_000_000L + offset;
                assertThat(Durations.describe(Duration.ofNanos(halfWay))).isEqualTo(formatted(halfWay));
            }
        }
        assertThat(Durations.describe(Duration.ofMillis(1_250))).isEqualTo("1.3s");
        assertThat(Durations.describe(Duration.ofMillis(9_960))).isEqualTo("10s");
    }

    private static String formatted(long nanos) {
        String decimal = String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e9);
        return (decimal.endsWith(".0") ? decimal.substring(0, decimal.length() - 2) : decimal) + "s";
    }

    @Test
    void durationsBeyondTheNanosecondRangeSaturate() {
        assertThat(Durations.toNanosSaturated(Duration.ofSeconds(Long.MAX_VALUE)))
                .isEqualTo(Long.MAX_VALUE);
        assertThat(Durations.toNanosSaturated(Duration.ofSeconds(Long.MIN_VALUE)))
                .isEqualTo(Long.MIN_VALUE);
        assertThat(Durations.toNanosSaturated(Duration.ofSeconds(1))).isEqualTo(1_000_000_000L);
    }
}
