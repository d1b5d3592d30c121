package io.rustrade.supervisor.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.CircuitOpenAction;
import io.rustrade.supervisor.Jitter;
import io.rustrade.supervisor.RestartPolicy;
import io.rustrade.supervisor.core.ServiceOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** How {@code services.<name>} entries overlay the top-level values, and which values are refused. */
class ServiceOptionsResolverTests {

    private final ApplicationContextRunner contextRunner =
            new ApplicationContextRunner().withUserConfiguration(ResolverConfiguration.class);

    @Test
    void serviceOverrideReplacesOnlyTheFieldsItSets() {
        this.contextRunner
                .withPropertyValues(
                        "rustrade.supervisor.backoff.base-delay=1s",
                        "rustrade.supervisor.backoff.jitter=equal",
                        "rustrade.supervisor.circuit-breaker.on-open=half-open",
                        "rustrade.supervisor.start-timeout=10s",
                        "rustrade.supervisor.services.feed.backoff.max-delay=5s",
                        "rustrade.supervisor.services.feed.circuit-breaker.max-failures=3")
                .run(context -> {
                    ServiceOptionsResolver resolver = context.getBean(ServiceOptionsResolver.class);
                    ServiceOptions defaults = resolver.defaults();
                    ServiceOptions feed = resolver.optionsFor("feed");
                    assertThat(feed.backoff().maxDelay()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(feed.backoff().baseDelay()).isEqualTo(Duration.ofSeconds(1));
                    assertThat(feed.backoff().jitter()).isEqualTo(Jitter.EQUAL);
                    assertThat(feed.backoff().cooldownPeriod()).isEqualTo(Duration.ofMinutes(5));
                    assertThat(feed.circuitBreaker().maxFailures()).isEqualTo(3);
                    assertThat(feed.circuitBreaker().onOpen()).isEqualTo(CircuitOpenAction.HALF_OPEN);
                    assertThat(feed.circuitBreaker().window()).isEqualTo(Duration.ofMinutes(10));
                    assertThat(feed.startTimeout()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(feed.toBuilder()
                                    .backoff(defaults.backoff())
                                    .circuitBreaker(defaults.circuitBreaker())
                                    .build())
                            .isEqualTo(defaults);
                });
    }

    @Test
    void serviceWithoutAnEntryGetsTheTopLevelValues() {
        this.contextRunner
                .withPropertyValues(
                        "rustrade.supervisor.restart=never", "rustrade.supervisor.services.feed.restart=always")
                .run(context -> {
                    ServiceOptionsResolver resolver = context.getBean(ServiceOptionsResolver.class);
                    assertThat(resolver.optionsFor("orderBook")).isSameAs(resolver.defaults());
                    assertThat(resolver.optionsFor("orderBook").restartPolicy()).isEqualTo(RestartPolicy.NEVER);
                    assertThat(resolver.optionsFor("feed").restartPolicy()).isEqualTo(RestartPolicy.ALWAYS);
                    assertThat(resolver.isEnabled("orderBook")).isTrue();
                });
    }

    @Test
    void serviceFatalExceptionsReplaceTheTopLevelList() {
        this.contextRunner
                .withPropertyValues(
                        "rustrade.supervisor.fatal-exceptions=java.io.IOException",
                        "rustrade.supervisor.services.feed.fatal-exceptions=java.io.UncheckedIOException",
                        "rustrade.supervisor.services.book.fatal-exceptions=")
                .run(context -> {
                    ServiceOptionsResolver resolver = context.getBean(ServiceOptionsResolver.class);
                    assertThat(resolver.defaults().fatalExceptions()).containsExactly(IOException.class);
                    assertThat(resolver.optionsFor("feed").fatalExceptions())
                            .containsExactly(UncheckedIOException.class);
                    assertThat(resolver.optionsFor("book").fatalExceptions()).isEmpty();
                });
    }

    @Test
    void serviceCanBeDisabled() {
        this.contextRunner
                .withPropertyValues(
                        "rustrade.supervisor.services.feed.enabled=false",
                        "rustrade.supervisor.services.book.enabled=true",
                        "rustrade.supervisor.services.quotes.restart=never")
                .run(context -> {
                    ServiceOptionsResolver resolver = context.getBean(ServiceOptionsResolver.class);
                    assertThat(resolver.isEnabled("feed")).isFalse();
                    assertThat(resolver.isEnabled("book")).isTrue();
                    assertThat(resolver.isEnabled("quotes")).isTrue();
                    assertThat(resolver.configuredServiceNames()).containsExactly("feed", "book", "quotes");
                });
    }

    @Test
    void serviceNamesKeepTheirCase() {
        this.contextRunner
                .withPropertyValues("rustrade.supervisor.services.marketDataFeed.backoff.max-delay=5s")
                .run(context -> assertThat(context.getBean(ServiceOptionsResolver.class)
                                .optionsFor("marketDataFeed")
                                .backoff()
                                .maxDelay())
                        .isEqualTo(Duration.ofSeconds(5)));
    }

    @Test
    void windowMayBeZeroWhileTheCircuitBreakerIsOff() {
        this.contextRunner
                .withPropertyValues(
                        "rustrade.supervisor.circuit-breaker.max-failures=0",
                        "rustrade.supervisor.circuit-breaker.window=0s")
                .run(context -> assertThat(context.getBean(ServiceOptionsResolver.class)
                                .defaults()
                                .circuitBreaker()
                                .isEnabled())
                        .isFalse());
    }

    @Test
    void watchdogIntervalMayBeZero() {
        this.contextRunner
                .withPropertyValues("rustrade.supervisor.watchdog-interval=0")
                .run(context -> assertThat(
                                context.getBean(ServiceOptionsResolver.class).watchdogInterval())
                        .isZero());
    }

    @Test
    void baseDelayMustBeGreaterThanZero() {
        assertInvalid(
                "Property 'rustrade.supervisor.backoff.base-delay' must be greater than 0 but was -1s",
                "rustrade.supervisor.backoff.base-delay=-1s");
        assertInvalid(
                "Property 'rustrade.supervisor.backoff.base-delay' must be greater than 0 but was 0s",
                "rustrade.supervisor.backoff.base-delay=0");
    }

    @Test
    void serviceBaseDelayMustBeGreaterThanZero() {
        assertInvalid(
                "Property 'rustrade.supervisor.services.feed.backoff.base-delay' must be greater than 0 but was 0s",
                "rustrade.supervisor.services.feed.backoff.base-delay=0ms");
    }

    @Test
    void maxDelayMustBeAtLeastBaseDelay() {
        assertInvalid(
                "Property 'rustrade.supervisor.backoff.max-delay' must be at least"
                        + " 'rustrade.supervisor.backoff.base-delay' (100ms) but was 50ms",
                "rustrade.supervisor.backoff.max-delay=50ms");
    }

    @Test
    void serviceMaxDelayMustBeAtLeastTheInheritedBaseDelay() {
        assertInvalid(
                "Property 'rustrade.supervisor.services.feed.backoff.max-delay' must be at least"
                        + " 'rustrade.supervisor.backoff.base-delay' (100ms) but was 50ms",
                "rustrade.supervisor.services.feed.backoff.max-delay=50ms");
    }

    @Test
    void serviceBaseDelayAboveTheInheritedMaxDelayNamesTheServiceProperty() {
        assertInvalid(
                "Property 'rustrade.supervisor.services.feed.backoff.max-delay' must be at least"
                        + " 'rustrade.supervisor.services.feed.backoff.base-delay' (2m) but was 1m,"
                        + " inherited from 'rustrade.supervisor.backoff.max-delay'",
                "rustrade.supervisor.services.feed.backoff.base-delay=2m");
    }

    @Test
    void cooldownPeriodMustNotBeNegative() {
        assertInvalid(
                "Property 'rustrade.supervisor.backoff.cooldown-period' must not be negative but was -5m",
                "rustrade.supervisor.backoff.cooldown-period=-5m");
        assertInvalid(
                "Property 'rustrade.supervisor.services.feed.backoff.cooldown-period' must not be negative but was -1s",
                "rustrade.supervisor.services.feed.backoff.cooldown-period=-1s");
    }

    @Test
    void maxFailuresMustNotBeNegative() {
        assertInvalid(
                "Property 'rustrade.supervisor.circuit-breaker.max-failures' must not be negative but was -1",
                "rustrade.supervisor.circuit-breaker.max-failures=-1");
    }

    @Test
    void serviceMaxFailuresMustNotBeNegative() {
        assertInvalid(
                "Property 'rustrade.supervisor.services.feed.circuit-breaker.max-failures' must not be negative"
                        + " but was -3",
                "rustrade.supervisor.services.feed.circuit-breaker.max-failures=-3");
    }

    @Test
    void windowMustBeGreaterThanZeroWhileMaxFailuresIsAboveZero() {
        assertInvalid(
                "Property 'rustrade.supervisor.circuit-breaker.window' must be greater than 0 while"
                        + " 'rustrade.supervisor.circuit-breaker.max-failures' is above 0 but was 0s",
                "rustrade.supervisor.circuit-breaker.window=0");
    }

    @Test
    void serviceWindowMustBeGreaterThanZeroWhileTheInheritedMaxFailuresIsAboveZero() {
        assertInvalid(
                "Property 'rustrade.supervisor.services.feed.circuit-breaker.window' must be greater than 0 while"
                        + " 'rustrade.supervisor.circuit-breaker.max-failures' is above 0 but was -1m",
                "rustrade.supervisor.services.feed.circuit-breaker.window=-1m");
    }

    @Test
    void serviceMaxFailuresAboveZeroWithAnInheritedZeroWindowNamesTheServiceProperty() {
        assertInvalid(
                "Property 'rustrade.supervisor.services.feed.circuit-breaker.window' must be greater than 0 while"
                        + " 'rustrade.supervisor.services.feed.circuit-breaker.max-failures' is above 0 but was 0s,"
                        + " inherited from 'rustrade.supervisor.circuit-breaker.window'",
                "rustrade.supervisor.circuit-breaker.max-failures=0",
                "rustrade.supervisor.circuit-breaker.window=0",
                "rustrade.supervisor.services.feed.circuit-breaker.max-failures=3");
    }

    @Test
    void openDurationMustBeGreaterThanZero() {
        assertInvalid(
                "Property 'rustrade.supervisor.circuit-breaker.open-duration' must be greater than 0 but was 0s",
                "rustrade.supervisor.circuit-breaker.open-duration=0");
        assertInvalid(
                "Property 'rustrade.supervisor.services.feed.circuit-breaker.open-duration' must be greater than 0"
                        + " but was -1s",
                "rustrade.supervisor.services.feed.circuit-breaker.open-duration=-1s");
    }

    @Test
    void maxOpenDurationMustBeAtLeastOpenDuration() {
        assertInvalid(
                "Property 'rustrade.supervisor.circuit-breaker.max-open-duration' must be at least"
                        + " 'rustrade.supervisor.circuit-breaker.open-duration' (5m) but was 1m",
                "rustrade.supervisor.circuit-breaker.max-open-duration=1m");
        assertInvalid(
                "Property 'rustrade.supervisor.services.feed.circuit-breaker.max-open-duration' must be at least"
                        + " 'rustrade.supervisor.services.feed.circuit-breaker.open-duration' (2h) but was 1h,"
                        + " inherited from 'rustrade.supervisor.circuit-breaker.max-open-duration'",
                "rustrade.supervisor.services.feed.circuit-breaker.open-duration=2h");
    }

    @Test
    void fatalExceptionsMustNameLoadableClasses() {
        assertInvalid(
                "Property 'rustrade.supervisor.fatal-exceptions[1]' must name a class on the application's class"
                        + " path but was com.example.NoSuchException",
                "rustrade.supervisor.fatal-exceptions=java.io.IOException,com.example.NoSuchException");
    }

    @Test
    void serviceFatalExceptionsMustNameLoadableClasses() {
        assertInvalid(
                "Property 'rustrade.supervisor.services.feed.fatal-exceptions[0]' must name a class on the"
                        + " application's class path but was com.example.NoSuchException",
                "rustrade.supervisor.services.feed.fatal-exceptions=com.example.NoSuchException");
    }

    @Test
    void fatalExceptionsMustNameThrowables() {
        assertInvalid(
                "Property 'rustrade.supervisor.fatal-exceptions[0]' must name a subclass of java.lang.Throwable"
                        + " but was java.lang.String",
                "rustrade.supervisor.fatal-exceptions=java.lang.String");
    }

    @Test
    void serviceFatalExceptionsMustNameThrowables() {
        assertInvalid(
                "Property 'rustrade.supervisor.services.feed.fatal-exceptions[1]' must name a subclass of"
                        + " java.lang.Throwable but was java.lang.Thread",
                "rustrade.supervisor.services.feed.fatal-exceptions=java.lang.Error,java.lang.Thread");
    }

    @Test
    void startTimeoutMustBeAtLeastOneMillisecond() {
        assertInvalid(
                "Property 'rustrade.supervisor.start-timeout' must be at least 1ms but was 0s",
                "rustrade.supervisor.start-timeout=0s");
        assertInvalid(
                "Property 'rustrade.supervisor.services.feed.start-timeout' must be at least 1ms but was -30s",
                "rustrade.supervisor.services.feed.start-timeout=-30s");
        assertInvalid(
                "Property 'rustrade.supervisor.start-timeout' must be at least 1ms but was 1ns",
                "rustrade.supervisor.start-timeout=1ns");
    }

    @Test
    void timeoutsOfOneMillisecondAreAccepted() {
        this.contextRunner
                .withPropertyValues("rustrade.supervisor.start-timeout=1ms", "rustrade.supervisor.stop-timeout=1ms")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void stopTimeoutMustBeAtLeastOneMillisecond() {
        assertInvalid(
                "Property 'rustrade.supervisor.stop-timeout' must be at least 1ms but was -1ms",
                "rustrade.supervisor.stop-timeout=-1ms");
        assertInvalid(
                "Property 'rustrade.supervisor.services.feed.stop-timeout' must be at least 1ms but was 0s",
                "rustrade.supervisor.services.feed.stop-timeout=PT0S");
        assertInvalid(
                "Property 'rustrade.supervisor.services.feed.stop-timeout' must be at least 1ms but was 999us",
                "rustrade.supervisor.services.feed.stop-timeout=999us");
    }

    @Test
    void watchdogIntervalMustNotBeNegative() {
        assertInvalid(
                "Property 'rustrade.supervisor.watchdog-interval' must not be negative but was -1s",
                "rustrade.supervisor.watchdog-interval=-1s");
    }

    @Test
    void eventHistorySizeMustNotBeNegative() {
        assertInvalid(
                "Property 'rustrade.supervisor.events.history-size' must not be negative but was -1",
                "rustrade.supervisor.events.history-size=-1");
    }

    @Test
    void eventHistorySizeMustBeAtMostOneThousand() {
        assertInvalid(
                "Property 'rustrade.supervisor.events.history-size' must be at most 1000 but was 1001",
                "rustrade.supervisor.events.history-size=1001");
    }

    @Test
    void eventHistorySizeOfOneThousandIsAccepted() {
        this.contextRunner
                .withPropertyValues("rustrade.supervisor.events.history-size=1000")
                .run(context -> assertThat(
                                context.getBean(ServiceOptionsResolver.class).eventHistorySize())
                        .isEqualTo(1000));
    }

    @Test
    void serviceNameWithADotIsWrittenInBrackets() {
        assertInvalid(
                "Property 'rustrade.supervisor.services[feed.eu].start-timeout' must be at least 1ms but was 0s",
                "rustrade.supervisor.services[feed.eu].start-timeout=0");
    }

    @Test
    void exceptionNamesThePropertyTheValueAndTheRule() {
        this.contextRunner
                .withPropertyValues("rustrade.supervisor.services.feed.backoff.base-delay=2m")
                .run(context -> {
                    InvalidSupervisorPropertyException ex = invalidProperty(context.getStartupFailure());
                    assertThat(ex.property()).isEqualTo("rustrade.supervisor.services.feed.backoff.max-delay");
                    assertThat(ex.value()).isEqualTo("1m");
                    assertThat(ex.rule())
                            .isEqualTo("must be at least 'rustrade.supervisor.services.feed.backoff.base-delay' (2m)");
                    assertThat(ex.inheritedFrom()).isEqualTo("rustrade.supervisor.backoff.max-delay");
                });
    }

    private void assertInvalid(String message, String... properties) {
        this.contextRunner
                .withPropertyValues(properties)
                .run(context ->
                        assertThat(invalidProperty(context.getStartupFailure())).hasMessage(message));
    }

    static InvalidSupervisorPropertyException invalidProperty(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidSupervisorPropertyException invalid) {
                return invalid;
            }
        }
        throw new AssertionError("Expected an InvalidSupervisorPropertyException but the failure was " + failure);
    }
}
