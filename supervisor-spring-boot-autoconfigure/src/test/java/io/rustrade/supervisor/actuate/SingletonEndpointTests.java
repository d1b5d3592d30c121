package io.rustrade.supervisor.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.rustrade.supervisor.actuate.SupervisorEndpoint.ServiceDescriptor;
import org.junit.jupiter.api.Test;

/** The endpoint's view of cluster singletons and its {@code yield} action (SPEC §15, §17). */
class SingletonEndpointTests {

    private final DirectSupervisor supervisor = new DirectSupervisor();

    private final SupervisorEndpoint endpoint = new SupervisorEndpoint(this.supervisor.engine);

    private void singleton(String name) {
        this.supervisor.lifecycle(
                name,
                DirectSupervisor.exact()
                        .singletonLock("rustrade-supervisor." + name)
                        .build());
    }

    @Test
    void aSingletonShowsItsLockWhetherThisInstanceLeadsItAndSinceWhen() {
        singleton("orderGateway");
        this.supervisor.advance(java.time.Duration.ofSeconds(3));
        this.supervisor.engine.leadershipGranted("orderGateway");

        ServiceDescriptor gateway = this.endpoint.service("orderGateway");

        assertThat(gateway.getState()).isEqualTo("RUNNING");
        assertThat(gateway.getSingleton().getLock()).isEqualTo("rustrade-supervisor.orderGateway");
        assertThat(gateway.getSingleton().isLeader()).isTrue();
        assertThat(gateway.getSingleton().getSince()).isEqualTo("2026-11-27T10:15:33.120Z");
    }

    @Test
    void aServiceThatIsNoSingletonShowsNone() {
        this.supervisor.lifecycle("marketDataFeed", DirectSupervisor.exact().build());

        assertThat(this.endpoint.service("marketDataFeed").getSingleton()).isNull();
    }

    @Test
    void yieldAnswersWithTheSingletonStandingByHere() {
        singleton("orderGateway");
        this.supervisor.engine.leadershipGranted("orderGateway");

        ServiceDescriptor yielded = this.endpoint.act("orderGateway", "yield");

        assertThat(yielded.getState()).isEqualTo("STANDBY");
        assertThat(yielded.getSingleton().isLeader()).isFalse();
    }

    @Test
    void yieldOfASingletonThisInstanceDoesNotLeadIsAConflict() {
        singleton("orderGateway");

        assertThatExceptionOfType(ServiceActionConflictException.class)
                .isThrownBy(() -> this.endpoint.act("orderGateway", "YIELD"))
                .withMessage("'yield' is only for the leader; this instance does not lead 'orderGateway' (it is"
                        + " STANDBY here)");
    }

    @Test
    void yieldOfAServiceThatIsNoSingletonIsAConflict() {
        this.supervisor.lifecycle("marketDataFeed", DirectSupervisor.exact().build());

        assertThatExceptionOfType(ServiceActionConflictException.class)
                .isThrownBy(() -> this.endpoint.act("marketDataFeed", "yield"))
                .withMessage("'yield' is only for cluster singletons; 'marketDataFeed' is not one"
                        + " (services.marketDataFeed.singleton)");
        assertThat(this.supervisor.snapshot("marketDataFeed").state().name()).isEqualTo("RUNNING");
    }
}
