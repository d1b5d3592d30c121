package io.rustrade.supervisor.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.CircuitOpenAction;
import io.rustrade.supervisor.Jitter;
import io.rustrade.supervisor.RestartPolicy;
import io.rustrade.supervisor.core.BackoffPolicy;
import io.rustrade.supervisor.core.CircuitBreakerPolicy;
import io.rustrade.supervisor.core.ServiceOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Binding of every {@code rustrade.supervisor.*} key, in the forms Spring accepts. */
class SupervisorPropertiesTests {

    private final ApplicationContextRunner contextRunner =
            new ApplicationContextRunner().withUserConfiguration(ResolverConfiguration.class);

    @Test
    void defaultsAreThoseOfTheSpecification() {
        this.contextRunner.run(context -> {
            SupervisorProperties properties = context.getBean(SupervisorProperties.class);
            assertThat(properties.isEnabled()).isTrue();
            assertThat(properties.getInclude()).isEmpty();
            assertThat(properties.getExclude()).isEmpty();
            assertThat(properties.getWatchdogInterval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(properties.getRestart()).isEqualTo(RestartPolicy.ON_FAILURE);
            assertThat(properties.getStartTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(properties.getStopTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(properties.getFatalExceptions()).isEmpty();
            assertThat(properties.getBackoff().getBaseDelay()).isEqualTo(Duration.ofMillis(100));
            assertThat(properties.getBackoff().getMaxDelay()).isEqualTo(Duration.ofSeconds(60));
            assertThat(properties.getBackoff().getJitter()).isEqualTo(Jitter.FULL);
            assertThat(properties.getBackoff().getCooldownPeriod()).isEqualTo(Duration.ofMinutes(5));
            assertThat(properties.getCircuitBreaker().getMaxFailures()).isEqualTo(10);
            assertThat(properties.getCircuitBreaker().getWindow()).isEqualTo(Duration.ofMinutes(10));
            assertThat(properties.getCircuitBreaker().getOnOpen()).isEqualTo(CircuitOpenAction.STOP);
            assertThat(properties.getCircuitBreaker().getOpenDuration()).isEqualTo(Duration.ofMinutes(5));
            assertThat(properties.getCircuitBreaker().getMaxOpenDuration()).isEqualTo(Duration.ofHours(1));
            assertThat(properties.getEvents().getHistorySize()).isEqualTo(100);
            assertThat(properties.getServices()).isEmpty();
        });
    }

    @Test
    void defaultsResolveToTheCoreDefaults() {
        this.contextRunner.run(context -> {
            ServiceOptionsResolver resolver = context.getBean(ServiceOptionsResolver.class);
            assertThat(resolver.defaults()).isEqualTo(ServiceOptions.defaults());
            assertThat(resolver.watchdogInterval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(resolver.eventHistorySize()).isEqualTo(100);
            assertThat(resolver.configuredServiceNames()).isEmpty();
        });
    }

    @Test
    void everyTopLevelKeyBindsFromSpringForms() {
        this.contextRunner
                .withPropertyValues(
                        "rustrade.supervisor.enabled=false",
                        "rustrade.supervisor.include=*feed*,taskScheduler",
                        "rustrade.supervisor.exclude=*legacy*",
                        "rustrade.supervisor.watchdog-interval=PT0.5S",
                        "rustrade.supervisor.restart=always",
                        "rustrade.supervisor.start-timeout=250ms",
                        "rustrade.supervisor.stop-timeout=PT1S",
                        "rustrade.supervisor.fatal-exceptions=java.io.IOException,"
                                + "java.util.concurrent.TimeoutException",
                        "rustrade.supervisor.backoff.base-delay=250ms",
                        "rustrade.supervisor.backoff.max-delay=2m",
                        "rustrade.supervisor.backoff.jitter=decorrelated",
                        "rustrade.supervisor.backoff.cooldown-period=PT1M",
                        "rustrade.supervisor.circuit-breaker.max-failures=3",
                        "rustrade.supervisor.circuit-breaker.window=30s",
                        "rustrade.supervisor.circuit-breaker.on-open=half-open",
                        "rustrade.supervisor.circuit-breaker.open-duration=PT10S",
                        "rustrade.supervisor.circuit-breaker.max-open-duration=5m",
                        "rustrade.supervisor.events.history-size=20")
                .run(context -> {
                    SupervisorProperties properties = context.getBean(SupervisorProperties.class);
                    assertThat(properties.isEnabled()).isFalse();
                    assertThat(properties.getInclude()).containsExactly("*feed*", "taskScheduler");
                    assertThat(properties.getExclude()).containsExactly("*legacy*");
                    ServiceOptionsResolver resolver = context.getBean(ServiceOptionsResolver.class);
                    assertThat(resolver.watchdogInterval()).isEqualTo(Duration.ofMillis(500));
                    assertThat(resolver.eventHistorySize()).isEqualTo(20);
                    assertThat(resolver.defaults())
                            .isEqualTo(ServiceOptions.builder()
                                    .restartPolicy(RestartPolicy.ALWAYS)
                                    .startTimeout(Duration.ofMillis(250))
                                    .stopTimeout(Duration.ofSeconds(1))
                                    .fatalExceptions(Set.of(IOException.class, TimeoutException.class))
                                    .backoff(BackoffPolicy.builder()
                                            .baseDelay(Duration.ofMillis(250))
                                            .maxDelay(Duration.ofMinutes(2))
                                            .jitter(Jitter.DECORRELATED)
                                            .cooldownPeriod(Duration.ofMinutes(1))
                                            .build())
                                    .circuitBreaker(CircuitBreakerPolicy.builder()
                                            .maxFailures(3)
                                            .window(Duration.ofSeconds(30))
                                            .onOpen(CircuitOpenAction.HALF_OPEN)
                                            .openDuration(Duration.ofSeconds(10))
                                            .maxOpenDuration(Duration.ofMinutes(5))
                                            .build())
                                    .build());
                });
    }

    @Test
    void restartPolicyBindsFromItsConfigurationNames() {
        for (RestartPolicy policy : RestartPolicy.values()) {
            this.contextRunner
                    .withPropertyValues("rustrade.supervisor.restart=" + policy.value())
                    .run(context -> assertThat(context.getBean(ServiceOptionsResolver.class)
                                    .defaults()
                                    .restartPolicy())
                            .isEqualTo(policy));
        }
    }

    @Test
    void enumValuesBindFromLowerCaseNames() {
        this.contextRunner
                .withPropertyValues(
                        "rustrade.supervisor.backoff.jitter=equal",
                        "rustrade.supervisor.circuit-breaker.on-open=shutdown")
                .run(context -> {
                    ServiceOptions defaults =
                            context.getBean(ServiceOptionsResolver.class).defaults();
                    assertThat(defaults.backoff().jitter()).isEqualTo(Jitter.EQUAL);
                    assertThat(defaults.circuitBreaker().onOpen()).isEqualTo(CircuitOpenAction.SHUTDOWN);
                });
    }

    @Test
    void everyServiceKeyBindsFromSpringForms() {
        String service = "rustrade.supervisor.services.marketDataFeed.";
        this.contextRunner
                .withPropertyValues(
                        service + "enabled=true",
                        service + "restart=never",
                        service + "start-timeout=PT2S",
                        service + "stop-timeout=750ms",
                        service + "fatal-exceptions=java.io.IOException",
                        service + "backoff.base-delay=PT0.2S",
                        service + "backoff.max-delay=10s",
                        service + "backoff.jitter=none",
                        service + "backoff.cooldown-period=1h",
                        service + "circuit-breaker.max-failures=0",
                        service + "circuit-breaker.window=0s",
                        service + "circuit-breaker.on-open=half-open",
                        service + "circuit-breaker.open-duration=1m",
                        service + "circuit-breaker.max-open-duration=PT2H")
                .run(context -> {
                    ServiceOptionsResolver resolver = context.getBean(ServiceOptionsResolver.class);
                    assertThat(resolver.configuredServiceNames()).containsExactly("marketDataFeed");
                    assertThat(resolver.isEnabled("marketDataFeed")).isTrue();
                    assertThat(resolver.optionsFor("marketDataFeed"))
                            .isEqualTo(ServiceOptions.builder()
                                    .restartPolicy(RestartPolicy.NEVER)
                                    .startTimeout(Duration.ofSeconds(2))
                                    .stopTimeout(Duration.ofMillis(750))
                                    .fatalExceptions(Set.of(IOException.class))
                                    .backoff(BackoffPolicy.builder()
                                            .baseDelay(Duration.ofMillis(200))
                                            .maxDelay(Duration.ofSeconds(10))
                                            .jitter(Jitter.NONE)
                                            .cooldownPeriod(Duration.ofHours(1))
                                            .build())
                                    .circuitBreaker(CircuitBreakerPolicy.builder()
                                            .maxFailures(0)
                                            .window(Duration.ZERO)
                                            .onOpen(CircuitOpenAction.HALF_OPEN)
                                            .openDuration(Duration.ofMinutes(1))
                                            .maxOpenDuration(Duration.ofHours(2))
                                            .build())
                                    .build());
                });
    }
}
