package io.rustrade.supervisor.actuate.autoconfigure;

import io.rustrade.supervisor.Supervisor;
import io.rustrade.supervisor.actuate.SupervisorHealthIndicator;
import io.rustrade.supervisor.actuate.SupervisorLivenessHealthIndicator;
import io.rustrade.supervisor.autoconfigure.SupervisorAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code supervisor} health contributor, and {@code supervisorLiveness} for liveness probes, when Spring
 * Boot's health support is on the class path and the supervisor is on; {@code
 * management.health.supervisor.enabled=false} switches both off.
 *
 * <p>The class itself carries only conditions of {@code spring-boot-autoconfigure}, so that it backs off
 * cleanly without Spring Boot's health support however it is imported; the health condition is on the
 * bean.
 */
@AutoConfiguration(after = SupervisorAutoConfiguration.class, before = HealthContributorAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(Supervisor.class)
@EnableConfigurationProperties(SupervisorHealthProperties.class)
public final class SupervisorHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "supervisorHealthIndicator")
    @ConditionalOnEnabledHealthIndicator("supervisor")
    SupervisorHealthIndicator supervisorHealthIndicator(Supervisor supervisor) {
        return new SupervisorHealthIndicator(supervisor);
    }

    /** Switched with {@code supervisor}: both judge the same services, for different probes. */
    @Bean
    @ConditionalOnMissingBean(name = "supervisorLivenessHealthIndicator")
    @ConditionalOnEnabledHealthIndicator("supervisor")
    SupervisorLivenessHealthIndicator supervisorLivenessHealthIndicator(
            Supervisor supervisor, SupervisorHealthProperties properties) {
        return new SupervisorLivenessHealthIndicator(
                supervisor, properties.getLiveness().getDownWhen());
    }
}
