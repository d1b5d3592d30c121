package io.rustrade.supervisor.actuate.autoconfigure;

import io.rustrade.supervisor.actuate.SupervisorEndpoint;
import io.rustrade.supervisor.actuate.SupervisorEndpointWebExtension;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * What a native image must keep for the starter's operators' surface, which it loads by name or writes by
 * reflection: the dashboard's page (a class path resource) and every body the endpoint writes as JSON,
 * errors included. The endpoint's write operation answers with {@code OperationResponseBody}, an interface,
 * so the bodies behind it are not found from its signature.
 *
 * <p>Listed in {@code META-INF/spring/aot.factories}; Spring's AOT processing applies it to every
 * application that has the starter.
 */
final class SupervisorRuntimeHints implements RuntimeHintsRegistrar {

    /** The dashboard's page, as {@code SupervisorDashboard} reads it. */
    static final String DASHBOARD_PAGE = "META-INF/rustrade-supervisor/dashboard.html";

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        hints.resources().registerPattern(DASHBOARD_PAGE);
        new BindingReflectionHintsRegistrar()
                .registerReflectionHints(
                        hints.reflection(),
                        SupervisorEndpoint.ServicesDescriptor.class,
                        SupervisorEndpoint.ServiceDetailsDescriptor.class,
                        SupervisorEndpointWebExtension.BadRequestDescriptor.class,
                        SupervisorEndpointWebExtension.ConflictDescriptor.class);
    }
}
