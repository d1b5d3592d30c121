package io.rustrade.supervisor.core;

import static io.rustrade.supervisor.ServiceState.BACKING_OFF;
import static io.rustrade.supervisor.ServiceState.CIRCUIT_OPEN;
import static io.rustrade.supervisor.ServiceState.FAILED;
import static io.rustrade.supervisor.ServiceState.RUNNING;
import static io.rustrade.supervisor.ServiceState.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.rustrade.supervisor.CircuitOpenAction;
import io.rustrade.supervisor.CircuitState;
import io.rustrade.supervisor.NoSuchServiceException;
import io.rustrade.supervisor.RestartPolicy;
import io.rustrade.supervisor.testing.FakeLifecycle;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The operator commands restart, stop, start and reset (SPEC §9, §13). */
class OperatorCommandsTests {

    private final EngineFixture fixture = new EngineFixture();

    private final FakeLifecycle feed = new FakeLifecycle();

    private void startFeed(ServiceOptions options) {
        this.fixture.startBean("feed", this.feed, options);
    }

    private void fail() {
        this.fixture.engine.reportFailure("feed", new IOException("socket closed"));
        this.fixture.runUntilIdle();
    }

    @Test
    void restartStopsAndStartsAtOnceAndCountsARestartNotAFailure() {
        startFeed(EngineFixture.exact().build());

        this.fixture.engine.restart("feed");
        this.fixture.runUntilIdle();

        assertThat(this.feed.calls).containsExactly("start", "stop", "start");
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
        assertThat(this.fixture.snapshot("feed").restarts()).isEqualTo(1);
        assertThat(this.fixture.snapshot("feed").failures()).isZero();
    }

    @Test
    void restartSkipsAPendingBackoff() {
        startFeed(EngineFixture.exact().build());
        fail();
        assertThat(this.fixture.state("feed")).isEqualTo(BACKING_OFF);

        this.fixture.engine.restart("feed");
        this.fixture.runUntilIdle();

        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
        assertThat(this.fixture.snapshot("feed").nextRestartAt()).isNull();
        this.fixture.advance(Duration.ofSeconds(1));
        assertThat(this.feed.starts())
                .as("the cancelled backoff does not start it again")
                .isEqualTo(2);
    }

    @Test
    void stopDuringBackoffCancelsTheRestart() {
        startFeed(EngineFixture.exact().build());
        fail();

        this.fixture.engine.stop("feed");
        this.fixture.advance(Duration.ofMinutes(1));

        assertThat(this.fixture.state("feed")).isEqualTo(STOPPED);
        assertThat(this.feed.starts()).isEqualTo(1);
        assertThat(this.fixture.snapshot("feed").nextRestartAt()).isNull();
    }

    @Test
    void stopKeepsAServiceStopped() {
        startFeed(EngineFixture.exact().build());

        this.fixture.engine.stop("feed");
        this.fixture.advance(Duration.ofHours(1));

        assertThat(this.fixture.state("feed")).isEqualTo(STOPPED);
        assertThat(this.feed.calls).containsExactly("start", "stop");
    }

    @Test
    void startStartsAStoppedFailedOrOpenServiceAndIgnoresARunningOne() {
        startFeed(EngineFixture.withBreaker(1, CircuitOpenAction.STOP).build());
        this.fixture.engine.start("feed");
        this.fixture.runUntilIdle();
        assertThat(this.feed.starts()).isEqualTo(1);

        fail();
        assertThat(this.fixture.state("feed")).isEqualTo(CIRCUIT_OPEN);
        this.fixture.engine.start("feed");
        this.fixture.runUntilIdle();
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);

        this.fixture.engine.stop("feed");
        this.fixture.runUntilIdle();
        this.fixture.engine.start("feed");
        this.fixture.runUntilIdle();
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
        assertThat(this.fixture.snapshot("feed").restarts())
                .as("start is not a restart")
                .isZero();
    }

    @Test
    void startRevivesAFailedService() {
        startFeed(EngineFixture.exact().restartPolicy(RestartPolicy.NEVER).build());
        fail();
        assertThat(this.fixture.state("feed")).isEqualTo(FAILED);

        this.fixture.engine.start("feed");
        this.fixture.runUntilIdle();

        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
    }

    @Test
    void resetClearsHistoryClosesTheCircuitAndStartsTheService() {
        startFeed(EngineFixture.withBreaker(2, CircuitOpenAction.STOP).build());
        fail();
        this.fixture.advance(Duration.ofSeconds(1));
        fail();
        assertThat(this.fixture.state("feed")).isEqualTo(CIRCUIT_OPEN);

        this.fixture.engine.reset("feed");
        this.fixture.runUntilIdle();

        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
        assertThat(this.fixture.snapshot("feed").circuit()).isEqualTo(CircuitState.CLOSED);
        assertThat(this.fixture.snapshot("feed").attempt()).isZero();
        assertThat(this.fixture.snapshot("feed").recentFailures()).isZero();
        assertThat(this.fixture.snapshot("feed").failures())
                .as("totals are kept")
                .isEqualTo(2);
        fail();
        assertThat(this.fixture.state("feed")).as("a fresh window").isEqualTo(BACKING_OFF);
    }

    @Test
    void resetOfARunningServiceOnlyClearsItsHistory() {
        startFeed(EngineFixture.exact().build());
        fail();
        this.fixture.advance(Duration.ofSeconds(1));

        this.fixture.engine.reset("feed");
        this.fixture.runUntilIdle();

        assertThat(this.feed.starts()).isEqualTo(2);
        assertThat(this.fixture.snapshot("feed").attempt()).isZero();
    }

    @Test
    void commandsOnAnUnknownNameThrowNoSuchServiceException() {
        assertThatExceptionOfType(NoSuchServiceException.class)
                .isThrownBy(() -> this.fixture.engine.restart("nope"))
                .withMessage("No supervised service is named 'nope'");
        assertThatExceptionOfType(NoSuchServiceException.class).isThrownBy(() -> this.fixture.engine.stop("nope"));
        assertThatExceptionOfType(NoSuchServiceException.class).isThrownBy(() -> this.fixture.engine.start("nope"));
        assertThatExceptionOfType(NoSuchServiceException.class).isThrownBy(() -> this.fixture.engine.reset("nope"));
        assertThatExceptionOfType(NoSuchServiceException.class)
                .isThrownBy(() -> this.fixture.engine.reportFailure("nope", new IOException()));
        assertThat(this.fixture.engine.service("nope")).isEmpty();
    }
}
