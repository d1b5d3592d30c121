package io.rustrade.supervisor.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.RestartPolicy;
import java.net.ConnectException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** The {@code supervisor} health contributor (SPEC §11). */
class SupervisorHealthIndicatorTests {

    private final DirectSupervisor supervisor = new DirectSupervisor();

    private final SupervisorHealthIndicator indicator = new SupervisorHealthIndicator(this.supervisor.engine);

    @Test
    void isUpWithNoServices() {
        Health health = this.indicator.health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsExactly(Map.entry("services", Map.of()));
    }

    @Test
    void goesDownWhenACircuitOpensAndUpAgainWhenItIsReset() {
        this.supervisor.lifecycle("orderGateway", DirectSupervisor.exact().build());
        this.supervisor.lifecycle("quoteStream", DirectSupervisor.breaker(1).build());
        assertThat(this.indicator.health().getStatus()).isEqualTo(Status.UP);

        this.supervisor.fail("quoteStream", new ConnectException("Connection refused"));
        Health open = this.indicator.health();
        assertThat(open.getStatus()).isEqualTo(Status.DOWN);
        assertThat(open.getDetails())
                .containsExactly(
                        Map.entry("services", Map.of("orderGateway", "RUNNING", "quoteStream", "CIRCUIT_OPEN")));

        this.supervisor.engine.reset("quoteStream");
        Health reset = this.indicator.health();
        assertThat(reset.getStatus()).isEqualTo(Status.UP);
        assertThat(reset.getDetails())
                .containsExactly(Map.entry("services", Map.of("orderGateway", "RUNNING", "quoteStream", "RUNNING")));
    }

    @Test
    void isDownWhileAServiceHasFailedForGood() {
        this.supervisor.lifecycle(
                "ledger",
                DirectSupervisor.exact().restartPolicy(RestartPolicy.NEVER).build());

        this.supervisor.fail("ledger", new IllegalStateException("ledger closed"));
        assertThat(this.indicator.health().getStatus()).isEqualTo(Status.DOWN);

        this.supervisor.engine.start("ledger");
        assertThat(this.indicator.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void staysUpWhileAServiceBacksOffOrIsStopped() {
        this.supervisor.lifecycle("marketDataFeed", DirectSupervisor.exact().build());
        this.supervisor.lifecycle("orderGateway", DirectSupervisor.exact().build());

        this.supervisor.fail("marketDataFeed", new ConnectException("Connection refused"));
        this.supervisor.engine.stop("orderGateway");

        Health health = this.indicator.health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails())
                .containsExactly(
                        Map.entry("services", Map.of("marketDataFeed", "BACKING_OFF", "orderGateway", "STOPPED")));
    }

    @Test
    void listsTheServicesSortedByName() {
        this.supervisor.lifecycle("orderGateway", DirectSupervisor.exact().build());
        this.supervisor.lifecycle("ledger", DirectSupervisor.exact().build());
        this.supervisor.lifecycle("marketDataFeed", DirectSupervisor.exact().build());

        @SuppressWarnings("unchecked")
        Map<String, String> services =
                (Map<String, String>) this.indicator.health().getDetails().get("services");

        assertThat(services.keySet()).containsExactly("ledger", "marketDataFeed", "orderGateway");
    }
}
