package io.rustrade.supervisor.actuate;

import io.rustrade.supervisor.CircuitOpenAction;
import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.Supervisor;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code supervisorLiveness} health contributor, for a Kubernetes liveness group: {@code DOWN} only
 * while a service is in a situation listed in {@code rustrade.supervisor.health.liveness.down-when} — by
 * default one that nothing on this instance will end but a person or a new JVM: {@code FAILED} (a fatal
 * failure, or restart policy {@code never}), or {@code CIRCUIT_OPEN} with {@code on-open: stop}.
 *
 * <p>Why not every open circuit: a {@code half-open} circuit probes again by itself, a {@code failover} one
 * has handed its service to another instance, and a {@code shutdown} one ends the JVM itself; restarting
 * the pod for them would kill an application that is recovering. The {@code supervisor} contributor keeps
 * its rule (any open circuit or failed service is {@code DOWN}), fit for readiness and alerts.
 *
 * <p>Its details name the services that make it {@code DOWN}, with their state, sorted.
 */
public class SupervisorLivenessHealthIndicator implements HealthIndicator {

    /** The situations of a service that may make the liveness {@code DOWN}. */
    public enum Down {
        /** {@code FAILED}: a fatal failure, or restart policy {@code never}. */
        FAILED,
        /** {@code CIRCUIT_OPEN} with {@code on-open: stop}: it waits for an operator. */
        CIRCUIT_STOPPED,
        /** {@code CIRCUIT_OPEN} with {@code on-open: half-open}: it probes again by itself. */
        CIRCUIT_PROBING,
        /** {@code CIRCUIT_OPEN} with {@code on-open: failover}: another instance runs the service. */
        CIRCUIT_FAILED_OVER,
        /** {@code CIRCUIT_OPEN} with {@code on-open: shutdown}: the application is being shut down. */
        CIRCUIT_SHUTTING_DOWN
    }

    /** The default: what nothing on this instance will end. */
    public static final Set<Down> DEFAULT = EnumSet.of(Down.FAILED, Down.CIRCUIT_STOPPED);

    private final Supervisor supervisor;

    private final Set<Down> downWhen;

    public SupervisorLivenessHealthIndicator(Supervisor supervisor, Set<Down> downWhen) {
        this.supervisor = Objects.requireNonNull(supervisor, "supervisor must not be null");
        this.downWhen = downWhen.isEmpty() ? EnumSet.noneOf(Down.class) : EnumSet.copyOf(downWhen);
    }

    @Override
    public Health health() {
        Map<String, String> down = new LinkedHashMap<>();
        for (ServiceSnapshot service : this.supervisor.services()) {
            Down situation = situation(service);
            if (situation != null && this.downWhen.contains(situation)) {
                down.put(service.name(), service.state().name());
            }
        }
        Health.Builder health = down.isEmpty() ? Health.up() : Health.down();
        return health.withDetail("down", down).build();
    }

    /** The situation of a service that may make the liveness DOWN; null for every other. */
    static Down situation(ServiceSnapshot service) {
        if (service.state() == ServiceState.FAILED) {
            return Down.FAILED;
        }
        if (service.state() != ServiceState.CIRCUIT_OPEN) {
            return null;
        }
        CircuitOpenAction onOpen = service.circuitBreaker().onOpen();
        return switch (onOpen) {
            case STOP -> Down.CIRCUIT_STOPPED;
            case HALF_OPEN -> Down.CIRCUIT_PROBING;
            case FAILOVER -> Down.CIRCUIT_FAILED_OVER;
            case SHUTDOWN -> Down.CIRCUIT_SHUTTING_DOWN;
        };
    }
}
