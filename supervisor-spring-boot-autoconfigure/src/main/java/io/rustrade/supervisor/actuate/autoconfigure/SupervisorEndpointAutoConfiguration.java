package io.rustrade.supervisor.actuate.autoconfigure;

import io.rustrade.supervisor.actuate.SupervisorEndpoint;
import io.rustrade.supervisor.actuate.SupervisorEndpointWebExtension;
import io.rustrade.supervisor.autoconfigure.SupervisorAutoConfiguration;
import io.rustrade.supervisor.core.ObservableSupervisor;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code supervisor} actuator endpoint, when Actuator is on the class path, the supervisor is on, and
 * the endpoint is available (exposed, and its access not {@code none}). Its access is Spring Boot's:
 * {@code management.endpoint.supervisor.access=read-only} refuses the commands.
 *
 * <p>The class itself carries only conditions of {@code spring-boot-autoconfigure}, so that it backs off
 * cleanly without Actuator however it is imported; Actuator's own conditions are on the beans.
 */
@AutoConfiguration(after = SupervisorAutoConfiguration.class)
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnBean(ObservableSupervisor.class)
public final class SupervisorEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    SupervisorEndpoint supervisorEndpoint(ObservableSupervisor supervisor) {
        return new SupervisorEndpoint(supervisor);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(SupervisorEndpoint.class)
    @ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
    SupervisorEndpointWebExtension supervisorEndpointWebExtension(SupervisorEndpoint endpoint) {
        return new SupervisorEndpointWebExtension(endpoint);
    }
}
