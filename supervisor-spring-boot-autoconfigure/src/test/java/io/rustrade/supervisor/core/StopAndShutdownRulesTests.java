package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.SupervisedService;
import io.rustrade.supervisor.testing.FakeLifecycle;
import io.rustrade.supervisor.testing.ManualExecutor;
import io.rustrade.supervisor.testing.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Stops, shutdown and counts while calls are in flight: a stop is bounded by {@code stop-timeout} whatever
 * call it waits for, supervision ends for good at suspension, a restart counts only what began, and a
 * listener's fatal error costs the others nothing. On virtual time: a call that "hangs" moves the clock while
 * it is inside the user's code.
 */
class StopAndShutdownRulesTests {

    /** An engine polling every second, with {@code feed} registered under these timeouts and running. */
    private static EngineFixture watchedAndRunning(FakeLifecycle feed, Duration startTimeout, Duration stopTimeout) {
        EngineFixture fixture = new EngineFixture(Duration.ofSeconds(1));
        fixture.engine.registerBean(
                "feed",
                feed,
                EngineFixture.exact()
                        .startTimeout(startTimeout)
                        .stopTimeout(stopTimeout)
                        .build());
        fixture.engine.startService("feed");
        fixture.runUntilIdle();
        return fixture;
    }

    @Test
    void aStopAtShutdownWhileAPollHangsIsDoneWithinTheStopTimeout() {
        FakeLifecycle feed = new FakeLifecycle();
        EngineFixture fixture = watchedAndRunning(feed, Duration.ofSeconds(3), Duration.ofSeconds(2));
        List<String> inside = new ArrayList<>();
        feed.onIsRunning = () -> {
            feed.onIsRunning = () -> {};
            fixture.engine.suspend();
            fixture.runUntilIdle();
            CompletableFuture<Void> stopped = fixture.engine.stopService("feed");
            fixture.advance(Duration.ofSeconds(2));
            inside.add(fixture.state("feed") + " stopped=" + stopped.isDone() + " abandoned="
                    + fixture.engine.abandonedCalls());
        };

        fixture.advance(Duration.ofSeconds(1));

        assertThat(inside).containsExactly("STOPPED stopped=true abandoned=1");
        assertThat(feed.calls).as("stopped once the poll returned").containsExactly("start", "stop");
    }

    @Test
    void aStopWhileAPollHangsWaitsTheStopTimeoutNotTheStartTimeout() {
        FakeLifecycle feed = new FakeLifecycle();
        EngineFixture fixture = watchedAndRunning(feed, Duration.ofSeconds(60), Duration.ofSeconds(2));
        List<String> inside = new ArrayList<>();
        feed.onIsRunning = () -> {
            feed.onIsRunning = () -> {};
            CompletableFuture<Void> stopped = fixture.engine.stopService("feed");
            fixture.advance(Duration.ofSeconds(2));
            inside.add(fixture.state("feed") + " stopped=" + stopped.isDone());
        };

        fixture.advance(Duration.ofSeconds(1));

        assertThat(inside).containsExactly("STOPPED stopped=true");
    }

    @Test
    void aStopWhileAStartHangsWaitsTheStopTimeoutNotTheStartTimeout() {
        EngineFixture fixture = new EngineFixture(Duration.ZERO);
        FakeLifecycle feed = new FakeLifecycle();
        fixture.engine.registerBean(
                "feed",
                feed,
                EngineFixture.exact()
                        .startTimeout(Duration.ofSeconds(60))
                        .stopTimeout(Duration.ofSeconds(2))
                        .build());
        List<String> inside = new ArrayList<>();
        feed.onStart = () -> {
            feed.onStart = () -> {};
            CompletableFuture<Void> stopped = fixture.engine.stopService("feed");
            fixture.advance(Duration.ofSeconds(2));
            inside.add(fixture.state("feed") + " stopped=" + stopped.isDone());
        };

        fixture.engine.startService("feed");
        fixture.runUntilIdle();

        assertThat(inside).containsExactly("STOPPED stopped=true");
        assertThat(feed.calls).as("what the start started is stopped").containsExactly("start", "stop");
        assertThat(fixture.snapshot("feed").failures())
                .as("a stop is no failure")
                .isZero();
    }

    @Test
    void aFirstStartClaimedBeforeSuspensionIsStoppedOnceItReturns() {
        EngineFixture fixture = new EngineFixture(Duration.ZERO);
        FakeLifecycle feed = new FakeLifecycle();
        fixture.engine.registerBean("feed", feed, EngineFixture.exact().build());
        fixture.runUntilIdle();

        fixture.engine.suspend();
        fixture.engine.startService("feed");
        fixture.runUntilIdle();

        assertThat(fixture.engine.isSupervising()).isFalse();
        assertThat(feed.running).as("nothing runs once supervision ended").isFalse();
        assertThat(fixture.state("feed")).isEqualTo(io.rustrade.supervisor.ServiceState.STOPPED);
    }

    @Test
    void aStopAfterSuspensionWaitsForTheCleanUpStopOfAStartThatFailed() {
        EngineFixture fixture = new EngineFixture(Duration.ZERO);
        FakeLifecycle feed = new FakeLifecycle();
        feed.failStarts(new IllegalStateException("half started"));
        fixture.engine.registerBean("feed", feed, EngineFixture.exact().build());
        List<String> inside = new ArrayList<>();
        feed.onStart = () -> {
            feed.running = true;
            fixture.engine.suspend();
            fixture.scheduler.runControlTasks();
        };
        feed.onStop = () -> {
            CompletableFuture<Void> stopped = fixture.engine.stopService("feed");
            fixture.scheduler.runControlTasks();
            inside.add(fixture.state("feed") + " stopped=" + stopped.isDone());
        };

        fixture.engine.startService("feed");
        fixture.runUntilIdle();

        assertThat(feed.calls).containsExactly("start", "stop");
        assertThat(inside).containsExactly("STOPPING stopped=false");
        assertThat(fixture.state("feed")).isEqualTo(io.rustrade.supervisor.ServiceState.STOPPED);
    }

    @Test
    void aRunLoopsRestartIsNotCountedWhenItsRunCannotBeLaunched() {
        VirtualScheduler scheduler = new VirtualScheduler();
        boolean[] refuse = {false};
        ManualExecutor runs = new ManualExecutor();
        SupervisorEngine engine = SupervisorEngine.builder()
                .scheduler(scheduler)
                .callExecutor(new ManualExecutor())
                .runLauncher((name, run) -> {
                    if (refuse[0]) {
                        throw new RejectedExecutionException("full");
                    }
                    runs.launch(name, run);
                })
                .eventExecutor(Runnable::run)
                .watchdogInterval(Duration.ZERO)
                .build();
        engine.open();
        scheduler.runControlTasks();
        SupervisedService loop = cancellation -> {
            throw new IllegalStateException("boom");
        };
        engine.register("loop", loop, EngineFixture.exact().build());
        scheduler.runControlTasks();
        refuse[0] = true;
        runs.runAll();
        scheduler.runControlTasks();
        scheduler.advance(Duration.ofSeconds(1));
        scheduler.runControlTasks();

        ServiceSnapshot snapshot = engine.service("loop").orElseThrow();
        assertThat(snapshot.failures()).as("each refused launch is a failure").isGreaterThan(1);
        assertThat(snapshot.restarts()).as("no run began again").isZero();
    }

    @Test
    void aWaitForTheOutcomeWhileACallIsStuckIsAnsweredAtOnce() {
        EngineFixture fixture = new EngineFixture(Duration.ZERO);
        FakeLifecycle feed = new FakeLifecycle();
        fixture.engine.registerBean(
                "feed",
                feed,
                EngineFixture.exact().startTimeout(Duration.ofSeconds(3)).build());
        List<Boolean> answered = new ArrayList<>();
        feed.onStart = () -> {
            feed.onStart = () -> {};
            fixture.advance(Duration.ofSeconds(10));
            for (int i = 0; i < 3; i++) {
                CompletableFuture<ServiceSnapshot> resolved = fixture.engine.whenResolved("feed");
                fixture.scheduler.runControlTasks();
                answered.add(resolved.isDone());
            }
        };

        fixture.engine.startService("feed");
        fixture.runUntilIdle();

        assertThat(answered)
                .as("nothing is held for a call that may never return")
                .containsExactly(true, true, true);
    }

    @Test
    void aListenersFatalErrorCostsNoOtherListenerTheEvent() {
        VirtualScheduler scheduler = new VirtualScheduler();
        List<Runnable> eventThread = new ArrayList<>();
        List<SupervisionEvent> second = new ArrayList<>();
        SupervisionListener first = event -> {
            throw new StackOverflowError("listener");
        };
        EventDispatcher dispatcher = new EventDispatcher(scheduler, eventThread::add, List.of(first, second::add));

        dispatcher.emit(new SupervisionEvent.Reset("feed", Instant.EPOCH));
        scheduler.runControlTasks();
        while (!eventThread.isEmpty()) {
            try {
                eventThread.remove(0).run();
            } catch (StackOverflowError expected) {
                // goes on to the event thread, after the other listeners had the event
            }
        }

        assertThat(second).hasSize(1);
    }

    @Test
    void commandsPostAtMostOneTaskUntilTheQueueIsFoundEmpty() {
        OperatorCommands commands = new OperatorCommands();
        int posted = 0;

        posted += commands.offer(OperatorCommands.Command.RESTART) ? 1 : 0;
        assertThat(commands.poll()).isEqualTo(OperatorCommands.Command.RESTART);
        posted += commands.offer(OperatorCommands.Command.STOP) ? 1 : 0;
        assertThat(commands.poll()).isEqualTo(OperatorCommands.Command.STOP);
        assertThat(commands.poll()).isNull();
        posted += commands.offer(OperatorCommands.Command.START) ? 1 : 0;

        assertThat(posted)
                .as("the drain that runs takes what comes while it runs")
                .isEqualTo(2);
    }
}
