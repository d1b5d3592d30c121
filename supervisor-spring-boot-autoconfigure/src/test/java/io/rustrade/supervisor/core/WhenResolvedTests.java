package io.rustrade.supervisor.core;

import static io.rustrade.supervisor.ServiceState.BACKING_OFF;
import static io.rustrade.supervisor.ServiceState.RUNNING;
import static io.rustrade.supervisor.ServiceState.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.rustrade.supervisor.NoSuchServiceException;
import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.testing.FakeLifecycle;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@link SupervisorEngine#whenResolved}: the service once a command has taken effect. */
class WhenResolvedTests {

    private final EngineFixture fixture = new EngineFixture();

    private final FakeLifecycle feed = new FakeLifecycle();

    private void startFeed() {
        this.fixture.engine.registerBean(
                "feed", this.feed, EngineFixture.exact().build());
        this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();
    }

    @Test
    void completesAtOnceWhenNoStartOrStopIsUnderWay() {
        startFeed();

        CompletableFuture<ServiceSnapshot> resolved = this.fixture.engine.whenResolved("feed");
        this.fixture.scheduler.runControlTasks();

        assertThat(resolved).isCompletedWithValueMatching(snapshot -> snapshot.state() == RUNNING);
    }

    @Test
    void waitsForTheStopAndTheStartThatARestartBegan() {
        startFeed();

        this.fixture.engine.restart("feed");
        CompletableFuture<ServiceSnapshot> resolved = this.fixture.engine.whenResolved("feed");
        this.fixture.scheduler.runControlTasks();
        assertThat(resolved).as("stop() is in flight").isNotDone();
        this.fixture.calls.runNext();
        this.fixture.scheduler.runControlTasks();
        assertThat(resolved).as("start() is in flight").isNotDone();
        this.fixture.runUntilIdle();

        assertThat(resolved)
                .isCompletedWithValueMatching(snapshot -> snapshot.state() == RUNNING && snapshot.restarts() == 1);
    }

    @Test
    void waitsForTheStopACommandBegan() {
        startFeed();

        this.fixture.engine.stop("feed");
        CompletableFuture<ServiceSnapshot> resolved = this.fixture.engine.whenResolved("feed");
        this.fixture.scheduler.runControlTasks();
        assertThat(resolved).isNotDone();
        this.fixture.runUntilIdle();

        assertThat(resolved).isCompletedWithValueMatching(snapshot -> snapshot.state() == STOPPED);
    }

    @Test
    void completesWhenTheStartACommandBeganFails() {
        startFeed();
        this.fixture.engine.stop("feed");
        this.fixture.runUntilIdle();
        this.feed.failStarts(new IOException("login refused"));

        this.fixture.engine.start("feed");
        CompletableFuture<ServiceSnapshot> resolved = this.fixture.engine.whenResolved("feed");
        this.fixture.runUntilIdle();

        assertThat(resolved).isCompletedWithValueMatching(snapshot -> snapshot.state() == BACKING_OFF);
    }

    @Test
    void completesWhenAStartIsAbandonedAfterTheStartTimeout() {
        this.fixture.engine.registerBean(
                "feed",
                this.feed,
                EngineFixture.exact().startTimeout(Duration.ofSeconds(1)).build());

        List<Boolean> resolvedWhileHung = new ArrayList<>();
        CompletableFuture<ServiceSnapshot>[] resolved = new CompletableFuture[1];
        this.feed.onStart = () -> {
            this.fixture.scheduler.advance(Duration.ofSeconds(1));
            this.fixture.scheduler.runControlTasks();
            resolvedWhileHung.add(resolved[0].isDone() && resolved[0].join().failures() == 1);
        };

        this.fixture.engine.startService("feed");
        resolved[0] = this.fixture.engine.whenResolved("feed");
        this.fixture.runUntilIdle();

        assertThat(resolvedWhileHung).containsExactly(true);
    }

    @Test
    void anUnknownNameIsRejected() {
        assertThatExceptionOfType(NoSuchServiceException.class)
                .isThrownBy(() -> this.fixture.engine.whenResolved("nobody"));
    }
}
