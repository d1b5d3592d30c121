package io.rustrade.supervisor.core;

import static io.rustrade.supervisor.ServiceState.RUNNING;
import static io.rustrade.supervisor.ServiceState.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

import io.rustrade.supervisor.NoSuchServiceException;
import io.rustrade.supervisor.SupervisedService;
import io.rustrade.supervisor.testing.FakeLifecycle;
import java.time.Duration;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which names a service may have, how a name is reused, and how an absent name is answered. */
class RegistrationRulesTests {

    private static final String RULE =
            "a name registered at run time has 1 to 255 characters, each a letter, a digit or one of - _ . $ #,"
                    + " and is not dots only";

    private final EngineFixture fixture = new EngineFixture();

    @Test
    void aNameRegisteredAgainStartsItsRunOnlyOnceTheUnregisteredRunHasReturned() {
        SupervisedService first = cancellation -> {};
        this.fixture.engine.register("poller", first);
        this.fixture.runUntilIdle();
        assertThat(this.fixture.runs.pending()).isEqualTo(1);

        this.fixture.engine.unregister("poller");
        this.fixture.engine.register("poller", cancellation -> {});
        this.fixture.runUntilIdle();

        assertThat(this.fixture.runs.pending())
                .as("only the first run was launched")
                .isEqualTo(1);
        assertThat(this.fixture.state("poller")).isEqualTo(STOPPED);

        this.fixture.runs.runNext();
        this.fixture.runUntilIdle();

        assertThat(this.fixture.runs.pending()).as("the second run is launched").isEqualTo(1);
        assertThat(this.fixture.state("poller")).isEqualTo(RUNNING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"start", "restart", "reset", "stop then start"})
    void anOperatorCommandDoesNotStartAServiceRegisteredAgainBeforeTheUnregisteredRunHasReturned(String command) {
        SupervisedService poller = cancellation -> {};
        this.fixture.engine.register("poller", poller);
        this.fixture.runUntilIdle();
        this.fixture.engine.unregister("poller");
        this.fixture.engine.register("poller", poller);

        switch (command) {
            case "start" -> this.fixture.engine.start("poller");
            case "restart" -> this.fixture.engine.restart("poller");
            case "reset" -> this.fixture.engine.reset("poller");
            default -> {
                this.fixture.engine.stop("poller");
                this.fixture.engine.start("poller");
            }
        }
        this.fixture.runUntilIdle();

        assertThat(this.fixture.runs.pending())
                .as("the same object is not run again while its first run goes on")
                .isEqualTo(1);

        this.fixture.runs.runNext();
        this.fixture.runUntilIdle();

        assertThat(this.fixture.runs.pending()).as("then it starts").isEqualTo(1);
        assertThat(this.fixture.state("poller")).isEqualTo(RUNNING);
    }

    @Test
    void aNameRegisteredAgainStartsItsRunOnceTheUnregisteredRunIsAbandoned() {
        this.fixture.engine.register("poller", cancellation -> {});
        this.fixture.runUntilIdle();

        this.fixture.engine.unregister("poller");
        this.fixture.engine.register("poller", cancellation -> {});
        this.fixture.advance(ServiceOptions.DEFAULT_TIMEOUT.minusMillis(1));
        assertThat(this.fixture.runs.pending()).isEqualTo(1);

        this.fixture.advance(Duration.ofMillis(1));

        assertThat(this.fixture.runs.pending())
                .as("the first run abandoned, the second launched")
                .isEqualTo(2);
        assertThat(this.fixture.state("poller")).isEqualTo(RUNNING);
    }

    @Test
    void aNameUnregisteredTwiceWhileItsFirstRunGoesOnWaitsForThatRun() {
        this.fixture.engine.register("poller", cancellation -> {});
        this.fixture.runUntilIdle();
        this.fixture.engine.unregister("poller");
        this.fixture.engine.register("poller", cancellation -> {});
        this.fixture.engine.unregister("poller");
        this.fixture.engine.register("poller", cancellation -> {});
        this.fixture.runUntilIdle();

        assertThat(this.fixture.runs.pending()).isEqualTo(1);

        this.fixture.runs.runNext();
        this.fixture.runUntilIdle();

        assertThat(this.fixture.runs.pending()).isEqualTo(1);
        assertThat(this.fixture.state("poller")).isEqualTo(RUNNING);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "feed",
                "order-gateway",
                "feed_eu",
                "com.example.Feed$Inner#0",
                "Feed2",
                "überFeed",
                ".feed",
                "a..b"
            })
    void namesOfLettersDigitsAndTheSeparatorsOfBeanNamesAreAccepted(String name) {
        assertThatNoException().isThrownBy(() -> this.fixture.engine.register(name, cancellation -> {}));
    }

    @Test
    void aNameOf255CharactersIsAccepted() {
        assertThatNoException().isThrownBy(() -> this.fixture.engine.register("x".repeat(255), cancellation -> {}));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "a b", "a?b", "a%2Fb", "feed;eu", "a\\b", "", ".", "..", "..."})
    void namesAnEndpointCannotAddressAreRejected(String name) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> this.fixture.engine.register(name, cancellation -> {}))
                .withMessageContaining(RULE);
        assertThat(this.fixture.engine.services()).isEmpty();
    }

    @Test
    void aNameWithAControlCharacterIsRejectedWithoutEchoingIt() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> this.fixture.engine.register("a\u0000b", cancellation -> {}))
                .withMessage("Service name 'a?b' is not valid: " + RULE);
    }

    @Test
    void aNameLongerThan255CharactersIsRejectedAndEchoedCut() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> this.fixture.engine.register("x".repeat(10_240), cancellation -> {}))
                .withMessage("Service name '" + "x".repeat(60) + "...' (10240 characters) is not valid: " + RULE);
    }

    @Test
    void beanNamesAreAcceptedAsTheContainerGaveThem() {
        assertThatNoException()
                .isThrownBy(() -> this.fixture.engine.registerBean(
                        "(inner bean)#1a2b/feed", new FakeLifecycle(), ServiceOptions.defaults()));
    }

    @Test
    void theSnapshotOfNoNameIsEmpty() {
        assertThat(this.fixture.engine.service(null)).isEmpty();
    }

    @Test
    void commandsOnNoNameThrowNoSuchService() {
        Assertions.assertThatExceptionOfType(NoSuchServiceException.class)
                .isThrownBy(() -> this.fixture.engine.restart(null));
        Assertions.assertThatExceptionOfType(NoSuchServiceException.class)
                .isThrownBy(() -> this.fixture.engine.unregister(null));
    }
}
