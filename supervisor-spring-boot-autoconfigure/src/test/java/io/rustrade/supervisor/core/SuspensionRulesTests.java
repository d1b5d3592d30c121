package io.rustrade.supervisor.core;

import static io.rustrade.supervisor.ServiceState.CIRCUIT_OPEN;
import static io.rustrade.supervisor.ServiceState.COMPLETED;
import static io.rustrade.supervisor.ServiceState.FAILED;
import static io.rustrade.supervisor.ServiceState.RUNNING;
import static io.rustrade.supervisor.ServiceState.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.CircuitOpenAction;
import io.rustrade.supervisor.RestartPolicy;
import io.rustrade.supervisor.testing.FakeLifecycle;
import io.rustrade.supervisor.testing.HistoryTypes;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What suspension of supervision does to each service: beans are left to their container (a bean that runs,
 * or is starting, runs on), services registered at run time are stopped and started again when supervision
 * resumes (unless an operator had stopped them), a service at rest stays as it is, nothing is started or
 * restarted again, and a failure after suspension is told without a restart.
 */
class SuspensionRulesTests {

    private final EngineFixture fixture = new EngineFixture();

    private final FakeLifecycle feed = new FakeLifecycle();

    private void suspend() {
        this.fixture.engine.suspend();
        this.fixture.scheduler.runControlTasks();
    }

    private List<String> history(String name) {
        return this.fixture.snapshot(name).events().stream()
                .map(HistoryTypes::typeOf)
                .toList();
    }

    @Test
    void aBeanPolledAsSupervisionIsSuspendedRunsOnUntilItsContainerStopsIt() {
        EngineFixture watched = new EngineFixture(Duration.ofSeconds(1));
        watched.startBean("feed", this.feed, EngineFixture.exact().build());
        this.feed.onIsRunning = () -> {
            this.feed.onIsRunning = () -> {};
            watched.engine.suspend();
            watched.scheduler.runControlTasks();
        };

        watched.advance(Duration.ofSeconds(1));

        assertThat(watched.state("feed")).isEqualTo(RUNNING);
        assertThat(this.feed.calls).containsExactly("start");
    }

    @Test
    void aBeanWhoseStartIsInFlightAtSuspensionRunsOnceStarted() {
        this.fixture.engine.registerBean(
                "feed", this.feed, EngineFixture.exact().build());
        this.feed.onStart = () -> {
            this.feed.onStart = () -> {};
            suspend();
        };

        this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();

        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
        assertThat(this.feed.calls).containsExactly("start");
    }

    @Test
    void aServiceAtRestStaysAsItIsAtSuspension() {
        this.fixture.startBean(
                "feed",
                this.feed,
                EngineFixture.exact().restartPolicy(RestartPolicy.NEVER).build());
        FakeLifecycle quotes = new FakeLifecycle();
        this.fixture.startBean(
                "quotes",
                quotes,
                EngineFixture.withBreaker(1, CircuitOpenAction.STOP).build());
        this.fixture.engine.reportFailure("feed", new IOException("lost"));
        this.fixture.engine.reportFailure("quotes", new IOException("lost"));
        this.fixture.runUntilIdle();

        suspend();
        this.fixture.runUntilIdle();

        assertThat(this.fixture.state("feed")).isEqualTo(FAILED);
        assertThat(this.fixture.state("quotes")).isEqualTo(CIRCUIT_OPEN);
        assertThat(this.fixture.events(SupervisionEvent.Stopped.class)).isEmpty();
    }

    @Test
    void aBeanWhoseCleanUpStopIsUnderWayAtSuspensionStaysActiveForItsContainer() {
        this.fixture.startBean("feed", this.feed, EngineFixture.exact().build());
        List<String> inside = new ArrayList<>();
        this.feed.onStop = () -> {
            this.feed.onStop = () -> {};
            suspend();
            inside.add(this.fixture.state("feed") + " active=" + this.fixture.engine.isActive("feed"));
        };

        this.fixture.engine.reportFailure("feed", new IOException("lost"));
        this.fixture.runUntilIdle();
        this.fixture.advance(Duration.ofSeconds(1));

        assertThat(inside).containsExactly("BACKING_OFF active=true");
        assertThat(this.fixture.engine.isActive("feed")).isTrue();
        assertThat(this.feed.calls).as("not restarted").containsExactly("start", "stop");
        CompletableFuture<Void> stopped = this.fixture.engine.stopService("feed");
        this.fixture.runUntilIdle();
        assertThat(stopped).isDone();
        assertThat(this.fixture.state("feed")).isEqualTo(STOPPED);
    }

    @Test
    void aBeanBackingOffWhileItsCleanUpStopIsStuckIsStoppedAtSuspension() {
        this.fixture.startBean(
                "feed",
                this.feed,
                EngineFixture.exact().stopTimeout(Duration.ofSeconds(2)).build());
        List<String> inside = new ArrayList<>();
        this.feed.onStop = () -> {
            this.feed.onStop = () -> {};
            this.fixture.advance(Duration.ofSeconds(2));
            suspend();
            inside.add(this.fixture.state("feed").name());
        };

        this.fixture.engine.reportFailure("feed", new IOException("lost"));
        this.fixture.runUntilIdle();

        assertThat(inside).containsExactly("STOPPED");
        assertThat(this.feed.calls).as("not restarted once the stop returned").containsExactly("start", "stop");
        assertThat(this.fixture.state("feed")).isEqualTo(STOPPED);
    }

    @Test
    void aServiceAnOperatorStoppedStaysStoppedWhenSupervisionResumes() {
        this.fixture.engine.register(
                "loop",
                cancellation -> {
                    while (!cancellation.isCancelled()) {
                        Thread.onSpinWait();
                    }
                },
                EngineFixture.exact().build());
        this.fixture.runUntilIdle();
        this.fixture.engine.stop("loop");
        this.fixture.runLoops();
        assertThat(this.fixture.state("loop")).isEqualTo(STOPPED);

        suspend();
        this.fixture.engine.open();
        this.fixture.runUntilIdle();

        assertThat(this.fixture.state("loop")).isEqualTo(STOPPED);
        assertThat(this.fixture.runs.pending()).isZero();
    }

    @Test
    void aStartWaitingForAStopAtSuspensionIsCalledOff() {
        this.fixture.startBean("feed", this.feed, EngineFixture.exact().build());
        this.feed.onStop = () -> {
            this.feed.onStop = () -> {};
            this.fixture.engine.start("feed");
            this.fixture.scheduler.runControlTasks();
            suspend();
        };

        this.fixture.engine.stop("feed");
        this.fixture.runUntilIdle();

        assertThat(this.fixture.state("feed")).isEqualTo(STOPPED);
        assertThat(this.feed.calls).containsExactly("start", "stop");
    }

    @Test
    void anOperatorsRestartAfterSuspensionDoesNothing() {
        this.fixture.startBean("feed", this.feed, EngineFixture.exact().build());
        suspend();

        this.fixture.engine.restart("feed");
        this.fixture.runUntilIdle();

        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
        assertThat(this.feed.calls).containsExactly("start");
        assertThat(this.fixture.snapshot("feed").restarts()).isZero();
    }

    @Test
    void aFailureAfterSuspensionIsToldWithNoRestart() {
        this.fixture.startBean("feed", this.feed, EngineFixture.exact().build());
        suspend();

        this.fixture.engine.reportFailure("feed", new IOException("lost"));
        this.fixture.runUntilIdle();

        assertThat(this.fixture.events(SupervisionEvent.Failed.class))
                .singleElement()
                .satisfies(failed -> assertThat(failed.restartIn()).isNull());
        assertThat(this.fixture.events(SupervisionEvent.RestartScheduled.class)).isEmpty();
        assertThat(this.fixture.state("feed")).isEqualTo(STOPPED);
        assertThat(this.feed.calls).containsExactly("start", "stop");
    }

    @Test
    void aStartThatTimesOutAfterSuspensionLeavesTheServiceStoppedAsFailed() {
        this.fixture.engine.registerBean(
                "feed",
                this.feed,
                EngineFixture.exact().startTimeout(Duration.ofSeconds(1)).build());
        List<String> inside = new ArrayList<>();
        this.feed.onStart = () -> {
            this.feed.onStart = () -> {};
            suspend();
            this.fixture.advance(Duration.ofSeconds(1));
            inside.add(this.fixture.state("feed").name());
            inside.addAll(history("feed"));
        };

        this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();

        assertThat(inside).containsExactly("STOPPED", "registered", "call-abandoned", "failed");
        assertThat(this.fixture.events(SupervisionEvent.Failed.class))
                .singleElement()
                .satisfies(failed -> assertThat(failed.restartIn()).isNull());
    }

    @Test
    void aRunLoopBeanThatReturnsAfterSuspensionIsCompletedNotRestarted() {
        this.fixture.engine.registerBean(
                "loop",
                cancellation -> {},
                EngineFixture.exact().restartPolicy(RestartPolicy.ALWAYS).build());
        this.fixture.engine.startService("loop");
        this.fixture.runUntilIdle();
        suspend();

        this.fixture.runLoops();

        assertThat(this.fixture.state("loop")).isEqualTo(COMPLETED);
        assertThat(this.fixture.events(SupervisionEvent.Completed.class))
                .singleElement()
                .satisfies(completed -> assertThat(completed.restartIn()).isNull());
    }

    @Test
    void aRunLoopBeanThatFailsAfterSuspensionIsToldAsFailedNotAsStopped() {
        this.fixture.engine.registerBean(
                "loop",
                cancellation -> {
                    throw new IOException("lost");
                },
                EngineFixture.exact().build());
        this.fixture.engine.startService("loop");
        this.fixture.runUntilIdle();
        suspend();

        this.fixture.runLoops();

        assertThat(this.fixture.state("loop")).isEqualTo(STOPPED);
        assertThat(history("loop")).containsExactly("registered", "started", "failed");
    }

    @Test
    void aRestartWhoseStopIsUnderWayAtSuspensionEndsInOneStop() {
        this.fixture.startBean("feed", this.feed, EngineFixture.exact().build());
        this.feed.onStop = () -> {
            this.feed.onStop = () -> {};
            suspend();
        };

        this.fixture.engine.restart("feed");
        this.fixture.runUntilIdle();

        assertThat(this.fixture.state("feed")).isEqualTo(STOPPED);
        assertThat(this.fixture.events(SupervisionEvent.Stopped.class)).hasSize(1);
        assertThat(this.feed.calls).containsExactly("start", "stop");
    }
}
