package io.rustrade.supervisor.actuate.autoconfigure;

import io.rustrade.supervisor.actuate.SupervisorDashboard;
import io.rustrade.supervisor.actuate.SupervisorEndpoint;
import io.rustrade.supervisor.autoconfigure.InvalidSupervisorPropertyException;
import io.rustrade.supervisor.autoconfigure.SupervisorProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The operators' page ({@code rustrade.supervisor.dashboard.enabled}), served by Spring MVC when the {@code
 * supervisor} endpoint is available. It calls the endpoint under the actuator's base path and the request's
 * context path, so the endpoint must be served by the application's own server (not a separate management
 * port); its buttons are shown only when the endpoint's access lets it take commands.
 */
@AutoConfiguration(after = SupervisorEndpointAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(RouterFunctions.class)
@ConditionalOnBooleanProperty(name = "rustrade.supervisor.dashboard.enabled")
@ConditionalOnBean({SupervisorEndpoint.class, SupervisorProperties.class})
public final class SupervisorDashboardAutoConfiguration {

    @Bean
    RouterFunction<ServerResponse> supervisorDashboardRoute(
            SupervisorProperties properties,
            ObjectProvider<WebEndpointProperties> webEndpoints,
            ObjectProvider<EndpointAccessResolver> accessResolver) {
        String path = properties.getDashboard().getPath();
        if (path == null || !path.startsWith("/")) {
            throw new InvalidSupervisorPropertyException(
                    "rustrade.supervisor.dashboard.path", String.valueOf(path), "must start with '/'");
        }
        String basePath =
                webEndpoints.getIfAvailable(WebEndpointProperties::new).getBasePath();
        EndpointAccessResolver resolver = accessResolver.getIfAvailable();
        boolean writable = resolver == null
                || resolver.accessFor(EndpointId.of("supervisor"), Access.UNRESTRICTED) == Access.UNRESTRICTED;
        SupervisorDashboard dashboard = new SupervisorDashboard();
        return RouterFunctions.route()
                .GET(
                        path,
                        request -> ServerResponse.ok()
                                .contentType(
                                        new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                                .header("Cache-Control", "no-store")
                                .body(dashboard.page(
                                        request.servletRequest().getContextPath() + basePath + "/supervisor",
                                        writable)))
                .build();
    }
}
