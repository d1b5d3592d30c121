package io.rustrade.supervisor.actuate;

import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.Supervisor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code supervisor} health contributor: {@code UP} when no service is {@code CIRCUIT_OPEN} or {@code
 * FAILED} (states that need an operator, or a half-open probe), else {@code DOWN}. Its details list every
 * service's state by name, sorted: {@code {"services": {"marketDataFeed": "RUNNING"}}}.
 *
 * <p>A service that is backing off is still {@code UP}: the supervisor is dealing with it. Added to a
 * Kubernetes liveness group, a {@code DOWN} lets Kubernetes restart the pod.
 */
public class SupervisorHealthIndicator implements HealthIndicator {

    private final Supervisor supervisor;

    public SupervisorHealthIndicator(Supervisor supervisor) {
        this.supervisor = Objects.requireNonNull(supervisor, "supervisor must not be null");
    }

    @Override
    public Health health() {
        Map<String, String> states = new LinkedHashMap<>();
        boolean down = false;
        for (ServiceSnapshot service : this.supervisor.services()) {
            states.put(service.name(), service.state().name());
            down |= service.state().isDown();
        }
        Health.Builder health = down ? Health.down() : Health.up();
        return health.withDetail("services", states).build();
    }
}
