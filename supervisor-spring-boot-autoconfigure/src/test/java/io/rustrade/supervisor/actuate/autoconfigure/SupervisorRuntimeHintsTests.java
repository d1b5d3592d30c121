package io.rustrade.supervisor.actuate.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.actuate.SupervisorEndpoint;
import io.rustrade.supervisor.actuate.SupervisorEndpointWebExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.core.io.ClassPathResource;

/** A native image keeps the dashboard's page and every body the endpoint writes, errors included. */
class SupervisorRuntimeHintsTests {

    private final RuntimeHints hints = new RuntimeHints();

    SupervisorRuntimeHintsTests() {
        new SupervisorRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
    }

    @Test
    void theDashboardsPageIsKeptAsAResource() {
        assertThat(new ClassPathResource(SupervisorRuntimeHints.DASHBOARD_PAGE).exists())
                .as("the page the hint names")
                .isTrue();
        assertThat(RuntimeHintsPredicates.resource().forResource(SupervisorRuntimeHints.DASHBOARD_PAGE))
                .accepts(this.hints);
    }

    @ParameterizedTest
    @ValueSource(
            classes = {
                SupervisorEndpoint.ServicesDescriptor.class,
                SupervisorEndpoint.GroupDescriptor.class,
                SupervisorEndpoint.ServiceDescriptor.class,
                SupervisorEndpoint.SingletonDescriptor.class,
                SupervisorEndpoint.ServiceDetailsDescriptor.class,
                SupervisorEndpoint.LastFailureDescriptor.class,
                SupervisorEndpoint.BackoffDescriptor.class,
                SupervisorEndpoint.CircuitBreakerDescriptor.class,
                SupervisorEndpoint.EventDescriptor.class,
                SupervisorEndpointWebExtension.BadRequestDescriptor.class,
                SupervisorEndpointWebExtension.ConflictDescriptor.class
            })
    void everyBodyTheEndpointWritesIsKeptForJson(Class<?> body) {
        assertThat(RuntimeHintsPredicates.reflection().onType(body)).accepts(this.hints);
    }

    @Test
    void theErrorBodysFieldsCanBeRead() {
        assertThat(RuntimeHintsPredicates.reflection()
                        .onMethodInvocation(SupervisorEndpointWebExtension.ConflictDescriptor.class, "getMessage"))
                .accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection()
                        .onMethodInvocation(SupervisorEndpointWebExtension.BadRequestDescriptor.class, "getStatus"))
                .accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection()
                        .onMethodInvocation(SupervisorEndpoint.ServiceDescriptor.class, "getWaitingFor"))
                .accepts(this.hints);
    }

    @Test
    void springsAotProcessingFindsTheHints() {
        assertThat(AotServices.factories().load(RuntimeHintsRegistrar.class))
                .anyMatch(SupervisorRuntimeHints.class::isInstance);
    }
}
