package io.rustrade.supervisor.actuate.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.autoconfigure.SupervisorAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;

/** The operators' page is served only when asked for, by a Spring MVC application with the endpoint. */
class SupervisorDashboardAutoConfigurationTests {

    private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(
            SupervisorAutoConfiguration.class,
            LifecycleAutoConfiguration.class,
            EndpointAutoConfiguration.class,
            WebEndpointAutoConfiguration.class,
            SupervisorEndpointAutoConfiguration.class,
            SupervisorDashboardAutoConfiguration.class);

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(CONFIGURATIONS)
            .withPropertyValues("management.endpoints.web.exposure.include=supervisor");

    @Test
    void thePageIsServedWhenEnabled() {
        this.web
                .withPropertyValues("rustrade.supervisor.dashboard.enabled=true")
                .run(context -> assertThat(context).hasBean("supervisorDashboardRoute"));
    }

    @Test
    void thePageIsNotServedByDefault() {
        this.web.run(context -> assertThat(context).doesNotHaveBean(RouterFunction.class));
    }

    @Test
    void thePageIsNotServedWithoutTheEndpoint() {
        this.web
                .withPropertyValues(
                        "rustrade.supervisor.dashboard.enabled=true",
                        "management.endpoints.web.exposure.include=health")
                .run(context -> assertThat(context).doesNotHaveBean(RouterFunction.class));
    }

    @Test
    void thePageIsNotServedWithoutSpringMvc() {
        this.web
                .withClassLoader(new FilteredClassLoader(RouterFunctions.class))
                .withPropertyValues("rustrade.supervisor.dashboard.enabled=true")
                .run(context -> assertThat(context).doesNotHaveBean("supervisorDashboardRoute"));
    }

    @Test
    void thePageIsNotServedByAnApplicationThatIsNoWebApplication() {
        new ApplicationContextRunner()
                .withConfiguration(CONFIGURATIONS)
                .withPropertyValues(
                        "rustrade.supervisor.dashboard.enabled=true",
                        "management.endpoints.web.exposure.include=supervisor")
                .run(context -> assertThat(context).doesNotHaveBean("supervisorDashboardRoute"));
    }

    @Test
    void aPathThatDoesNotStartWithASlashIsBadConfiguration() {
        this.web
                .withPropertyValues(
                        "rustrade.supervisor.dashboard.enabled=true", "rustrade.supervisor.dashboard.path=supervisor")
                .run(
                        context -> assertThat(context)
                                .getFailure()
                                .rootCause()
                                .hasMessage(
                                        "Property 'rustrade.supervisor.dashboard.path' must start with '/' but was supervisor"));
    }

    @Test
    void thePageCallsTheEndpointUnderTheContextPathAndTheActuatorsBasePath() {
        this.web
                .withConfiguration(AutoConfigurations.of(
                        org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration.class))
                .withPropertyValues(
                        "rustrade.supervisor.dashboard.enabled=true",
                        "management.endpoints.web.base-path=/manage",
                        "management.endpoint.supervisor.access=READ_ONLY")
                .run(context -> {
                    org.springframework.test.web.servlet.MockMvc mvc =
                            org.springframework.test.web.servlet.setup.MockMvcBuilders.webAppContextSetup(context)
                                    .build();
                    String page = mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get(
                                            "/app/supervisor")
                                    .contextPath("/app"))
                            .andReturn()
                            .getResponse()
                            .getContentAsString();

                    assertThat(page)
                            .contains("var ENDPOINT = '/app/manage/supervisor';")
                            .contains("var WRITABLE = false;");
                });
    }
}
