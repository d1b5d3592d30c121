package io.rustrade.supervisor.core;

import static io.rustrade.supervisor.ServiceState.BACKING_OFF;
import static io.rustrade.supervisor.ServiceState.CIRCUIT_OPEN;
import static io.rustrade.supervisor.ServiceState.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.CircuitOpenAction;
import io.rustrade.supervisor.CircuitState;
import io.rustrade.supervisor.testing.FakeLifecycle;
import io.rustrade.supervisor.testing.VirtualScheduler;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** The circuit breaker and its three on-open actions (SPEC §6), on virtual time. */
@ParameterizedClass(name = "clock from {0}")
@ValueSource(longs = {0, VirtualScheduler.NEAR_WRAP, VirtualScheduler.JUST_BEFORE_WRAP})
class CircuitBreakerSupervisionTests {

    private final EngineFixture fixture;

    private final FakeLifecycle gateway = new FakeLifecycle();

    /** Runs every test with the clock from 0, and from two readings shortly before the wrap-around. */
    CircuitBreakerSupervisionTests(long clockStart) {
        this.fixture = new EngineFixture(clockStart);
    }

    private void startGateway(ServiceOptions options) {
        this.fixture.engine.registerBean("gateway", this.gateway, options);
        this.fixture.engine.startService("gateway");
        this.fixture.runUntilIdle();
    }

    private void fail() {
        this.fixture.engine.reportFailure("gateway", new IOException("login refused"));
        this.fixture.runUntilIdle();
    }

    /** Fails the running gateway, then lets its restart happen. */
    private void failAndRestart() {
        fail();
        this.fixture.advance(Duration.ofMinutes(1));
    }

    @Test
    void theCircuitOpensOnTheNthFailureInsideTheWindow() {
        startGateway(EngineFixture.withBreaker(3, CircuitOpenAction.STOP).build());
        failAndRestart();
        failAndRestart();
        assertThat(this.fixture.state("gateway")).isEqualTo(RUNNING);

        fail();

        assertThat(this.fixture.state("gateway")).isEqualTo(CIRCUIT_OPEN);
        assertThat(this.fixture.snapshot("gateway").circuit()).isEqualTo(CircuitState.OPEN);
        assertThat(this.fixture.snapshot("gateway").recentFailures()).isEqualTo(3);
        assertThat(this.fixture.snapshot("gateway").failures()).isEqualTo(3);
        assertThat(this.fixture.snapshot("gateway").nextRestartAt()).isNull();
        assertThat(this.fixture.events(SupervisionEvent.CircuitOpened.class))
                .singleElement()
                .satisfies(opened -> {
                    assertThat(opened.failures()).isEqualTo(3);
                    assertThat(opened.maxFailures()).isEqualTo(3);
                });
    }

    @Test
    void eachFailureTellsTheDelayOfTheRestartItLeadsToAndNoneWhenItOpensTheCircuit() {
        startGateway(EngineFixture.withBreaker(3, CircuitOpenAction.HALF_OPEN).build());
        failAndRestart();
        failAndRestart();
        fail();
        this.fixture.advance(Duration.ofMinutes(1));
        fail();

        assertThat(this.fixture.events(SupervisionEvent.Failed.class))
                .extracting(SupervisionEvent.Failed::restartIn)
                .containsExactly(
                        this.fixture
                                .events(SupervisionEvent.RestartScheduled.class)
                                .get(0)
                                .delay(),
                        this.fixture
                                .events(SupervisionEvent.RestartScheduled.class)
                                .get(1)
                                .delay(),
                        null,
                        null);
        assertThat(this.fixture.events(SupervisionEvent.RestartScheduled.class)).hasSize(2);
        assertThat(this.fixture.events(SupervisionEvent.CircuitOpened.class)).hasSize(2);
    }

    @Test
    void failuresOutsideTheWindowDoNotOpenTheCircuit() {
        startGateway(EngineFixture.exact()
                .circuitBreaker(CircuitBreakerPolicy.builder()
                        .maxFailures(2)
                        .window(Duration.ofMinutes(1))
                        .build())
                .build());
        failAndRestart();
        this.fixture.advance(Duration.ofMinutes(1));

        fail();

        assertThat(this.fixture.state("gateway")).isEqualTo(BACKING_OFF);
    }

    @Test
    void withOnOpenStopNothingHappensUntilAnOperatorActs() {
        startGateway(EngineFixture.withBreaker(1, CircuitOpenAction.STOP).build());
        fail();

        this.fixture.advance(Duration.ofDays(1));

        assertThat(this.fixture.state("gateway")).isEqualTo(CIRCUIT_OPEN);
        assertThat(this.gateway.starts()).isEqualTo(1);
        this.fixture.engine.start("gateway");
        this.fixture.runUntilIdle();
        assertThat(this.fixture.state("gateway")).isEqualTo(RUNNING);
        assertThat(this.fixture.snapshot("gateway").circuit()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void withOnOpenHalfOpenAProbeThatRunsForTheCooldownPeriodClosesTheCircuit() {
        startGateway(EngineFixture.withBreaker(1, CircuitOpenAction.HALF_OPEN).build());
        fail();
        assertThat(this.fixture.snapshot("gateway").nextRestartAt())
                .isEqualTo(this.fixture.scheduler.now().plus(Duration.ofMinutes(1)));

        this.fixture.advance(Duration.ofMinutes(1));
        assertThat(this.fixture.state("gateway")).isEqualTo(RUNNING);
        assertThat(this.fixture.snapshot("gateway").circuit()).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(this.fixture.snapshot("gateway").restarts()).isEqualTo(1);

        this.fixture.advance(Duration.ofMinutes(5));

        assertThat(this.fixture.snapshot("gateway").circuit()).isEqualTo(CircuitState.CLOSED);
        assertThat(this.fixture.snapshot("gateway").attempt()).isZero();
        assertThat(this.fixture.snapshot("gateway").recentFailures()).isZero();
        assertThat(this.fixture.events(SupervisionEvent.CircuitClosed.class)).hasSize(1);
    }

    @Test
    void withOnOpenHalfOpenAFailedProbeReopensTheCircuitForTwiceAsLong() {
        startGateway(EngineFixture.withBreaker(1, CircuitOpenAction.HALF_OPEN).build());
        fail();
        this.fixture.advance(Duration.ofMinutes(1));

        fail();

        assertThat(this.fixture.state("gateway")).isEqualTo(CIRCUIT_OPEN);
        assertThat(this.fixture.snapshot("gateway").circuit()).isEqualTo(CircuitState.OPEN);
        assertThat(this.fixture.snapshot("gateway").nextRestartAt())
                .isEqualTo(this.fixture.scheduler.now().plus(Duration.ofMinutes(2)));
        this.fixture.advance(Duration.ofMinutes(2));
        fail();
        assertThat(this.fixture.snapshot("gateway").nextRestartAt())
                .isEqualTo(this.fixture.scheduler.now().plus(Duration.ofMinutes(4)));
        assertThat(this.fixture.events(SupervisionEvent.CircuitOpened.class)).hasSize(3);
    }

    @Test
    void withOnOpenHalfOpenTheOpenPeriodStopsDoublingAtTheMaximum() {
        startGateway(EngineFixture.withBreaker(1, CircuitOpenAction.HALF_OPEN).build());
        fail();
        java.util.List<Duration> waits = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Duration wait = Duration.between(
                    this.fixture.scheduler.now(),
                    this.fixture.snapshot("gateway").nextRestartAt());
            waits.add(wait);
            this.fixture.advance(wait);
            fail();
        }

        assertThat(waits).extracting(Duration::toMinutes).containsExactly(1L, 2L, 4L, 8L, 10L, 10L);
    }

    @Test
    void withOnOpenShutdownTheSupervisorEscalates() {
        startGateway(EngineFixture.withBreaker(2, CircuitOpenAction.SHUTDOWN).build());
        failAndRestart();
        assertThat(this.fixture.escalations).isEmpty();

        fail();

        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(this.fixture.escalations).containsExactly("gateway: login refused"));
        assertThat(this.fixture.state("gateway")).isEqualTo(CIRCUIT_OPEN);
    }

    @Test
    void aZeroMaxFailuresNeverOpensTheCircuit() {
        startGateway(EngineFixture.withBreaker(0, CircuitOpenAction.STOP).build());
        for (int i = 0; i < 50; i++) {
            failAndRestart();
        }

        assertThat(this.fixture.state("gateway")).isEqualTo(RUNNING);
        assertThat(this.fixture.snapshot("gateway").failures()).isEqualTo(50);
    }

    @Test
    void recentFailuresDropAsFailuresLeaveTheWindow() {
        startGateway(EngineFixture.exact()
                .circuitBreaker(CircuitBreakerPolicy.builder()
                        .maxFailures(5)
                        .window(Duration.ofMinutes(10))
                        .build())
                .build());
        failAndRestart();
        failAndRestart();
        assertThat(this.fixture.snapshot("gateway").recentFailures()).isEqualTo(2);

        this.fixture.advance(Duration.ofMinutes(9));
        assertThat(this.fixture.snapshot("gateway").recentFailures()).isEqualTo(1);
        this.fixture.advance(Duration.ofMinutes(1));
        assertThat(this.fixture.snapshot("gateway").recentFailures()).isZero();
    }
}
