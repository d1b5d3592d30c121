package io.rustrade.supervisor.core;

import static io.rustrade.supervisor.ServiceState.RUNNING;
import static io.rustrade.supervisor.ServiceState.STOPPED;
import static io.rustrade.supervisor.ServiceState.STOPPING;
import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.HistoryEntry;
import io.rustrade.supervisor.UnexpectedStopException;
import io.rustrade.supervisor.testing.FakeLifecycle;
import io.rustrade.supervisor.testing.HistoryTypes;
import io.rustrade.supervisor.testing.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * How long a stop waits for a {@code start()} or {@code isRunning()} in flight, and what is told when it gives
 * up: {@code stop-timeout} counted from when the call began (not from when it was submitted, nor from when the
 * stop was asked for), a call that returns just as its time runs out is not abandoned, a restart asked for
 * meanwhile lets the call finish, and the events say which call was abandoned, where it was and how long it
 * ran. On virtual time: a call that "hangs" moves the clock while it is inside the user's code; one that
 * "returns just in time" moves the clock without firing timers, so that its answer is still on its way when
 * the timer fires.
 */
class StopWaitRulesTests {

    private final EngineFixture fixture = new EngineFixture();

    private final FakeLifecycle feed = new FakeLifecycle();

    private void register(Duration startTimeout, Duration stopTimeout) {
        this.fixture.engine.registerBean(
                "feed",
                this.feed,
                EngineFixture.exact()
                        .startTimeout(startTimeout)
                        .stopTimeout(stopTimeout)
                        .build());
        this.fixture.scheduler.runControlTasks();
    }

    /** Moves the clock without firing timers: the time a call spends before it returns. */
    private void spend(Duration duration) {
        ((ManualClock) this.fixture.scheduler.clock()).advance(duration);
    }

    /** Fires the timers due now, before the answers of the calls that returned are applied. */
    private void fireTimersDueNow() {
        while (this.fixture.scheduler.fireNextTimer(this.fixture.scheduler.elapsedNanos())) {
            // the next one due
        }
    }

    /** An engine polling every second, with {@code feed} registered under this start-timeout and running. */
    private EngineFixture watchedFeed(Duration startTimeout) {
        EngineFixture watched = new EngineFixture(Duration.ofSeconds(1));
        watched.startBean(
                "feed",
                this.feed,
                EngineFixture.exact().startTimeout(startTimeout).build());
        return watched;
    }

    /** Fires every timer due at the current reading, without running their outcomes yet. */
    private static void fireTimersDueNow(EngineFixture watched) {
        while (watched.scheduler.fireNextTimer(watched.scheduler.elapsedNanos())) {
            // the tick due now
        }
    }

    @Test
    void aStopWaitsTheStopTimeoutFromWhenTheStartBeganNotFromWhenItWasSubmitted() {
        register(Duration.ofSeconds(60), Duration.ofSeconds(2));
        CompletableFuture<Void> started = this.fixture.engine.startService("feed");
        CompletableFuture<Void> stopped = this.fixture.engine.stopService("feed");

        // The start waits 3s for a thread: it is not blamed for that.
        this.fixture.scheduler.advance(Duration.ofSeconds(3));
        assertThat(this.fixture.state("feed")).isEqualTo(STOPPING);
        assertThat(stopped).isNotDone();

        List<String> inside = new ArrayList<>();
        this.feed.onStart = () -> {
            this.feed.onStart = () -> {};
            this.fixture.scheduler.advance(Duration.ofMillis(1999));
            inside.add(this.fixture.state("feed") + " stopped=" + stopped.isDone());
            this.fixture.scheduler.advance(Duration.ofMillis(1));
            inside.add(this.fixture.state("feed") + " stopped=" + stopped.isDone() + " container released="
                    + started.isDone());
        };
        this.fixture.runUntilIdle();

        assertThat(inside)
                .as("abandoned 2s after it began, at 5s, and the container's wait ends with it")
                .containsExactly("STOPPING stopped=false", "STOPPED stopped=true container released=true");
        assertThat(this.fixture.events(SupervisionEvent.CallAbandoned.class))
                .singleElement()
                .satisfies(abandoned -> {
                    assertThat(abandoned.call()).isEqualTo("start()");
                    assertThat(abandoned.timeout()).isEqualTo(Duration.ofSeconds(2));
                });
        assertThat(this.feed.calls).as("what the start started is stopped").containsExactly("start", "stop");
    }

    @Test
    void aStartThatReturnsJustAsTheStopsWaitEndsIsNotAbandoned() {
        register(Duration.ofSeconds(60), Duration.ofSeconds(2));
        this.feed.onStart = () -> spend(Duration.ofSeconds(2));
        this.fixture.engine.startService("feed");
        CompletableFuture<Void> stopped = this.fixture.engine.stopService("feed");
        this.fixture.scheduler.runControlTasks();

        this.fixture.calls.runNext();
        fireTimersDueNow();
        this.fixture.runUntilIdle();

        assertThat(this.fixture.events(SupervisionEvent.CallAbandoned.class)).isEmpty();
        assertThat(this.fixture.engine.abandonedCalls()).isZero();
        assertThat(this.feed.calls).containsExactly("start", "stop");
        assertThat(stopped).isDone();
        assertThat(this.fixture.state("feed")).isEqualTo(STOPPED);
    }

    @Test
    void aStartThatReturnsJustAsItsStartTimeoutEndsIsNoFailure() {
        register(Duration.ofSeconds(2), Duration.ofSeconds(2));
        this.feed.onStart = () -> spend(Duration.ofSeconds(2));
        this.fixture.engine.startService("feed");
        this.fixture.scheduler.runControlTasks();

        this.fixture.calls.runNext();
        fireTimersDueNow();
        this.fixture.runUntilIdle();

        assertThat(this.fixture.events(SupervisionEvent.CallAbandoned.class)).isEmpty();
        assertThat(this.fixture.snapshot("feed").failures()).isZero();
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
    }

    @Test
    void aStopThatReturnsJustAsItsStopTimeoutEndsIsNotAbandoned() {
        register(Duration.ofSeconds(60), Duration.ofSeconds(2));
        this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();
        this.feed.onStop = () -> spend(Duration.ofSeconds(2));
        CompletableFuture<Void> stopped = this.fixture.engine.stopService("feed");
        this.fixture.scheduler.runControlTasks();

        this.fixture.calls.runNext();
        fireTimersDueNow();
        this.fixture.runUntilIdle();

        assertThat(this.fixture.events(SupervisionEvent.CallAbandoned.class)).isEmpty();
        assertThat(this.fixture.engine.abandonedCalls()).isZero();
        assertThat(stopped).isDone();
        assertThat(this.fixture.state("feed")).isEqualTo(STOPPED);
    }

    @Test
    void aStopStuckPastItsTimeoutHoldsAnAbandonedCallUntilItReturns() {
        register(Duration.ofSeconds(60), Duration.ofSeconds(2));
        this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();
        List<Integer> abandonedWhileStuck = new ArrayList<>();
        this.feed.onStop = () -> {
            this.fixture.advance(Duration.ofSeconds(2));
            abandonedWhileStuck.add(this.fixture.engine.abandonedCalls());
        };

        this.fixture.engine.stop("feed");
        this.fixture.runUntilIdle();

        assertThat(abandonedWhileStuck).containsExactly(1);
        assertThat(this.fixture.engine.abandonedCalls()).isZero();
    }

    @Test
    void aRestartAskedForWhileAStopWaitsForAStartLetsTheStartFinish() {
        register(Duration.ofSeconds(60), Duration.ofSeconds(2));
        List<String> inside = new ArrayList<>();
        this.feed.onStart = () -> {
            this.feed.onStart = () -> {};
            this.fixture.engine.stopService("feed");
            this.fixture.scheduler.runControlTasks();
            this.fixture.engine.restart("feed");
            this.fixture.advance(Duration.ofSeconds(5));
            inside.add(this.fixture.state("feed") + " abandoned="
                    + this.fixture.events(SupervisionEvent.CallAbandoned.class).size());
        };

        this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();

        assertThat(inside).containsExactly("STOPPING abandoned=0");
        assertThat(this.feed.calls).containsExactly("start", "stop", "start");
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
        assertThat(this.fixture.snapshot("feed").restarts()).isEqualTo(1);
    }

    @Test
    void aRestartAskedForWhileTheStartHangsIsStillPendingWhenTheStartIsAbandoned() {
        register(Duration.ofSeconds(1), Duration.ofSeconds(5));
        List<String> inside = new ArrayList<>();
        this.feed.onStart = () -> {
            this.feed.onStart = () -> {};
            this.fixture.engine.restart("feed");
            this.fixture.advance(Duration.ofSeconds(1));
            inside.add(this.fixture.state("feed") + " abandoned="
                    + this.fixture.events(SupervisionEvent.CallAbandoned.class).size());
        };

        this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();

        assertThat(inside).as("the restart waits for the start to return").containsExactly("STOPPING abandoned=1");
        assertThat(this.feed.calls).containsExactly("start", "stop", "start");
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
        assertThat(this.fixture.snapshot("feed").failures())
                .as("a restart is no failure")
                .isZero();
    }

    @Test
    void aStartAbandonedAfterAStopWasAskedForIsNoFailure() {
        register(Duration.ofSeconds(1), Duration.ofSeconds(5));
        List<String> inside = new ArrayList<>();
        this.feed.onStart = () -> {
            this.feed.onStart = () -> {};
            CompletableFuture<Void> stopped = this.fixture.engine.stopService("feed");
            this.fixture.advance(Duration.ofSeconds(1));
            inside.add(this.fixture.state("feed") + " stopped=" + stopped.isDone());
        };

        this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();

        assertThat(inside).containsExactly("STOPPED stopped=true");
        assertThat(this.fixture.snapshot("feed").failures()).isZero();
        assertThat(this.feed.calls).containsExactly("start", "stop");
    }

    @Test
    void anAbandonedStartIsToldWithWhereItHungAndHowLongAfterItBeganItReturned() {
        register(Duration.ofSeconds(60), Duration.ofSeconds(2));
        this.feed.onStart = () -> {
            this.feed.onStart = () -> {};
            this.fixture.advance(Duration.ofSeconds(5));
            this.fixture.engine.stopService("feed");
            this.fixture.advance(Duration.ofSeconds(2));
            this.fixture.advance(Duration.ofSeconds(3));
        };

        this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();

        assertThat(this.fixture.events(SupervisionEvent.CallAbandoned.class))
                .singleElement()
                .satisfies(abandoned -> assertThat(abandoned.stack())
                        .as("the stack of the thread inside start()")
                        .anySatisfy(
                                frame -> assertThat(frame.getClassName()).isEqualTo(FakeLifecycle.class.getName())));
        assertThat(this.fixture.events(SupervisionEvent.AbandonedCallReturned.class))
                .singleElement()
                .satisfies(returned -> {
                    assertThat(returned.call()).isEqualTo("start()");
                    assertThat(returned.after()).isEqualTo(Duration.ofSeconds(10));
                });
    }

    @Test
    void aStopThatAbandonsAPollTellsHowLongTheServiceRan() {
        EngineFixture watched = new EngineFixture(Duration.ofSeconds(1));
        watched.startBean(
                "feed",
                this.feed,
                EngineFixture.exact()
                        .startTimeout(Duration.ofSeconds(60))
                        .stopTimeout(Duration.ofSeconds(2))
                        .build());
        this.feed.onIsRunning = () -> {
            this.feed.onIsRunning = () -> {};
            watched.engine.stopService("feed");
            watched.advance(Duration.ofSeconds(2));
        };

        watched.advance(Duration.ofSeconds(1));

        assertThat(watched.state("feed")).isEqualTo(STOPPED);
        assertThat(watched.events(SupervisionEvent.CallAbandoned.class))
                .singleElement()
                .satisfies(abandoned -> assertThat(abandoned.call()).isEqualTo("isRunning()"));
        assertThat(watched.events(SupervisionEvent.Stopped.class))
                .singleElement()
                .satisfies(stopped -> assertThat(stopped.runTime()).isEqualTo(Duration.ofSeconds(3)));
        assertThat(watched.snapshot("feed").events())
                .extracting(HistoryTypes::typeOf, HistoryEntry::detail)
                .contains(org.assertj.core.groups.Tuple.tuple("stopped", "ran 3s"));
    }

    @Test
    void aPollThatReturnsJustAsTheWatchdogWouldAbandonItIsNoFailure() {
        EngineFixture watched = watchedFeed(Duration.ofSeconds(1));
        this.feed.onIsRunning = () -> {
            this.feed.onIsRunning = () -> {};
            ((ManualClock) watched.scheduler.clock()).advance(Duration.ofSeconds(1));
        };

        // The tick at 1s asks; the answer comes at 2s, as the next tick runs.
        watched.scheduler.fireNextTimer(
                watched.scheduler.elapsedNanos() + Duration.ofSeconds(1).toNanos());
        watched.calls.runNext();
        fireTimersDueNow(watched);
        watched.runUntilIdle();

        assertThat(watched.events(SupervisionEvent.CallAbandoned.class)).isEmpty();
        assertThat(watched.events(SupervisionEvent.AbandonedCallReturned.class)).isEmpty();
        assertThat(watched.snapshot("feed").failures()).isZero();
        assertThat(watched.state("feed")).isEqualTo(RUNNING);
    }

    @Test
    void aTickBeforeTheLastAnswerIsAppliedAsksNothingMore() {
        EngineFixture watched = watchedFeed(Duration.ofSeconds(60));
        int[] asked = {0};
        this.feed.onIsRunning = () -> {
            asked[0]++;
            ((ManualClock) watched.scheduler.clock()).advance(Duration.ofSeconds(1));
        };

        watched.scheduler.fireNextTimer(
                watched.scheduler.elapsedNanos() + Duration.ofSeconds(1).toNanos());
        watched.calls.runNext();
        fireTimersDueNow(watched);
        this.feed.onIsRunning = () -> {};
        watched.runUntilIdle();

        assertThat(asked[0]).isEqualTo(1);
        assertThat(watched.events(SupervisionEvent.AbandonedCallReturned.class)).isEmpty();
        assertThat(watched.state("feed")).isEqualTo(RUNNING);
    }

    @Test
    void aPollWaitingForAThreadIsNotBlamedForTheWait() {
        EngineFixture watched = watchedFeed(Duration.ofSeconds(1));

        // The tick at 1s asks; the question waits 5s for a thread while the ticks go on.
        watched.scheduler.advance(Duration.ofSeconds(6));
        watched.runUntilIdle();
        assertThat(watched.snapshot("feed").failures()).isZero();

        this.feed.running = false;
        watched.advance(Duration.ofSeconds(1));

        assertThat(watched.events(SupervisionEvent.CallAbandoned.class)).isEmpty();
        assertThat(watched.snapshot("feed").lastFailure().exception())
                .as("the watchdog still asks, and hears of the stop")
                .isEqualTo(UnexpectedStopException.class.getName());
    }

    @Test
    void theSnapshotShowsTheFailureAsSoonAsTheWatchdogAbandonsAPoll() {
        EngineFixture watched = watchedFeed(Duration.ofSeconds(3));
        List<String> inside = new ArrayList<>();
        this.feed.onIsRunning = () -> {
            this.feed.onIsRunning = () -> {};
            // Asked at 1s; abandoned by the tick at 4s, before any restart is due.
            watched.advance(Duration.ofSeconds(3));
            inside.add(watched.state("feed") + " failures="
                    + watched.snapshot("feed").failures());
        };

        watched.advance(Duration.ofSeconds(1));

        assertThat(inside).containsExactly("BACKING_OFF failures=1");
    }

    @Test
    void aHungPollOfAServiceThatFailedMeanwhileCountsNoSecondFailure() {
        EngineFixture watched = watchedFeed(Duration.ofSeconds(3));
        this.feed.onIsRunning = () -> {
            this.feed.onIsRunning = () -> {};
            watched.engine.reportFailure("feed", new IOException("lost"));
            watched.advance(Duration.ofSeconds(4));
        };

        watched.advance(Duration.ofSeconds(1));

        assertThat(watched.events(SupervisionEvent.CallAbandoned.class)).hasSize(1);
        assertThat(watched.snapshot("feed").failures()).isEqualTo(1);
        assertThat(watched.snapshot("feed").lastFailure().exception()).isEqualTo(IOException.class.getName());
    }

    @Test
    void aPollAnsweringStoppedAfterTheServiceFailedCountsNoSecondFailure() {
        EngineFixture watched = new EngineFixture(Duration.ofSeconds(1));
        watched.startBean("feed", this.feed, EngineFixture.exact().build());
        this.feed.onIsRunning = () -> {
            this.feed.onIsRunning = () -> {};
            watched.engine.reportFailure("feed", new IOException("lost"));
            watched.scheduler.runControlTasks();
            this.feed.running = false;
        };

        watched.advance(Duration.ofSeconds(1));

        assertThat(watched.snapshot("feed").failures()).isEqualTo(1);
        assertThat(watched.snapshot("feed").lastFailure().exception()).isEqualTo(IOException.class.getName());
    }

    @Test
    void aPollAnsweringStoppedWhileTheServiceIsBeingStoppedIsNoFailure() {
        EngineFixture watched = new EngineFixture(Duration.ofSeconds(1));
        watched.startBean("feed", this.feed, EngineFixture.exact().build());
        List<String> inside = new ArrayList<>();
        CompletableFuture<?>[] stopped = new CompletableFuture<?>[1];
        this.feed.onIsRunning = () -> {
            this.feed.onIsRunning = () -> {};
            stopped[0] = watched.engine.stopService("feed");
            watched.scheduler.runControlTasks();
            inside.add(watched.state("feed").name());
            this.feed.running = false;
        };

        watched.advance(Duration.ofSeconds(1));

        assertThat(inside).containsExactly("STOPPING");
        assertThat(watched.snapshot("feed").failures()).isZero();
        assertThat(stopped[0]).isDone();
        assertThat(watched.state("feed")).isEqualTo(STOPPED);
    }

    @Test
    void aStopAskedForWhileAPollHangsIsDoneWhenTheWatchdogAbandonsThePoll() {
        EngineFixture watched = new EngineFixture(Duration.ofSeconds(1));
        watched.startBean(
                "feed",
                this.feed,
                EngineFixture.exact()
                        .startTimeout(Duration.ofSeconds(1))
                        .stopTimeout(Duration.ofSeconds(5))
                        .build());
        List<String> inside = new ArrayList<>();
        this.feed.onIsRunning = () -> {
            this.feed.onIsRunning = () -> {};
            CompletableFuture<Void> stopped = watched.engine.stopService("feed");
            // Asked at 1s; the tick at 2s abandons it, well before the stop's own wait ends.
            watched.advance(Duration.ofSeconds(1));
            inside.add(watched.state("feed") + " stopped=" + stopped.isDone() + " failures="
                    + watched.snapshot("feed").failures());
        };

        watched.advance(Duration.ofSeconds(1));

        assertThat(inside).containsExactly("STOPPED stopped=true failures=0");
        assertThat(this.feed.calls).as("stopped once the poll returned").containsExactly("start", "stop");
    }
}
