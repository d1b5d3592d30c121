package io.rustrade.supervisor.actuate.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.Supervisor;
import io.rustrade.supervisor.actuate.SupervisorEndpoint;
import io.rustrade.supervisor.actuate.SupervisorEndpointWebExtension;
import io.rustrade.supervisor.actuate.SupervisorHealthIndicator;
import io.rustrade.supervisor.actuate.SupervisorMetrics;
import io.rustrade.supervisor.autoconfigure.SupervisorAutoConfiguration;
import io.rustrade.supervisor.core.SupervisorEngine;
import io.rustrade.supervisor.testing.Feed;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** When the endpoint, the meters and the health contributor are configured, and when they back off. */
class SupervisorObservabilityAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    SupervisorAutoConfiguration.class,
                    LifecycleAutoConfiguration.class,
                    SupervisorEndpointAutoConfiguration.class,
                    SupervisorMetricsAutoConfiguration.class,
                    SupervisorHealthContributorAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class,
                    MetricsAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class))
            .withPropertyValues(
                    "management.endpoints.web.exposure.include=supervisor",
                    "rustrade.supervisor.backoff.base-delay=10ms",
                    "rustrade.supervisor.backoff.jitter=none");

    @Test
    void theEndpointAndItsWebExtensionAreConfiguredWhenTheEndpointIsExposed() {
        this.runner.run(context -> {
            assertThat(context).hasSingleBean(SupervisorEndpoint.class);
            assertThat(context).hasSingleBean(SupervisorEndpointWebExtension.class);
        });
    }

    @Test
    void theEndpointIsLeftOutWhenItIsNotExposed() {
        this.runner
                .withPropertyValues("management.endpoints.web.exposure.include=health")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(SupervisorEndpoint.class);
                    assertThat(context).doesNotHaveBean(SupervisorEndpointWebExtension.class);
                });
    }

    @Test
    void theStateGaugesCanBeLeftOutWithSpringBootsMeterFilterProperty() {
        this.runner
                .withPropertyValues("management.metrics.enable.rustrade.supervisor.state=false")
                .withBean("marketDataFeed", Feed.class, () -> new Feed("marketDataFeed"))
                .run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    context.getBean(SupervisorEngine.class).whenDelivered().get();

                    assertThat(registry.find("rustrade.supervisor.state").meters())
                            .isEmpty();
                    assertThat(registry.find("rustrade.supervisor.restarts")
                                    .tag("service", "marketDataFeed")
                                    .functionCounter())
                            .isNotNull();
                });
    }

    @Test
    void theMetersOfTheApplicationsServicesAreInTheMeterRegistry() {
        this.runner
                .withBean("marketDataFeed", Feed.class, () -> new Feed("marketDataFeed"))
                .run(context -> {
                    assertThat(context).hasSingleBean(SupervisorMetrics.class);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);

                    await().atMost(Duration.ofSeconds(5))
                            .untilAsserted(() -> assertThat(registry.get("rustrade.supervisor.state")
                                            .tag("service", "marketDataFeed")
                                            .tag("state", "running")
                                            .gauge()
                                            .value())
                                    .isEqualTo(1));
                    assertThat(registry.get("rustrade.supervisor.services.active")
                                    .gauge()
                                    .value())
                            .isEqualTo(1);
                });
    }

    @Test
    void noMetersAreConfiguredWithoutAMeterRegistry() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        SupervisorAutoConfiguration.class,
                        LifecycleAutoConfiguration.class,
                        SupervisorMetricsAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).hasSingleBean(SupervisorEngine.class);
                    assertThat(context).doesNotHaveBean(SupervisorMetrics.class);
                });
    }

    @Test
    void theHealthContributorIsNamedSupervisor() {
        this.runner.run(context ->
                assertThat(context).getBean("supervisorHealthIndicator").isInstanceOf(SupervisorHealthIndicator.class));
    }

    @Test
    void theHealthContributorCanBeSwitchedOff() {
        this.runner
                .withPropertyValues("management.health.supervisor.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(SupervisorHealthIndicator.class));
        this.runner
                .withPropertyValues("management.health.defaults.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(SupervisorHealthIndicator.class));
        this.runner
                .withPropertyValues(
                        "management.health.defaults.enabled=false", "management.health.supervisor.enabled=true")
                .run(context -> assertThat(context).hasSingleBean(SupervisorHealthIndicator.class));
    }

    @Test
    void nothingIsObservedWhenSupervisionIsOff() {
        this.runner.withPropertyValues("rustrade.supervisor.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(Supervisor.class);
            assertThat(context).doesNotHaveBean(SupervisorEndpoint.class);
            assertThat(context).doesNotHaveBean(SupervisorMetrics.class);
            assertThat(context).doesNotHaveBean(SupervisorHealthIndicator.class);
        });
    }

    @Test
    void theApplicationsOwnBeansWin() {
        this.runner
                .withBean(
                        "mySupervisorEndpoint",
                        SupervisorEndpoint.class,
                        () -> new SupervisorEndpoint(SupervisorEngine.builder().build()))
                .withBean(
                        "supervisorHealthIndicator",
                        SupervisorHealthIndicator.class,
                        () -> new SupervisorHealthIndicator(
                                SupervisorEngine.builder().build()))
                .withBean(
                        "mySupervisorMetrics",
                        SupervisorMetrics.class,
                        () -> new SupervisorMetrics(SupervisorEngine.builder().build()))
                .run(context -> {
                    assertThat(context).hasSingleBean(SupervisorEndpoint.class).hasBean("mySupervisorEndpoint");
                    assertThat(context).hasSingleBean(SupervisorHealthIndicator.class);
                    assertThat(context).hasSingleBean(SupervisorMetrics.class).hasBean("mySupervisorMetrics");
                    assertThat(context.getBean(SupervisorHealthIndicator.class)
                                    .health()
                                    .getDetails())
                            .isNotNull();
                });
    }

    @Test
    void withoutActuatorOrMicrometerTheStarterStillSupervises() {
        Feed feed = new Feed("marketDataFeed").failingFirst(1);
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        SupervisorAutoConfiguration.class,
                        LifecycleAutoConfiguration.class,
                        SupervisorEndpointAutoConfiguration.class,
                        SupervisorMetricsAutoConfiguration.class,
                        SupervisorHealthContributorAutoConfiguration.class))
                .withPropertyValues(
                        "management.endpoints.web.exposure.include=supervisor",
                        "rustrade.supervisor.backoff.base-delay=10ms")
                .withClassLoader(new FilteredClassLoader(
                        "org.springframework.boot.actuate",
                        "org.springframework.boot.health",
                        "org.springframework.boot.micrometer",
                        "io.micrometer"))
                .withBean("marketDataFeed", Feed.class, () -> feed)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(SupervisorEndpoint.class);
                    assertThat(context).doesNotHaveBean(SupervisorMetrics.class);
                    assertThat(context).doesNotHaveBean(SupervisorHealthIndicator.class);
                    Supervisor supervisor = context.getBean(Supervisor.class);

                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> supervisor
                                            .service("marketDataFeed")
                                            .orElseThrow()
                                            .state()
                                    == ServiceState.RUNNING);
                    assertThat(feed.starts).hasValue(2);
                });
    }
}
