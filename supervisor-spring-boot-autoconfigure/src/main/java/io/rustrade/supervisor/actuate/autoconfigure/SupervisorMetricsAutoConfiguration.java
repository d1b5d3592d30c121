package io.rustrade.supervisor.actuate.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.rustrade.supervisor.actuate.SupervisorMetrics;
import io.rustrade.supervisor.autoconfigure.SupervisorAutoConfiguration;
import io.rustrade.supervisor.core.ObservableSupervisor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The supervisor's Micrometer meters, when Micrometer is on the class path, a meter registry exists and
 * the supervisor is on. Spring Boot binds the {@link SupervisorMetrics} bean to the registry.
 */
@AutoConfiguration(
        after = {
            MetricsAutoConfiguration.class,
            CompositeMeterRegistryAutoConfiguration.class,
            SupervisorAutoConfiguration.class
        })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({MeterRegistry.class, ObservableSupervisor.class})
public final class SupervisorMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SupervisorMetrics supervisorMetrics(ObservableSupervisor supervisor) {
        return new SupervisorMetrics(supervisor);
    }
}
