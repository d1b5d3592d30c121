package io.rustrade.supervisor.core;

import static io.rustrade.supervisor.ServiceState.BACKING_OFF;
import static io.rustrade.supervisor.ServiceState.FAILED;
import static io.rustrade.supervisor.ServiceState.RUNNING;
import static io.rustrade.supervisor.ServiceState.STARTING;
import static io.rustrade.supervisor.ServiceState.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.CircuitOpenAction;
import io.rustrade.supervisor.CircuitState;
import io.rustrade.supervisor.HistoryEntry;
import io.rustrade.supervisor.RestartPolicy;
import io.rustrade.supervisor.ServiceKind;
import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.testing.FakeLifecycle;
import io.rustrade.supervisor.testing.HistoryTypes;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What the requests of a container ({@code startService}, {@code stopService}, {@code whenResolved}), of an
 * operator ({@code start}, {@code stop}, {@code restart}, {@code reset}) and of code reporting failures do in
 * each state: who is answered and when, what is called on the object, what is told.
 */
class RequestRulesTests {

    private final EngineFixture fixture = new EngineFixture();

    private final FakeLifecycle feed = new FakeLifecycle();

    private void startFeed() {
        startFeed(EngineFixture.exact().build());
    }

    private void startFeed(ServiceOptions options) {
        this.fixture.startBean("feed", this.feed, options);
    }

    private void register() {
        this.fixture.engine.registerBean(
                "feed", this.feed, EngineFixture.exact().build());
        this.fixture.runUntilIdle();
    }

    private long historyOf(String type) {
        return this.fixture.snapshot("feed").events().stream()
                .map(HistoryTypes::typeOf)
                .filter(type::equals)
                .count();
    }

    // ---------------------------------------------------------------- the container's start

    @Test
    void aLifecycleBeanIsShownAsALifecycleService() {
        register();

        assertThat(this.fixture.snapshot("feed").kind()).isEqualTo(ServiceKind.LIFECYCLE);
    }

    @Test
    void aContainersStartOfARunningBeanIsAnsweredAtOnceAndStartsNothing() {
        startFeed();

        CompletableFuture<Void> again = this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();

        assertThat(again).isDone();
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
        assertThat(this.feed.calls).containsExactly("start");
    }

    @Test
    void aContainersStartOfABeanBackingOffLeavesItsRestartToTheBackoff() {
        this.feed.failStarts(new IOException("refused"));
        startFeed();
        Instant restartAt = this.fixture.snapshot("feed").nextRestartAt();

        CompletableFuture<Void> again = this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();

        assertThat(again).isDone();
        assertThat(this.fixture.state("feed")).isEqualTo(BACKING_OFF);
        assertThat(this.fixture.snapshot("feed").nextRestartAt()).isEqualTo(restartAt);
        assertThat(this.feed.calls).containsExactly("start");
    }

    @Test
    void aContainersStartAfterSuspensionIsAnsweredAndStartsNothing() {
        register();
        this.fixture.engine.suspend();
        this.fixture.runUntilIdle();

        CompletableFuture<Void> started = this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();

        assertThat(started).isDone();
        assertThat(this.feed.calls).isEmpty();
        assertThat(this.fixture.state("feed")).isEqualTo(STOPPED);
    }

    @Test
    void aContainersStartOfAStoppedBeanIsAnsweredOnceItRunsAgain() {
        startFeed();
        this.fixture.engine.stopService("feed");
        this.fixture.runUntilIdle();

        CompletableFuture<Void> started = this.fixture.engine.startService("feed");
        this.fixture.scheduler.runControlTasks();
        assertThat(this.fixture.state("feed")).isEqualTo(STARTING);
        assertThat(started).isNotDone();
        this.fixture.runUntilIdle();

        assertThat(started).isDone();
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
        assertThat(this.feed.calls).containsExactly("start", "stop", "start");
    }

    @Test
    void aContainersStartOvertakenByAStopIsAnsweredWhenTheStopIsDone() {
        startFeed();
        List<CompletableFuture<Void>> started = new ArrayList<>();
        this.feed.onStop = () -> {
            this.feed.onStop = () -> {};
            started.add(this.fixture.engine.startService("feed"));
            this.fixture.scheduler.runControlTasks();
            this.fixture.engine.stopService("feed");
            this.fixture.scheduler.runControlTasks();
        };

        this.fixture.engine.stopService("feed");
        this.fixture.runUntilIdle();

        assertThat(this.fixture.state("feed")).isEqualTo(STOPPED);
        assertThat(started)
                .singleElement()
                .satisfies(future -> assertThat(future).isDone());
        assertThat(this.feed.calls).containsExactly("start", "stop");
    }

    @Test
    void anOperatorsStartOfABeanItsContainerHasNotStartedStartsItOnce() {
        register();

        this.fixture.engine.start("feed");
        this.fixture.runUntilIdle();
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
        CompletableFuture<Void> containers = this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();

        assertThat(containers).as("answered: it runs").isDone();
        assertThat(this.feed.calls).containsExactly("start");
        assertThat(this.fixture.snapshot("feed").restarts()).isZero();
    }

    @Test
    void anOperatorsFirstStartLeavesAloneAnObjectThatAlreadyRuns() {
        this.feed.running = true;
        register();

        this.fixture.engine.start("feed");
        this.fixture.runUntilIdle();

        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
        assertThat(this.feed.calls).as("as the application context does").isEmpty();
    }

    @Test
    void anOperatorsStartJustBeforeTheContainersLeavesTheFirstStartToTheContainer() {
        this.feed.failStarts(new IOException("refused"));
        register();

        this.fixture.engine.start("feed");
        this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();

        assertThat(this.feed.calls).as("one start, whatever came of it").containsExactly("start");
        assertThat(this.fixture.state("feed")).isEqualTo(BACKING_OFF);
    }

    // ---------------------------------------------------------------- stops

    @Test
    void aStopAskedForWhileStartingStopsTheServiceWithoutTellingItStarted() {
        register();
        this.feed.onStart = () -> {
            this.feed.onStart = () -> {};
            this.fixture.engine.stopService("feed");
            this.fixture.scheduler.runControlTasks();
        };

        this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();

        assertThat(this.fixture.state("feed")).isEqualTo(STOPPED);
        assertThat(this.fixture.events(SupervisionEvent.Started.class)).isEmpty();
        assertThat(this.feed.calls).containsExactly("start", "stop");
    }

    @Test
    void aStopOfAStoppedServiceTellsNothingMore() {
        startFeed();
        this.fixture.engine.stopService("feed");
        this.fixture.runUntilIdle();

        CompletableFuture<Void> again = this.fixture.engine.stopService("feed");
        this.fixture.runUntilIdle();

        assertThat(again).isDone();
        assertThat(this.fixture.events(SupervisionEvent.Stopped.class)).hasSize(1);
        assertThat(historyOf("stopped")).isEqualTo(1);
    }

    @Test
    void aStopDuringBackoffIsToldAsAStop() {
        this.feed.failStarts(new IOException("refused"));
        startFeed();
        assertThat(this.fixture.events(SupervisionEvent.Stopped.class)).isEmpty();

        this.fixture.engine.stop("feed");
        this.fixture.runUntilIdle();

        assertThat(this.fixture.state("feed")).isEqualTo(STOPPED);
        assertThat(this.fixture.events(SupervisionEvent.Stopped.class))
                .singleElement()
                .satisfies(stopped ->
                        assertThat(stopped.runTime()).as("nothing ran").isNull());
        assertThat(historyOf("stopped")).isEqualTo(1);
    }

    @Test
    void aStopUnderWayIsRecordedOnceHoweverOftenItIsAskedFor() {
        startFeed();
        this.feed.onStop = () -> {
            this.feed.onStop = () -> {};
            this.fixture.engine.stopService("feed");
            this.fixture.scheduler.runControlTasks();
        };

        this.fixture.engine.stopService("feed");
        this.fixture.runUntilIdle();

        assertThat(historyOf("stopping")).isEqualTo(1);
        assertThat(historyOf("stopped")).isEqualTo(1);
    }

    @Test
    void anOperatorsStartOvertakesAStopUnderWayAndAnswersWhoeverWaitedForTheStop() {
        startFeed();
        List<String> inside = new ArrayList<>();
        this.feed.onStop = () -> {
            this.feed.onStop = () -> {};
            this.fixture.engine.start("feed");
            this.fixture.scheduler.runControlTasks();
            inside.add(this.fixture.state("feed").name());
        };

        CompletableFuture<Void> stopped = this.fixture.engine.stopService("feed");
        this.fixture.scheduler.runControlTasks();
        this.fixture.calls.runNext();
        assertThat(stopped).as("answered as the start overtook it").isDone();
        this.fixture.runUntilIdle();

        assertThat(inside).containsExactly("STARTING");
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
        assertThat(this.feed.calls).containsExactly("start", "stop", "start");
    }

    // ---------------------------------------------------------------- restarts, resets, circuits

    @Test
    void startsRestartsAndResetsOfAClosedCircuitTellOfNoCircuitClosing() {
        startFeed(EngineFixture.exact().restartPolicy(RestartPolicy.NEVER).build());
        this.fixture.engine.stop("feed");
        this.fixture.engine.start("feed");
        this.fixture.engine.restart("feed");
        this.fixture.runUntilIdle();
        this.fixture.engine.reportFailure("feed", new IOException("lost"));
        this.fixture.runUntilIdle();
        assertThat(this.fixture.state("feed")).isEqualTo(FAILED);

        this.fixture.engine.reset("feed");
        this.fixture.runUntilIdle();

        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
        assertThat(this.fixture.events(SupervisionEvent.CircuitClosed.class)).isEmpty();
    }

    @Test
    void anOperatorsRestartOfAnOpenCircuitClosesIt() {
        startFeed(EngineFixture.withBreaker(1, CircuitOpenAction.STOP).build());
        this.fixture.engine.reportFailure("feed", new IOException("lost"));
        this.fixture.runUntilIdle();
        assertThat(this.fixture.snapshot("feed").circuit()).isEqualTo(CircuitState.OPEN);

        this.fixture.engine.restart("feed");
        this.fixture.runUntilIdle();

        assertThat(this.fixture.snapshot("feed").circuit()).isEqualTo(CircuitState.CLOSED);
        assertThat(this.fixture.events(SupervisionEvent.CircuitClosed.class))
                .singleElement()
                .satisfies(closed -> assertThat(closed.reason()).isEqualTo("restarted by request"));
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
    }

    @Test
    void aResetOfARunningServiceLeavesItRunning() {
        startFeed();

        this.fixture.engine.reset("feed");
        this.fixture.runUntilIdle();

        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
        assertThat(this.feed.calls).containsExactly("start");
        assertThat(this.fixture.events(SupervisionEvent.Started.class)).hasSize(1);
    }

    @Test
    void aResetWhileAStopIsUnderWayStartsTheServiceOnceTheStopReturned() {
        startFeed();
        List<String> inside = new ArrayList<>();
        this.feed.onStop = () -> {
            this.feed.onStop = () -> {};
            this.fixture.engine.reset("feed");
            this.fixture.scheduler.runControlTasks();
            inside.add(this.fixture.state("feed").name());
        };

        this.fixture.engine.stop("feed");
        this.fixture.runUntilIdle();

        assertThat(inside).containsExactly("STARTING");
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
        assertThat(this.feed.calls).containsExactly("start", "stop", "start");
    }

    @Test
    void aResetDuringARestartsStopLeavesTheRestartAsItIs() {
        startFeed();
        List<String> inside = new ArrayList<>();
        this.feed.onStop = () -> {
            this.feed.onStop = () -> {};
            this.fixture.engine.reset("feed");
            this.fixture.scheduler.runControlTasks();
            inside.add(this.fixture.state("feed").name());
        };

        this.fixture.engine.restart("feed");
        this.fixture.runUntilIdle();

        assertThat(inside).containsExactly("STOPPING");
        assertThat(this.fixture.events(SupervisionEvent.Stopped.class)).hasSize(1);
        assertThat(this.fixture.snapshot("feed").restarts()).isEqualTo(1);
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
    }

    // ---------------------------------------------------------------- waits and reports

    @Test
    void aWaitForTheOutcomeOfAServiceAtRestIsAnsweredAtOnce() {
        this.feed.failStarts(new IOException("refused"));
        startFeed();
        List<ServiceSnapshot> answers = new ArrayList<>();

        this.fixture.engine.whenResolved("feed").thenAccept(answers::add);
        this.fixture.scheduler.runControlTasks();
        this.fixture.engine.stop("feed");
        this.fixture.runUntilIdle();
        this.fixture.engine.whenResolved("feed").thenAccept(answers::add);
        this.fixture.scheduler.runControlTasks();

        assertThat(answers).extracting(ServiceSnapshot::state).containsExactly(BACKING_OFF, STOPPED);
    }

    @Test
    void aFailureReportedAboutAServiceAtRestCountsNothing() {
        this.feed.failStarts(new IOException("refused"));
        startFeed();

        this.fixture.engine.reportFailure("feed", new IOException("late"));
        this.fixture.runUntilIdle();
        assertThat(this.fixture.snapshot("feed").failures())
                .as("while backing off")
                .isEqualTo(1);
        this.fixture.advance(Duration.ofMillis(100));
        this.fixture.engine.stop("feed");
        this.fixture.runUntilIdle();
        this.fixture.engine.reportFailure("feed", new IOException("late"));
        this.fixture.runUntilIdle();

        assertThat(this.fixture.snapshot("feed").failures()).as("once stopped").isEqualTo(1);
        assertThat(this.fixture.state("feed")).isEqualTo(STOPPED);
    }

    @Test
    void aFailureReportedWhileTheServiceStartsCounts() {
        register();
        this.feed.onStart = () -> {
            this.feed.onStart = () -> {};
            this.fixture.engine.reportFailure("feed", new IOException("half started"));
            this.fixture.scheduler.runControlTasks();
        };

        this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();

        assertThat(this.fixture.snapshot("feed").failures()).isEqualTo(1);
        assertThat(this.fixture.state("feed")).isEqualTo(BACKING_OFF);
        assertThat(this.feed.calls).as("what the start started is stopped").containsExactly("start", "stop");
    }

    @Test
    void theWatchdogAsksNothingOfAStoppedService() {
        EngineFixture watched = new EngineFixture(Duration.ofSeconds(1));
        watched.startBean("feed", this.feed, EngineFixture.exact().build());
        watched.engine.stop("feed");
        watched.runUntilIdle();
        int[] asked = {0};
        this.feed.onIsRunning = () -> asked[0]++;

        watched.advance(Duration.ofSeconds(5));

        assertThat(asked[0]).isZero();
    }

    @Test
    void aStartAskedForAfterARestartWhileTheFirstStartRunsStopsWhatItStartedAndIsToldStartedOnce() {
        register();
        this.feed.onStart = () -> {
            this.feed.onStart = () -> {};
            this.fixture.engine.restart("feed");
            this.fixture.scheduler.runControlTasks();
            this.fixture.engine.start("feed");
            this.fixture.scheduler.runControlTasks();
        };

        this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();

        assertThat(this.feed.calls).containsExactly("start", "stop", "start");
        assertThat(this.fixture.events(SupervisionEvent.Started.class)).hasSize(1);
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
    }

    @Test
    void aStartAbandonedAfterARestartAndAStartWereAskedForIsNoFailure() {
        this.fixture.engine.registerBean(
                "feed",
                this.feed,
                EngineFixture.exact().startTimeout(Duration.ofSeconds(1)).build());
        this.fixture.runUntilIdle();
        List<String> inside = new ArrayList<>();
        this.feed.onStart = () -> {
            this.feed.onStart = () -> {};
            this.fixture.engine.restart("feed");
            this.fixture.scheduler.runControlTasks();
            this.fixture.engine.start("feed");
            this.fixture.advance(Duration.ofSeconds(1));
            inside.add(this.fixture.state("feed") + " failures="
                    + this.fixture.snapshot("feed").failures());
        };

        this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();

        assertThat(inside).containsExactly("STARTING failures=0");
        assertThat(this.feed.calls).containsExactly("start", "stop", "start");
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
    }

    @Test
    void anOpenedCircuitIsRecordedWithWhenItsProbeIsDue() {
        startFeed(EngineFixture.withBreaker(1, CircuitOpenAction.HALF_OPEN).build());
        FakeLifecycle quotes = new FakeLifecycle();
        this.fixture.startBean(
                "quotes",
                quotes,
                EngineFixture.withBreaker(1, CircuitOpenAction.STOP).build());

        this.fixture.engine.reportFailure("feed", new IOException("lost"));
        this.fixture.engine.reportFailure("quotes", new IOException("lost"));
        this.fixture.runUntilIdle();

        Instant probeAt = this.fixture.snapshot("feed").nextRestartAt();
        assertThat(probeAt).isNotNull();
        assertThat(openedDetail("feed")).isEqualTo("1 failures inside 10m, on-open half-open, probe at " + probeAt);
        assertThat(openedDetail("quotes")).isEqualTo("1 failures inside 10m, on-open stop");
    }

    private String openedDetail(String name) {
        return this.fixture.snapshot(name).events().stream()
                .filter(entry -> entry.type().value().equals("circuit-opened"))
                .map(HistoryEntry::detail)
                .findFirst()
                .orElseThrow();
    }
}
