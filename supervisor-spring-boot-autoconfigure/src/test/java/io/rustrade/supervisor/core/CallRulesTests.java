package io.rustrade.supervisor.core;

import static io.rustrade.supervisor.ServiceState.BACKING_OFF;
import static io.rustrade.supervisor.ServiceState.RUNNING;
import static io.rustrade.supervisor.ServiceState.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.Cancellation;
import io.rustrade.supervisor.SupervisedService;
import io.rustrade.supervisor.UnexpectedStopException;
import io.rustrade.supervisor.WatchdogTimeoutException;
import io.rustrade.supervisor.testing.FakeLifecycle;
import io.rustrade.supervisor.testing.VirtualScheduler;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules of a service's calls ({@link ServiceRecord}): never two at once, abandoned after their timeout,
 * restarts counted when they begin and always calling {@code start()}, polls that concern their own service
 * only. On virtual time: a call that "hangs" moves the virtual clock while it is inside the user's code.
 */
@ParameterizedClass(name = "clock from {0}")
@ValueSource(longs = {0, VirtualScheduler.NEAR_WRAP, VirtualScheduler.JUST_BEFORE_WRAP})
class CallRulesTests {

    private final EngineFixture fixture;

    private final FakeLifecycle feed = new FakeLifecycle();

    /** Runs every test with the clock from 0, and from two readings shortly before the wrap-around. */
    CallRulesTests(long clockStart) {
        this.fixture = new EngineFixture(Duration.ofSeconds(1), clockStart);
    }

    private void startFeed(ServiceOptions options) {
        this.fixture.startBean("feed", this.feed, options);
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
    }

    @Test
    void aBeansFirstStartIsSubmittedByItsContainerAndItsWaitEndsWhenStartReturns() {
        this.fixture.engine.registerBean(
                "feed", this.feed, EngineFixture.exact().build());
        this.fixture.runUntilIdle();

        CompletableFuture<Void> started = this.fixture.engine.startService("feed");

        assertThat(this.fixture.calls.pending())
                .as("the start is submitted without a hand-off to the control thread")
                .isEqualTo(1);
        assertThat(this.fixture.engine.isActive("feed"))
                .as("active from the call on")
                .isTrue();
        this.fixture.calls.runNext();
        assertThat(started).as("the container goes on once start() returned").isDone();
        assertThat(this.fixture.state("feed")).as("applied a moment later").isNotEqualTo(RUNNING);
        this.fixture.runUntilIdle();
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
        assertThat(this.feed.calls).containsExactly("start");
    }

    @Test
    void aHungFirstStartReleasesItsContainerAfterTheStartTimeout() {
        this.fixture.engine.registerBean(
                "feed",
                this.feed,
                EngineFixture.exact().startTimeout(Duration.ofSeconds(2)).build());
        this.fixture.runUntilIdle();
        List<Boolean> releasedWhileHung = new ArrayList<>();
        CompletableFuture<Void>[] started = new CompletableFuture[1];
        this.feed.onStart = () -> {
            this.feed.onStart = () -> {};
            this.fixture.advance(Duration.ofSeconds(2));
            releasedWhileHung.add(started[0].isDone());
            releasedWhileHung.add(this.fixture.state("feed") == BACKING_OFF);
        };

        started[0] = this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();

        assertThat(releasedWhileHung).containsExactly(true, true);
    }

    @Test
    void aFirstStartClaimedByTheContainerIsNotStartedAgainByAnOperatorsStart() {
        this.fixture.engine.registerBean(
                "feed", this.feed, EngineFixture.exact().build());
        this.fixture.runUntilIdle();

        this.fixture.engine.startService("feed");
        this.fixture.engine.start("feed");
        this.fixture.runUntilIdle();

        assertThat(this.feed.calls).containsExactly("start");
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
    }

    @Test
    void aRestartAndThenAStopAndARestartWhileTheRestartsStartRunsEndWithTheServiceRunning() {
        startFeed(EngineFixture.exact().build());
        List<String> inside = new ArrayList<>();
        this.feed.onStart = () -> {
            this.feed.onStart = () -> {};
            this.fixture.engine.stop("feed");
            this.fixture.engine.restart("feed");
            this.fixture.runUntilIdle();
            inside.add(this.fixture.state("feed").name());
        };

        this.fixture.engine.restart("feed");
        this.fixture.runUntilIdle();

        assertThat(inside).containsExactly("STOPPING");
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
        assertThat(this.feed.calls)
                .as("what the first restart started is stopped before the second restart starts it")
                .containsExactly("start", "stop", "start", "stop", "start");
        assertThat(this.fixture.snapshot("feed").restarts()).isEqualTo(2);

        this.fixture.engine.stop("feed");
        this.fixture.runUntilIdle();
        assertThat(this.fixture.state("feed")).isEqualTo(STOPPED);
        this.fixture.engine.start("feed");
        this.fixture.runUntilIdle();
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
    }

    @Test
    void aRestartCallsStartEvenWhenTheObjectStillSaysItRunsAfterAFailedStop() {
        startFeed(EngineFixture.exact().build());
        this.feed.onStop = () -> {
            throw new IllegalStateException("cannot stop");
        };

        this.fixture.engine.reportFailure("feed", new IOException("lost"));
        this.fixture.advance(Duration.ofMillis(100));

        assertThat(this.feed.running).as("its stop threw before it stopped").isTrue();
        assertThat(this.feed.calls).containsExactly("start", "stop", "start");
        assertThat(this.fixture.snapshot("feed").restarts()).isEqualTo(1);
    }

    @Test
    void onlyTheFirstStartLeavesAloneAnObjectThatAlreadyRuns() {
        this.feed.running = true;

        startFeed(EngineFixture.exact().build());

        assertThat(this.feed.calls).as("as the application context does").isEmpty();
    }

    @Test
    void aRestartThatFallsDueWhileACallIsStuckIsCountedOnlyWhenItsStartBegins() {
        startFeed(EngineFixture.exact().stopTimeout(Duration.ofSeconds(2)).build());
        List<String> inside = new ArrayList<>();
        this.feed.onStop = () -> {
            this.feed.onStop = () -> {};
            this.fixture.advance(Duration.ofSeconds(10));
            inside.add(this.fixture.state("feed") + " restarts="
                    + this.fixture.snapshot("feed").restarts() + " calls=" + this.feed.calls);
        };

        this.fixture.engine.reportFailure("feed", new IOException("lost"));
        this.fixture.runUntilIdle();

        assertThat(inside).containsExactly("BACKING_OFF restarts=0 calls=[start, stop]");
        assertThat(this.fixture.events(SupervisionEvent.CallAbandoned.class))
                .singleElement()
                .satisfies(abandoned -> assertThat(abandoned.call()).isEqualTo("stop()"));
        assertThat(this.fixture.events(SupervisionEvent.AbandonedCallReturned.class))
                .singleElement()
                .satisfies(returned -> assertThat(returned.after()).isEqualTo(Duration.ofSeconds(10)));
        assertThat(this.feed.calls).containsExactly("start", "stop", "start");
        assertThat(this.fixture.snapshot("feed").restarts()).isEqualTo(1);
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
    }

    /** The feed fails; its backoff is over and its restart's start() submitted, but no call thread took it. */
    private void failAndLetTheRestartWaitForAThread() {
        startFeed(EngineFixture.exact().build());
        this.fixture.engine.reportFailure("feed", new IOException("lost"));
        this.fixture.runUntilIdle();
        this.fixture.scheduler.advance(Duration.ofMillis(100));
        this.fixture.scheduler.fireNextTimer(this.fixture.scheduler.elapsedNanos());
        this.fixture.scheduler.runControlTasks();
    }

    @Test
    void aRestartWhoseStartWaitsForACallThreadIsCountedOnlyOnceItsStartBegins() {
        failAndLetTheRestartWaitForAThread();

        assertThat(this.feed.calls).containsExactly("start", "stop");
        assertThat(this.fixture.snapshot("feed").restarts())
                .as("submitted, not begun")
                .isZero();
        assertThat(this.fixture.events(SupervisionEvent.Restarting.class)).isEmpty();

        this.fixture.runUntilIdle();

        assertThat(this.feed.calls).containsExactly("start", "stop", "start");
        assertThat(this.fixture.snapshot("feed").restarts()).isEqualTo(1);
        assertThat(this.fixture.events(SupervisionEvent.Restarting.class)).hasSize(1);
    }

    @Test
    void aRestartWhoseStartIsCalledOffByTheCloseBeforeItBeganIsNeverCounted() {
        failAndLetTheRestartWaitForAThread();
        assertThat(this.fixture.calls.pending())
                .as("the restart's start() waits for a thread")
                .isEqualTo(1);

        // The close: supervision ends, and the pool drops the calls that have not begun.
        this.fixture.engine.suspend();
        this.fixture.scheduler.runControlTasks();
        assertThat(this.fixture.calls.dropPending()).isEqualTo(1);
        this.fixture.runUntilIdle();

        assertThat(this.feed.calls).containsExactly("start", "stop");
        assertThat(this.fixture.snapshot("feed").restarts()).isZero();
        assertThat(this.fixture.events(SupervisionEvent.Restarting.class)).isEmpty();
    }

    @Test
    void aStopRequestedWhileACallIsStuckIsDoneAtOnceAndTheObjectIsStoppedWhenTheCallReturns() {
        this.fixture.engine.registerBean(
                "feed",
                this.feed,
                EngineFixture.exact().startTimeout(Duration.ofSeconds(1)).build());
        List<String> inside = new ArrayList<>();
        this.feed.onStart = () -> {
            this.feed.onStart = () -> {};
            this.fixture.advance(Duration.ofSeconds(1));
            CompletableFuture<Void> stopped = this.fixture.engine.stopService("feed");
            this.fixture.runUntilIdle();
            inside.add(this.fixture.state("feed") + " stopped=" + stopped.isDone());
        };

        this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();

        assertThat(inside).containsExactly("STOPPED stopped=true");
        assertThat(this.feed.calls)
                .as("the start returned at last: what it started is stopped")
                .containsExactly("start", "stop");
        assertThat(this.feed.running).isFalse();
        assertThat(this.fixture.state("feed")).isEqualTo(STOPPED);
    }

    @Test
    void theWatchdogDoesNotPollAServiceWhileAnotherCallOnItIsInFlight() {
        startFeed(EngineFixture.exact().build());
        List<Integer> pollsWhileStopping = new ArrayList<>();
        AtomicInteger polls = new AtomicInteger();
        FakeLifecycle counted = this.feed;
        counted.onIsRunning = polls::incrementAndGet;
        this.feed.onStop = () -> {
            int before = polls.get();
            this.fixture.advance(Duration.ofSeconds(5));
            pollsWhileStopping.add(polls.get() - before);
        };

        this.fixture.engine.stop("feed");
        this.fixture.runUntilIdle();

        assertThat(pollsWhileStopping).containsExactly(0);
    }

    @Test
    void anIsRunningThatThrowsAnErrorFailsThatServiceOnlyAndTheWatchdogGoesOn() {
        startFeed(EngineFixture.exact().build());
        FakeLifecycle quotes = new FakeLifecycle();
        this.fixture.engine.registerBean("quotes", quotes, EngineFixture.exact().build());
        this.fixture.engine.startService("quotes");
        this.fixture.runUntilIdle();
        this.feed.onIsRunning = () -> {
            this.feed.onIsRunning = () -> {};
            throw new NoClassDefFoundError("com/example/Missing");
        };

        this.fixture.advance(Duration.ofSeconds(1));
        quotes.running = false;
        this.fixture.advance(Duration.ofSeconds(1));

        assertThat(this.fixture.snapshot("feed").lastFailure().exception())
                .isEqualTo(NoClassDefFoundError.class.getName());
        assertThat(this.fixture.snapshot("quotes").lastFailure().exception())
                .as("the next tick still polls the others")
                .isEqualTo(UnexpectedStopException.class.getName());
    }

    @Test
    void aHungIsRunningIsAbandonedAfterTheStartTimeoutAndTheOtherServicesAreStillPolled() {
        startFeed(EngineFixture.exact().startTimeout(Duration.ofSeconds(3)).build());
        FakeLifecycle quotes = new FakeLifecycle();
        this.fixture.engine.registerBean("quotes", quotes, EngineFixture.exact().build());
        this.fixture.engine.startService("quotes");
        this.fixture.runUntilIdle();
        List<String> inside = new ArrayList<>();
        this.feed.onIsRunning = () -> {
            this.feed.onIsRunning = () -> {};
            quotes.running = false;
            this.fixture.advance(Duration.ofSeconds(4));
            inside.add("feed " + this.fixture.state("feed") + " "
                    + this.fixture.snapshot("feed").lastFailure().exception());
            inside.add("quotes " + this.fixture.snapshot("quotes").lastFailure().exception());
        };

        this.fixture.advance(Duration.ofSeconds(1));

        assertThat(inside)
                .containsExactly(
                        "feed BACKING_OFF " + WatchdogTimeoutException.class.getName(),
                        "quotes " + UnexpectedStopException.class.getName());
        assertThat(this.feed.calls)
                .as("once the poll returned: stopped, then started again")
                .containsExactly("start", "stop", "start");
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
    }

    @Test
    void aRunLoopThatIgnoresCancellationIsNotRunAgainUntilItsRunReturns() {
        AtomicInteger concurrentRuns = new AtomicInteger();
        List<Integer> seen = new ArrayList<>();
        List<String> inside = new ArrayList<>();
        SupervisedService stubborn = new SupervisedService() {
            int runs;

            @Override
            public void run(Cancellation cancellation) {
                seen.add(concurrentRuns.incrementAndGet());
                try {
                    if (++this.runs == 1) {
                        // Ignores the cancellation: asked to restart, it goes on for 10s.
                        CallRulesTests.this.fixture.engine.restart("poller");
                        CallRulesTests.this.fixture.advance(Duration.ofSeconds(10));
                        inside.add(CallRulesTests.this.fixture.state("poller").name());
                    }
                } finally {
                    concurrentRuns.decrementAndGet();
                }
            }
        };
        this.fixture.engine.registerBean(
                "poller",
                stubborn,
                EngineFixture.exact().stopTimeout(Duration.ofSeconds(2)).build());
        this.fixture.engine.startService("poller");
        this.fixture.runLoops();
        this.fixture.runLoops();

        assertThat(inside).as("its restart waits for the abandoned run").containsExactly("STOPPING");
        assertThat(seen).as("never two runs at once").containsExactly(1, 1);
        assertThat(this.fixture.snapshot("poller").restarts()).isEqualTo(1);
    }

    @Test
    void aStartThatThrowsAnErrorIsAFailureLikeAnyOther() {
        this.feed.onStart = () -> {
            this.feed.onStart = () -> {};
            throw new ExceptionInInitializerError("static init failed");
        };

        this.fixture.engine.registerBean(
                "feed", this.feed, EngineFixture.exact().build());
        this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();

        assertThat(this.fixture.state("feed")).isEqualTo(BACKING_OFF);
        assertThat(this.fixture.snapshot("feed").lastFailure().exception())
                .isEqualTo(ExceptionInInitializerError.class.getName());
        this.fixture.advance(Duration.ofMillis(100));
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
    }
}
