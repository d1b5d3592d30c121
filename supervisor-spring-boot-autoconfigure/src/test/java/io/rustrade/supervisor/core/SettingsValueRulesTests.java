package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.rustrade.supervisor.CircuitOpenAction;
import io.rustrade.supervisor.Jitter;
import io.rustrade.supervisor.RestartPolicy;
import io.rustrade.supervisor.core.SeededCases.Draw;
import io.rustrade.supervisor.core.SeededCases.Property;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The settings as values: {@link ServiceOptions}, {@link BackoffPolicy} and {@link CircuitBreakerPolicy} are
 * equal exactly when every setting is, {@code toBuilder()} copies every setting, the timeouts and the event
 * history have bounds, and the doubling delays follow their formula for any attempt. Properties are checked
 * on seeded cases (see {@link SeededCases}).
 */
class SettingsValueRulesTests {

    private static final List<Duration> SOME_DURATIONS =
            List.of(Duration.ofMillis(1), Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofMinutes(5));

    private static final List<Set<Class<? extends Throwable>>> SOME_FATAL_EXCEPTIONS =
            List.of(Set.of(), Set.of(IOException.class), Set.of(IOException.class, IllegalStateException.class));

    @Property
    void serviceOptionsAreEqualExactlyWhenEverySettingIs(long seed) {
        SeededCases.check(seed, SeededCases.CASES, draw -> {
            Object[] one = serviceSettings(draw);
            Object[] other = serviceSettings(draw);
            ServiceOptions a = serviceOptions(one);
            ServiceOptions b = serviceOptions(other);

            assertEqualExactlyWhenSettingsAre(a, b, List.of(one).equals(List.of(other)));
            assertThat(serviceOptions(one)).isEqualTo(a).hasSameHashCodeAs(a);
        });
    }

    @Property
    void backoffPoliciesAreEqualExactlyWhenEverySettingIs(long seed) {
        SeededCases.check(seed, SeededCases.CASES, draw -> {
            Object[] one = backoffSettings(draw);
            Object[] other = backoffSettings(draw);
            BackoffPolicy a = backoff(one);

            assertEqualExactlyWhenSettingsAre(a, backoff(other), List.of(one).equals(List.of(other)));
            assertThat(backoff(one)).isEqualTo(a).hasSameHashCodeAs(a);
        });
    }

    @Property
    void circuitBreakerPoliciesAreEqualExactlyWhenEverySettingIs(long seed) {
        SeededCases.check(seed, SeededCases.CASES, draw -> {
            Object[] one = breakerSettings(draw);
            Object[] other = breakerSettings(draw);
            CircuitBreakerPolicy a = breaker(one);

            assertEqualExactlyWhenSettingsAre(a, breaker(other), List.of(one).equals(List.of(other)));
            assertThat(breaker(one)).isEqualTo(a).hasSameHashCodeAs(a);
        });
    }

    @Test
    void serviceOptionsToBuilderCopiesEverySetting() {
        ServiceOptions options = ServiceOptions.builder()
                .restartPolicy(RestartPolicy.ALWAYS)
                .backoff(BackoffPolicy.builder().jitter(Jitter.NONE).build())
                .circuitBreaker(CircuitBreakerPolicy.builder().maxFailures(3).build())
                .startTimeout(Duration.ofSeconds(5))
                .stopTimeout(Duration.ofSeconds(7))
                .fatalExceptions(Set.of(IOException.class))
                .build();

        ServiceOptions copy = options.toBuilder().build();

        assertThat(copy).isEqualTo(options).hasSameHashCodeAs(options);
        assertThat(copy.restartPolicy()).isEqualTo(RestartPolicy.ALWAYS);
        assertThat(copy.backoff().jitter()).isEqualTo(Jitter.NONE);
        assertThat(copy.circuitBreaker().maxFailures()).isEqualTo(3);
        assertThat(copy.startTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(copy.stopTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(copy.fatalExceptions()).containsExactly(IOException.class);
        assertThat(ServiceOptions.defaults().fatalExceptions()).isEmpty();
    }

    @Test
    void fatalExceptionsReplacesTheClassesGivenBefore() {
        ServiceOptions options = ServiceOptions.builder()
                .fatalExceptions(Set.of(IOException.class))
                .fatalExceptions(Set.of(IllegalStateException.class))
                .build();

        assertThat(options.fatalExceptions()).containsExactly(IllegalStateException.class);
        assertThat(options.toBuilder().fatalExceptions(Set.of()).build().fatalExceptions())
                .isEmpty();
    }

    @Test
    void timeoutsShorterThanOneMillisecondAreRefused() {
        assertThatExceptionOfType(InvalidSettingException.class)
                .isThrownBy(() -> ServiceOptions.builder()
                        .startTimeout(Duration.ofNanos(999_999))
                        .build())
                .withMessage("'start-timeout' must be at least 1ms but was 999999ns");
        assertThatExceptionOfType(InvalidSettingException.class)
                .isThrownBy(() ->
                        ServiceOptions.builder().stopTimeout(Duration.ZERO).build())
                .withMessage("'stop-timeout' must be at least 1ms but was 0s");
        ServiceOptions shortest = ServiceOptions.builder()
                .startTimeout(Duration.ofMillis(1))
                .stopTimeout(Duration.ofMillis(1))
                .build();
        assertThat(shortest.startTimeout()).isEqualTo(Duration.ofMillis(1));
        assertThat(shortest.stopTimeout()).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void aNegativeWindowIsRefusedWhileTheBreakerIsOn() {
        assertThatExceptionOfType(InvalidSettingException.class)
                .isThrownBy(() -> CircuitBreakerPolicy.builder()
                        .window(Duration.ofSeconds(-1))
                        .build())
                .withMessage("'window' must be greater than 0 while 'max-failures' is above 0 but was -1s");
        assertThat(CircuitBreakerPolicy.builder()
                        .maxFailures(1)
                        .window(Duration.ofNanos(1))
                        .build()
                        .windowNanos())
                .isEqualTo(1);
    }

    @Test
    void theEventHistoryKeepsAtMostAThousandEvents() {
        assertThatExceptionOfType(InvalidSettingException.class)
                .isThrownBy(() -> SupervisorEngine.builder().eventHistorySize(1_001))
                .withMessage("'events.history-size' must be at most 1000 but was 1001");
        assertThatExceptionOfType(InvalidSettingException.class)
                .isThrownBy(() -> SupervisorEngine.builder().eventHistorySize(-1))
                .withMessage("'events.history-size' must not be negative but was -1");
        SupervisorEngine.builder().eventHistorySize(0).eventHistorySize(1_000);
    }

    @Property
    void theOpenPeriodDoublesUpToItsCapForAnyNumberOfOpenings(long seed) {
        SeededCases.check(seed, SeededCases.CASES, draw -> {
            long open = draw.longIn("open-duration nanos", 1, Long.MAX_VALUE);
            long cap = draw.longIn("max-open-duration nanos", open, Long.MAX_VALUE);
            int openings = openings(draw);
            CircuitBreakerPolicy policy = CircuitBreakerPolicy.builder()
                    .openDuration(Duration.ofNanos(open))
                    .maxOpenDuration(Duration.ofNanos(cap))
                    .build();

            assertThat(policy.openDuration(openings).toNanos()).isEqualTo(doubledUpTo(open, cap, openings));
        });
    }

    @Property
    void theRetryCeilingDoublesUpToMaxDelayForAnyAttempt(long seed) {
        SeededCases.check(seed, SeededCases.CASES, draw -> {
            long base = draw.longIn("base-delay nanos", 1, Long.MAX_VALUE);
            long max = draw.longIn("max-delay nanos", base, Long.MAX_VALUE);
            int attempt = openings(draw);
            BackoffPolicy policy = BackoffPolicy.builder()
                    .baseDelay(Duration.ofNanos(base))
                    .maxDelay(Duration.ofNanos(max))
                    .build();

            assertThat(policy.ceilingNanos(attempt)).isEqualTo(doubledUpTo(base, max, attempt));
        });
    }

    @Test
    void aDoubledPeriodJustBelowItsCapIsNotRoundedUpToIt() {
        CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                .openDuration(Duration.ofSeconds(1))
                .maxOpenDuration(Duration.ofSeconds(4).plusNanos(3))
                .build();
        BackoffPolicy backoff = BackoffPolicy.builder()
                .baseDelay(Duration.ofSeconds(1))
                .maxDelay(Duration.ofSeconds(4).plusNanos(3))
                .build();

        assertThat(breaker.openDuration(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(backoff.ceiling(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(breaker.openDuration(65)).isEqualTo(breaker.maxOpenDuration());
        assertThat(backoff.ceiling(65)).isEqualTo(backoff.maxDelay());
    }

    /** {@code min(cap, first × 2^(n−1))}, an {@code n} below 1 counting as 1. */
    private static long doubledUpTo(long first, long cap, int n) {
        // Beyond 63 doublings any first value exceeds any cap: no need to shift further.
        BigInteger doubled = BigInteger.valueOf(first).shiftLeft(Math.min(Math.max(n, 1) - 1, Long.SIZE));
        return doubled.min(BigInteger.valueOf(cap)).longValueExact();
    }

    /** A count of openings or attempts: small ones, those around 64 where a shift wraps, and any. */
    private static int openings(Draw draw) {
        return switch (draw.branch(3)) {
            case 0 -> draw.intIn("n", -1, 70);
            case 1 -> draw.intIn("n", 60, 130);
            default -> draw.intIn("n", Integer.MIN_VALUE, Integer.MAX_VALUE);
        };
    }

    private static void assertEqualExactlyWhenSettingsAre(Object a, Object b, boolean settingsEqual) {
        assertThat(a.equals(b)).as("%s equals %s", a, b).isEqualTo(settingsEqual);
        assertThat(b.equals(a)).as("%s equals %s", b, a).isEqualTo(settingsEqual);
        if (settingsEqual) {
            assertThat(a).hasSameHashCodeAs(b);
        }
        assertThat(a).isEqualTo(a).isNotEqualTo(null).isNotEqualTo(a.toString());
    }

    private static Object[] serviceSettings(Draw draw) {
        return new Object[] {
            draw.oneOf("restart", RestartPolicy.ON_FAILURE, RestartPolicy.ALWAYS),
            draw.oneOf("jitter", Jitter.FULL, Jitter.NONE),
            draw.oneOf("max-failures", 0, 10),
            draw.oneOf("start-timeout", SOME_DURATIONS.get(1), SOME_DURATIONS.get(2)),
            draw.oneOf("stop-timeout", SOME_DURATIONS.get(1), SOME_DURATIONS.get(2)),
            draw.oneOf("fatal-exceptions", SOME_FATAL_EXCEPTIONS.toArray())
        };
    }

    @SuppressWarnings("unchecked")
    private static ServiceOptions serviceOptions(Object[] settings) {
        return ServiceOptions.builder()
                .restartPolicy((RestartPolicy) settings[0])
                .backoff(BackoffPolicy.builder().jitter((Jitter) settings[1]).build())
                .circuitBreaker(CircuitBreakerPolicy.builder()
                        .maxFailures((Integer) settings[2])
                        .build())
                .startTimeout((Duration) settings[3])
                .stopTimeout((Duration) settings[4])
                .fatalExceptions((Set<Class<? extends Throwable>>) settings[5])
                .build();
    }

    private static Object[] backoffSettings(Draw draw) {
        return new Object[] {
            draw.oneOf("base-delay", SOME_DURATIONS.get(0), SOME_DURATIONS.get(1)),
            draw.oneOf("max-delay", SOME_DURATIONS.get(2), SOME_DURATIONS.get(3)),
            draw.oneOf("jitter", Jitter.FULL, Jitter.EQUAL),
            draw.oneOf("cooldown-period", Duration.ZERO, SOME_DURATIONS.get(3))
        };
    }

    private static BackoffPolicy backoff(Object[] settings) {
        return BackoffPolicy.builder()
                .baseDelay((Duration) settings[0])
                .maxDelay((Duration) settings[1])
                .jitter((Jitter) settings[2])
                .cooldownPeriod((Duration) settings[3])
                .build();
    }

    private static Object[] breakerSettings(Draw draw) {
        return new Object[] {
            draw.oneOf("max-failures", 3, 10),
            draw.oneOf("window", SOME_DURATIONS.get(2), SOME_DURATIONS.get(3)),
            draw.oneOf("on-open", CircuitOpenAction.STOP, CircuitOpenAction.HALF_OPEN),
            draw.oneOf("open-duration", SOME_DURATIONS.get(0), SOME_DURATIONS.get(1)),
            draw.oneOf("max-open-duration", SOME_DURATIONS.get(2), SOME_DURATIONS.get(3))
        };
    }

    private static CircuitBreakerPolicy breaker(Object[] settings) {
        return CircuitBreakerPolicy.builder()
                .maxFailures((Integer) settings[0])
                .window((Duration) settings[1])
                .onOpen((CircuitOpenAction) settings[2])
                .openDuration((Duration) settings[3])
                .maxOpenDuration((Duration) settings[4])
                .build();
    }
}
