package io.rustrade.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The enums of a snapshot are written, in configuration and by the endpoint, as these strings. */
class SnapshotValuesTests {

    @Test
    void aServiceKindIsWrittenInLowerCase() {
        assertThat(values(ServiceKind.values(), ServiceKind::value)).containsExactly("lifecycle", "service");
    }

    @Test
    void aRestartPolicyIsWrittenInKebabCase() {
        assertThat(values(RestartPolicy.values(), RestartPolicy::value))
                .containsExactly("on-failure", "always", "never");
    }

    @Test
    void aCircuitStateIsWrittenInKebabCase() {
        assertThat(values(CircuitState.values(), CircuitState::value)).containsExactly("closed", "open", "half-open");
    }

    @Test
    void aJitterIsWrittenInLowerCase() {
        assertThat(values(Jitter.values(), Jitter::value)).containsExactly("full", "equal", "decorrelated", "none");
    }

    @Test
    void aCircuitOpenActionIsWrittenInKebabCase() {
        assertThat(values(CircuitOpenAction.values(), CircuitOpenAction::value))
                .containsExactly("stop", "half-open", "shutdown", "failover");
    }

    @Test
    void aGroupStrategyIsWrittenInKebabCase() {
        assertThat(values(GroupStrategy.values(), GroupStrategy::value)).containsExactly("one-for-all", "rest-for-one");
    }

    @Test
    void waitingIsNeitherActiveNorDownSoItIsNotCountedActiveAndKeepsTheHealthUp() {
        assertThat(ServiceState.WAITING.isActive()).isFalse();
        assertThat(ServiceState.WAITING.isDown()).isFalse();
    }

    private static <E> String[] values(E[] constants, Function<E, String> value) {
        return Arrays.stream(constants).map(value).toArray(String[]::new);
    }
}
