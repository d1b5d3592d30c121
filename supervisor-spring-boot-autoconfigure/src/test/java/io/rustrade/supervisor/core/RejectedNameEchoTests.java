package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

/** A rejected name is repeated in the message whole up to 60 characters, and cut beyond. */
class RejectedNameEchoTests {

    private final EngineFixture fixture = new EngineFixture();

    @Test
    void aRejectedNameOfSixtyCharactersIsEchoedWhole() {
        String name = "x".repeat(59) + "/";

        assertThatIllegalArgumentException()
                .isThrownBy(() -> this.fixture.engine.register(name, cancellation -> {}))
                .withMessage("Service name '" + name + "' is not valid: " + ServiceNames.RULE);
    }

    @Test
    void aRejectedNameOfSixtyOneCharactersIsEchoedCut() {
        String name = "x".repeat(60) + "/";

        assertThatIllegalArgumentException()
                .isThrownBy(() -> this.fixture.engine.register(name, cancellation -> {}))
                .withMessage(
                        "Service name '" + "x".repeat(60) + "...' (61 characters) is not valid: " + ServiceNames.RULE);
    }
}
