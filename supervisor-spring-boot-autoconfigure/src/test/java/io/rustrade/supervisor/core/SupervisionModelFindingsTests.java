package io.rustrade.supervisor.core;

import static io.rustrade.supervisor.ServiceState.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.testing.FakeLifecycle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Minimal, deterministic reproductions of the rules {@link SupervisionModelTests} found broken: each is the
 * shortest sequence of its kind, on virtual time.
 */
class SupervisionModelFindingsTests {

    private final EngineFixture fixture = new EngineFixture();

    private final FakeLifecycle feed = new FakeLifecycle();

    private void startFeed(ServiceOptions options) {
        this.fixture.startBean("feed", this.feed, options);
    }

    /**
     * SPEC §7: during context shutdown no restart is started. An operator's restart has stopped the
     * object's run and waits for its stop() to return when supervision is suspended: once the stop returns,
     * nothing is started.
     */
    @Test
    void aRestartWaitingForItsStopIsNotCarriedOutAfterSupervisionIsSuspended() {
        startFeed(EngineFixture.exact().build());

        this.fixture.engine.restart("feed");
        this.fixture.scheduler.runControlTasks(); // stop() is called, and has not returned yet
        this.fixture.engine.suspend();
        this.fixture.scheduler.runControlTasks();
        this.fixture.runUntilIdle(); // stop() returns

        assertThat(this.feed.calls)
                .as("start() is not called once supervision is suspended")
                .containsExactly("start", "stop");
        assertThat(this.fixture.state("feed")).isEqualTo(STOPPED);
    }

    /**
     * SPEC §7: pending restarts are cancelled at shutdown. A failed service backs off while its object is
     * being stopped; the backoff ends, then supervision is suspended, then the stop returns: the restart
     * that was due is cancelled, not started.
     */
    @Test
    void aBackoffRestartDueWhileTheObjectIsStoppedIsCancelledBySuspend() {
        startFeed(EngineFixture.exact().build());
        this.feed.onStop = () -> {
            this.feed.onStop = () -> {};
            this.fixture.advance(Duration.ofMillis(100)); // the backoff delay ends while stop() runs
            this.fixture.engine.suspend();
            this.fixture.scheduler.runControlTasks();
        };

        this.fixture.engine.reportFailure("feed", new IllegalStateException("lost"));
        this.fixture.runUntilIdle();

        assertThat(this.feed.calls)
                .as("start() is not called once supervision is suspended")
                .containsExactly("start", "stop");
        assertThat(this.fixture.snapshot("feed").restarts()).isZero();
    }

    /**
     * ServiceRecord's rule: a call that outlives its timeout is abandoned and "supervision goes on as if
     * it had ended"; "a stop requested meanwhile is done at once". A stop asked for while start() runs is
     * done once that start() is abandoned, start-timeout after it began: the service is STOPPED and the
     * container's stop completes, however long start() goes on hanging.
     */
    @Test
    void aStopAskedForWhileStartRunsIsDoneOnceTheStartIsAbandoned() {
        startFeedLater(EngineFixture.exact().startTimeout(Duration.ofSeconds(5)).build());
        List<String> whileHung = new ArrayList<>();
        this.feed.onStart = () -> {
            this.feed.onStart = () -> {};
            CompletableFuture<Void> stopped = this.fixture.engine.stopService("feed");
            this.fixture.advance(Duration.ofSeconds(6)); // start() is abandoned after 5s
            whileHung.add(this.fixture.state("feed") + ", container's stop done: " + stopped.isDone());
            this.fixture.advance(Duration.ofSeconds(60));
            whileHung.add(this.fixture.state("feed") + ", container's stop done: " + stopped.isDone());
        };

        this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();

        assertThat(this.fixture.events(SupervisionEvent.CallAbandoned.class)).hasSize(1);
        assertThat(whileHung)
                .as("while start() still hangs, after it was abandoned")
                .containsExactly("STOPPED, container's stop done: true", "STOPPED, container's stop done: true");
        assertThat(this.fixture.state("feed")).isEqualTo(STOPPED);
        assertThat(this.feed.calls)
                .as("once the abandoned start() returned, the object is stopped")
                .containsExactly("start", "stop");
    }

    private void startFeedLater(ServiceOptions options) {
        this.fixture.engine.registerBean("feed", this.feed, options);
    }
}
