package io.rustrade.supervisor.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.CircuitOpenAction;
import io.rustrade.supervisor.RestartPolicy;
import io.rustrade.supervisor.actuate.SupervisorLivenessHealthIndicator.Down;
import io.rustrade.supervisor.core.CircuitBreakerPolicy;
import io.rustrade.supervisor.core.ServiceOptions;
import java.net.ConnectException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code supervisorLiveness} contributor turns DOWN only for what nothing on this instance will end: a
 * liveness probe must not kill a pod that is recovering by itself.
 */
class SupervisorLivenessHealthIndicatorTests {

    private final DirectSupervisor supervisor = new DirectSupervisor();

    private static ServiceOptions opensOnFirstFailure(CircuitOpenAction onOpen) {
        return DirectSupervisor.exact()
                .circuitBreaker(CircuitBreakerPolicy.builder()
                        .maxFailures(1)
                        .onOpen(onOpen)
                        .openDuration(Duration.ofMinutes(1))
                        .build())
                .build();
    }

    private Health health(Set<Down> downWhen) {
        return new SupervisorLivenessHealthIndicator(this.supervisor.engine, downWhen).health();
    }

    @Test
    void aCircuitThatWillProbeByItselfKeepsTheLivenessUpWhileTheSupervisorHealthIsDown() {
        this.supervisor.lifecycle("reconciler", opensOnFirstFailure(CircuitOpenAction.HALF_OPEN));

        this.supervisor.fail("reconciler", new ConnectException("Connection refused"));

        assertThat(this.supervisor.snapshot("reconciler").state().name()).isEqualTo("CIRCUIT_OPEN");
        assertThat(new SupervisorHealthIndicator(this.supervisor.engine)
                        .health()
                        .getStatus())
                .isEqualTo(Status.DOWN);
        Health liveness = health(SupervisorLivenessHealthIndicator.DEFAULT);
        assertThat(liveness.getStatus()).isEqualTo(Status.UP);
        assertThat(liveness.getDetails()).containsExactly(Map.entry("down", Map.of()));
    }

    @Test
    void aCircuitThatWaitsForAnOperatorTurnsTheLivenessDownAndNamesTheService() {
        this.supervisor.lifecycle("gateway", opensOnFirstFailure(CircuitOpenAction.STOP));
        this.supervisor.lifecycle("feed", DirectSupervisor.exact().build());

        this.supervisor.fail("gateway", new ConnectException("Connection refused"));

        Health liveness = health(SupervisorLivenessHealthIndicator.DEFAULT);
        assertThat(liveness.getStatus()).isEqualTo(Status.DOWN);
        assertThat(liveness.getDetails()).containsExactly(Map.entry("down", Map.of("gateway", "CIRCUIT_OPEN")));

        this.supervisor.engine.reset("gateway");
        assertThat(health(SupervisorLivenessHealthIndicator.DEFAULT).getStatus())
                .isEqualTo(Status.UP);
    }

    @Test
    void aServiceFailedForGoodTurnsTheLivenessDown() {
        this.supervisor.lifecycle(
                "ledger",
                DirectSupervisor.exact().restartPolicy(RestartPolicy.NEVER).build());

        this.supervisor.fail("ledger", new IllegalStateException("ledger closed"));

        assertThat(health(SupervisorLivenessHealthIndicator.DEFAULT).getStatus())
                .isEqualTo(Status.DOWN);
    }

    @Test
    void whatTurnsItDownIsConfigurable() {
        this.supervisor.lifecycle("reconciler", opensOnFirstFailure(CircuitOpenAction.HALF_OPEN));
        this.supervisor.fail("reconciler", new ConnectException("Connection refused"));

        assertThat(health(EnumSet.of(Down.CIRCUIT_PROBING)).getStatus()).isEqualTo(Status.DOWN);
        assertThat(health(EnumSet.noneOf(Down.class)).getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void aServiceBackingOffIsNoReasonToRestartThePod() {
        this.supervisor.lifecycle("feed", DirectSupervisor.exact().build());

        this.supervisor.fail("feed", new ConnectException("Connection refused"));

        assertThat(this.supervisor.snapshot("feed").state().name()).isEqualTo("BACKING_OFF");
        assertThat(health(EnumSet.allOf(Down.class)).getStatus()).isEqualTo(Status.UP);
    }
}
