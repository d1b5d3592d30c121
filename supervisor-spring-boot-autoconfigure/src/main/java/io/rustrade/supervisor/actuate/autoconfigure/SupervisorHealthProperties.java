package io.rustrade.supervisor.actuate.autoconfigure;

import io.rustrade.supervisor.actuate.SupervisorLivenessHealthIndicator;
import java.util.EnumSet;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** How the supervisor's health contributors judge the services ({@code rustrade.supervisor.health}). */
@ConfigurationProperties("rustrade.supervisor.health")
public class SupervisorHealthProperties {

    private final Liveness liveness = new Liveness();

    public Liveness getLiveness() {
        return this.liveness;
    }

    /** The {@code supervisorLiveness} contributor, for a Kubernetes liveness group. */
    public static class Liveness {

        /**
         * Situations of a service that make the supervisorLiveness health contributor DOWN: failed,
         * circuit-stopped (open, on-open stop), circuit-probing (half-open), circuit-failed-over (failover),
         * circuit-shutting-down (shutdown). By default failed and circuit-stopped: what nothing on this
         * instance will end.
         */
        private Set<SupervisorLivenessHealthIndicator.Down> downWhen =
                EnumSet.copyOf(SupervisorLivenessHealthIndicator.DEFAULT);

        public Set<SupervisorLivenessHealthIndicator.Down> getDownWhen() {
            return this.downWhen;
        }

        public void setDownWhen(Set<SupervisorLivenessHealthIndicator.Down> downWhen) {
            this.downWhen = downWhen;
        }
    }
}
