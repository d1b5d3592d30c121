package io.rustrade.supervisor.autoconfigure;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Binds {@link SupervisorProperties} and resolves them, as the auto-configuration does. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SupervisorProperties.class)
class ResolverConfiguration {

    @Bean
    ServiceOptionsResolver serviceOptionsResolver(SupervisorProperties properties, ApplicationContext context) {
        return new ServiceOptionsResolver(properties, context.getClassLoader());
    }
}
