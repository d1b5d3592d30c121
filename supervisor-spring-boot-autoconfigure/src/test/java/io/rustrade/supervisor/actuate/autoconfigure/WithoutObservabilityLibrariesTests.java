package io.rustrade.supervisor.actuate.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.Supervisor;
import io.rustrade.supervisor.testing.Feed;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * Supervision with every auto-configuration on a class path without Actuator, Spring Boot's health
 * support or Micrometer. Runs in the build's {@code without-observability-libraries} test execution,
 * which takes those libraries off the class path.
 */
@EnabledIfSystemProperty(named = "rustrade.test.classpath", matches = "without-observability-libraries")
class WithoutObservabilityLibrariesTests {

    @Test
    void theStarterStillSupervisesWithoutActuatorOrMicrometer() {
        assertThat(ClassUtils.isPresent("org.springframework.boot.actuate.endpoint.annotation.Endpoint", null))
                .isFalse();
        assertThat(ClassUtils.isPresent("org.springframework.boot.health.contributor.HealthIndicator", null))
                .isFalse();
        assertThat(ClassUtils.isPresent("io.micrometer.core.instrument.MeterRegistry", null))
                .isFalse();
        assertThat(ClassUtils.isPresent(
                        "org.springframework.integration.support.leader.LockRegistryLeaderInitiator", null))
                .isFalse();
        Feed feed = new Feed("marketDataFeed").failingFirst(1);

        new ApplicationContextRunner()
                .withUserConfiguration(Application.class)
                .withBean("marketDataFeed", Feed.class, () -> feed)
                .withPropertyValues(
                        "management.endpoints.web.exposure.include=*", "rustrade.supervisor.backoff.base-delay=10ms")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context)
                            .doesNotHaveBean("supervisorEndpoint")
                            .doesNotHaveBean("supervisorMetrics")
                            .doesNotHaveBean("supervisorHealthIndicator")
                            .doesNotHaveBean("supervisorSingletonElections");
                    Supervisor supervisor = context.getBean(Supervisor.class);

                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> supervisor
                                            .service("marketDataFeed")
                                            .orElseThrow()
                                            .state()
                                    == ServiceState.RUNNING);
                    assertThat(feed.starts)
                            .as("the failed first start was retried")
                            .hasValue(2);
                });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {}
}
