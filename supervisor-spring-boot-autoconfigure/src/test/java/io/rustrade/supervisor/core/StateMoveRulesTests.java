package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustrade.supervisor.CircuitState;
import io.rustrade.supervisor.ServiceState;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The tables of legal moves: of a service's state ({@link ServiceRecord#isLegalMove}) and of its circuit
 * breaker ({@link Circuit}). Every other test runs with assertions on, so an illegal move anywhere fails it;
 * these check the tables themselves, and that an illegal move of the breaker is caught.
 */
class StateMoveRulesTests {

    @Test
    void aServiceRunsOnlyAfterStarting() {
        for (ServiceState from : ServiceState.values()) {
            assertThat(ServiceRecord.isLegalMove(from, ServiceState.RUNNING))
                    .as(from + " -> RUNNING")
                    .isEqualTo(from == ServiceState.STARTING || from == ServiceState.RUNNING);
        }
    }

    @Test
    void onlyARunningServiceCompletes() {
        for (ServiceState from : ServiceState.values()) {
            assertThat(ServiceRecord.isLegalMove(from, ServiceState.COMPLETED))
                    .as(from + " -> COMPLETED")
                    .isEqualTo(from == ServiceState.RUNNING || from == ServiceState.COMPLETED);
        }
    }

    @Test
    void whatFollowsAFailureIsEnteredOnlyFromAStartOrARun() {
        Set<ServiceState> failing = EnumSet.of(ServiceState.STARTING, ServiceState.RUNNING);
        for (ServiceState after :
                EnumSet.of(ServiceState.BACKING_OFF, ServiceState.CIRCUIT_OPEN, ServiceState.FAILED)) {
            for (ServiceState from : ServiceState.values()) {
                assertThat(ServiceRecord.isLegalMove(from, after))
                        .as(from + " -> " + after)
                        .isEqualTo(failing.contains(from) || from == after);
            }
        }
    }

    @Test
    void aRunningServiceIsStoppedBeforeItStartsWaitsOrStandsBy() {
        assertThat(ServiceRecord.isLegalMove(ServiceState.RUNNING, ServiceState.STARTING))
                .isFalse();
        assertThat(ServiceRecord.isLegalMove(ServiceState.RUNNING, ServiceState.WAITING))
                .isFalse();
        assertThat(ServiceRecord.isLegalMove(ServiceState.RUNNING, ServiceState.STANDBY))
                .isFalse();
        assertThat(ServiceRecord.isLegalMove(ServiceState.RUNNING, ServiceState.STOPPING))
                .isTrue();
    }

    @Test
    void aCompletedRunLoopHasNothingLeftToStop() {
        assertThat(ServiceRecord.isLegalMove(ServiceState.COMPLETED, ServiceState.STOPPING))
                .isFalse();
        assertThat(ServiceRecord.isLegalMove(ServiceState.COMPLETED, ServiceState.STOPPED))
                .isTrue();
    }

    @Test
    void everyStateCanBeStoppedAndLeftForAStart() {
        for (ServiceState from : ServiceState.values()) {
            assertThat(ServiceRecord.isLegalMove(from, ServiceState.STOPPED))
                    .as(from + " -> STOPPED")
                    .isTrue();
            if (from != ServiceState.RUNNING) {
                assertThat(ServiceRecord.isLegalMove(from, ServiceState.STARTING))
                        .as(from + " -> STARTING")
                        .isTrue();
            }
        }
    }

    @Test
    void theBreakerOpensClosedHalfOpensOnlyWhenOpenAndClosesFromEither() {
        assertThat(Circuit.isLegalMove(CircuitState.CLOSED, CircuitState.OPEN)).isTrue();
        assertThat(Circuit.isLegalMove(CircuitState.OPEN, CircuitState.HALF_OPEN))
                .isTrue();
        assertThat(Circuit.isLegalMove(CircuitState.HALF_OPEN, CircuitState.OPEN))
                .isTrue();
        assertThat(Circuit.isLegalMove(CircuitState.HALF_OPEN, CircuitState.CLOSED))
                .isTrue();
        assertThat(Circuit.isLegalMove(CircuitState.OPEN, CircuitState.CLOSED)).isTrue();
        assertThat(Circuit.isLegalMove(CircuitState.CLOSED, CircuitState.HALF_OPEN))
                .isFalse();
        assertThat(Circuit.isLegalMove(CircuitState.CLOSED, CircuitState.CLOSED))
                .isFalse();
        assertThat(Circuit.isLegalMove(CircuitState.OPEN, CircuitState.OPEN)).isFalse();
        assertThat(Circuit.isLegalMove(CircuitState.HALF_OPEN, CircuitState.HALF_OPEN))
                .isFalse();
    }

    @Test
    void theBreakerCountsItsOpeningsInARowUntilItCloses() {
        Circuit circuit = new Circuit();

        assertThat(circuit.open()).isEqualTo(1);
        circuit.probe();
        assertThat(circuit.isHalfOpen()).isTrue();
        assertThat(circuit.open()).as("the probe failed").isEqualTo(2);
        circuit.close();

        assertThat(circuit.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(circuit.openings()).isZero();
    }

    @Test
    void anIllegalMoveOfTheBreakerFailsWithAssertionsOn() {
        Circuit circuit = new Circuit();

        assertThatThrownBy(circuit::probe)
                .isInstanceOf(AssertionError.class)
                .hasMessage("Illegal move of a circuit from CLOSED to HALF_OPEN");
    }
}
