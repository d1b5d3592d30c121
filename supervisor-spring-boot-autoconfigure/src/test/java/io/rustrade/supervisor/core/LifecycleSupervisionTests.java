package io.rustrade.supervisor.core;

import static io.rustrade.supervisor.ServiceState.BACKING_OFF;
import static io.rustrade.supervisor.ServiceState.RUNNING;
import static io.rustrade.supervisor.ServiceState.STARTING;
import static io.rustrade.supervisor.ServiceState.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.StartTimeoutException;
import io.rustrade.supervisor.UnexpectedStopException;
import io.rustrade.supervisor.testing.FakeLifecycle;
import io.rustrade.supervisor.testing.HistoryTypes;
import io.rustrade.supervisor.testing.VirtualScheduler;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** Supervision of lifecycle services (SPEC §3, §5, §7) on virtual time. */
@ParameterizedClass(name = "clock from {0}")
@ValueSource(longs = {0, VirtualScheduler.NEAR_WRAP, VirtualScheduler.JUST_BEFORE_WRAP})
class LifecycleSupervisionTests {

    private final long clockStart;

    private final EngineFixture fixture;

    private final FakeLifecycle feed = new FakeLifecycle();

    /** Runs every test with the clock from 0, and from two readings shortly before the wrap-around. */
    LifecycleSupervisionTests(long clockStart) {
        this.clockStart = clockStart;
        this.fixture = new EngineFixture(clockStart);
    }

    private void registerFeed(ServiceOptions options) {
        this.fixture.engine.registerBean("feed", this.feed, options);
        this.fixture.runUntilIdle();
    }

    @Test
    void aStartedServiceRuns() {
        registerFeed(EngineFixture.exact().build());

        CompletableFuture<Void> started = this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();

        assertThat(started).isDone();
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
        assertThat(this.fixture.snapshot("feed").startedAt()).isEqualTo(VirtualScheduler.EPOCH);
        assertThat(this.fixture.events(SupervisionEvent.Started.class)).hasSize(1);
    }

    @Test
    void aServiceIsStartingUntilItsStartReturns() {
        registerFeed(EngineFixture.exact().build());

        CompletableFuture<Void> started = this.fixture.engine.startService("feed");
        this.fixture.scheduler.runControlTasks();

        assertThat(this.fixture.state("feed")).isEqualTo(STARTING);
        assertThat(started).isNotDone();
    }

    @Test
    void aFailedFirstStartBacksOffAndIsRetried() {
        this.feed.failStarts(new ConnectException("Connection refused"));
        registerFeed(EngineFixture.exact().build());

        CompletableFuture<Void> started = this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();

        assertThat(started)
                .as("the container is not held up by a failing start")
                .isDone();
        assertThat(this.fixture.state("feed")).isEqualTo(BACKING_OFF);
        assertThat(this.fixture.snapshot("feed").nextRestartAt()).isEqualTo(VirtualScheduler.EPOCH.plusMillis(100));
        assertThat(this.fixture.snapshot("feed").lastFailure().exception()).isEqualTo("java.net.ConnectException");
        assertThat(this.fixture.snapshot("feed").lastFailure().message()).isEqualTo("Connection refused");

        this.fixture.advance(Duration.ofMillis(99));
        assertThat(this.fixture.state("feed")).isEqualTo(BACKING_OFF);
        this.fixture.advance(Duration.ofMillis(1));
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
        assertThat(this.fixture.snapshot("feed").restarts()).isEqualTo(1);
        assertThat(this.fixture.snapshot("feed").failures()).isEqualTo(1);
    }

    @Test
    void restartDelaysFollowTheBackoffSequence() {
        this.feed.failStarts(new IOException("1"), new IOException("2"), new IOException("3"), new IOException("4"));
        registerFeed(EngineFixture.exact().build());
        this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();

        StringBuilder delays = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            delays.append(this.fixture
                            .events(SupervisionEvent.RestartScheduled.class)
                            .get(i)
                            .delay()
                            .toMillis())
                    .append(' ');
            this.fixture.advance(Duration.ofMillis(100L << i));
        }

        assertThat(delays.toString()).isEqualTo("100 200 400 800 ");
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
        assertThat(this.fixture.snapshot("feed").attempt()).isEqualTo(4);
    }

    @Test
    void aServiceThatRanForTheCooldownPeriodStartsOverFromAttemptOne() {
        this.feed.failStarts(new IOException("1"), new IOException("2"));
        registerFeed(EngineFixture.exact().build());
        this.fixture.engine.startService("feed");
        this.fixture.advance(Duration.ofMillis(300));
        assertThat(this.fixture.snapshot("feed").attempt()).isEqualTo(2);

        this.fixture.advance(Duration.ofMinutes(5));
        this.fixture.engine.reportFailure("feed", new IOException("lost"));
        this.fixture.runUntilIdle();

        assertThat(this.fixture.snapshot("feed").attempt()).isEqualTo(1);
        assertThat(this.fixture.snapshot("feed").nextRestartAt())
                .isEqualTo(this.fixture.scheduler.now().plusMillis(100));
    }

    @Test
    void aServiceThatStillRunsAfterAFailureIsStoppedBeforeItIsStartedAgain() {
        registerFeed(EngineFixture.exact().build());
        this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();

        this.fixture.engine.reportFailure("feed", new IOException("stale data"));
        this.fixture.advance(Duration.ofMillis(100));

        assertThat(this.feed.calls).containsExactly("start", "stop", "start");
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
        assertThat(this.fixture.snapshot("feed").failures())
                .as("the stop is not a failure")
                .isEqualTo(1);
    }

    @Test
    void theWatchdogTurnsAnUnexpectedStopIntoAFailure() {
        EngineFixture watched = new EngineFixture(Duration.ofSeconds(1), this.clockStart);
        watched.engine.registerBean("feed", this.feed, EngineFixture.exact().build());
        watched.engine.startService("feed");
        watched.runUntilIdle();

        this.feed.running = false;
        watched.advance(Duration.ofSeconds(1));

        assertThat(watched.state("feed")).isEqualTo(BACKING_OFF);
        assertThat(watched.snapshot("feed").lastFailure().exception())
                .isEqualTo(UnexpectedStopException.class.getName());
        assertThat(this.feed.calls).as("a stopped service is not stopped again").containsExactly("start");
        watched.advance(Duration.ofMillis(100));
        assertThat(watched.state("feed")).isEqualTo(RUNNING);
    }

    @Test
    void aStartThatDoesNotReturnWithinTheStartTimeoutIsAFailureAndNothingIsCalledUntilItReturns() {
        registerFeed(EngineFixture.exact().startTimeout(Duration.ofSeconds(5)).build());
        List<String> whileHung = new ArrayList<>();
        // The call hangs: while it is inside start(), 5s pass and then a restart falls due.
        this.feed.onStart = () -> {
            this.feed.onStart = () -> {};
            this.fixture.advance(Duration.ofSeconds(5));
            whileHung.add(this.fixture.state("feed") + " "
                    + this.fixture.snapshot("feed").lastFailure().message());
            this.fixture.advance(Duration.ofSeconds(1));
            whileHung.add(this.fixture.state("feed") + " restarts="
                    + this.fixture.snapshot("feed").restarts());
            whileHung.add("interrupted=" + Thread.currentThread().isInterrupted());
        };
        CompletableFuture<Void> started = this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();

        assertThat(whileHung)
                .containsExactly(
                        "BACKING_OFF start() did not return within 5s", "BACKING_OFF restarts=0", "interrupted=true");
        assertThat(started)
                .as("the container was not held up past the start-timeout")
                .isDone();
        assertThat(this.fixture.snapshot("feed").lastFailure().exception())
                .isEqualTo(StartTimeoutException.class.getName());
        assertThat(this.fixture.events(SupervisionEvent.CallAbandoned.class))
                .singleElement()
                .satisfies(abandoned -> assertThat(abandoned.call()).isEqualTo("start()"));
        assertThat(this.feed.calls)
                .as("once the abandoned start returned: stopped (it may run), then started again")
                .containsExactly("start", "stop", "start");
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
        assertThat(this.fixture.snapshot("feed").restarts()).isEqualTo(1);
        assertThat(this.fixture.snapshot("feed").failures()).isEqualTo(1);
        assertThat(Thread.currentThread().isInterrupted())
                .as("the interrupt meant for the abandoned call is cleared")
                .isFalse();
    }

    @Test
    void aStartWaitingBehindAnotherCallGetsItsWholeTimeoutFromWhenItBegins() {
        registerFeed(EngineFixture.exact().startTimeout(Duration.ofSeconds(5)).build());
        this.fixture.engine.startService("feed");
        this.fixture.scheduler.runControlTasks();

        this.fixture.scheduler.advance(Duration.ofSeconds(60));
        this.fixture.runUntilIdle();

        assertThat(this.fixture.state("feed"))
                .as("a call that had not begun is not blamed for the wait")
                .isEqualTo(RUNNING);
        assertThat(this.fixture.snapshot("feed").failures()).isZero();
    }

    @Test
    void aStopThatDoesNotReturnWithinTheStopTimeoutIsAbandonedAndTheServiceIsStopped() {
        registerFeed(EngineFixture.exact().stopTimeout(Duration.ofSeconds(2)).build());
        this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();
        List<String> whileHung = new ArrayList<>();
        CompletableFuture<Void>[] stopped = new CompletableFuture[1];
        this.feed.onStop = () -> {
            this.fixture.advance(Duration.ofSeconds(2));
            whileHung.add(this.fixture.state("feed") + " done=" + stopped[0].isDone());
            this.fixture.engine.startService("feed");
            this.fixture.runUntilIdle();
            whileHung.add(this.fixture.state("feed") + " calls=" + this.feed.calls);
        };

        stopped[0] = this.fixture.engine.stopService("feed");
        this.fixture.runUntilIdle();

        assertThat(whileHung).containsExactly("STOPPED done=true", "STARTING calls=[start, stop]");
        assertThat(this.fixture.snapshot("feed").failures()).isZero();
        assertThat(this.feed.calls)
                .as("the start waited for the abandoned stop to return")
                .containsExactly("start", "stop", "start");
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
    }

    @Test
    void theServiceStaysActiveForItsContainerWhileBackingOff() {
        this.feed.failStarts(new IOException("down"));
        registerFeed(EngineFixture.exact().build());
        assertThat(this.fixture.engine.isActive("feed")).isFalse();

        this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();

        assertThat(this.fixture.state("feed")).isEqualTo(BACKING_OFF);
        assertThat(this.fixture.engine.isActive("feed")).isTrue();
        this.fixture.engine.stopService("feed");
        this.fixture.runUntilIdle();
        assertThat(this.fixture.engine.isActive("feed")).isFalse();
    }

    @Test
    void aStopRequestedWhileStartingStopsTheServiceOnceItHasStarted() {
        registerFeed(EngineFixture.exact().build());
        this.fixture.engine.startService("feed");
        this.fixture.scheduler.runControlTasks();

        CompletableFuture<Void> stopped = this.fixture.engine.stopService("feed");
        this.fixture.runUntilIdle();

        assertThat(stopped).isDone();
        assertThat(this.feed.calls).containsExactly("start", "stop");
        assertThat(this.fixture.state("feed")).isEqualTo(STOPPED);
        assertThat(this.fixture.snapshot("feed").failures()).isZero();
    }

    @Test
    void theHistoryKeepsTheMostRecentEventsOldestFirst() {
        this.feed.failStarts(new IOException("1"), new IOException("2"), new IOException("3"));
        registerFeed(EngineFixture.exact().build());
        this.fixture.engine.startService("feed");
        this.fixture.advance(Duration.ofSeconds(1));

        assertThat(this.fixture.snapshot("feed").events())
                .extracting(HistoryTypes::typeOf)
                .containsExactly("restarting", "failed", "restart-scheduled", "restarting", "started");
    }
}
