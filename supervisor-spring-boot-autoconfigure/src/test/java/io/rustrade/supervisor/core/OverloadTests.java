package io.rustrade.supervisor.core;

import static io.rustrade.supervisor.ServiceState.RUNNING;
import static io.rustrade.supervisor.ServiceState.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.testing.FakeLifecycle;
import io.rustrade.supervisor.testing.ManualExecutor;
import io.rustrade.supervisor.testing.VirtualScheduler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** What the supervisor does when callers outrun it: every queue is bounded, and nothing it needs is lost. */
class OverloadTests {

    /** An engine on virtual time with one lifecycle service, "feed", running. */
    private static EngineFixture runningFeed() {
        EngineFixture fixture = new EngineFixture();
        fixture.engine.registerBean(
                "feed", new FakeLifecycle(), EngineFixture.exact().build());
        fixture.engine.startService("feed");
        fixture.runUntilIdle();
        return fixture;
    }

    @Test
    void repeatedFailureReportsAboutOneRunAreDroppedAtTheDoor() {
        EngineFixture fixture = runningFeed();
        long postedBefore = fixture.scheduler.posted();

        for (int i = 0; i < 10_000; i++) {
            fixture.engine.reportFailure("feed", new IOException("report " + i));
        }

        assertThat(fixture.scheduler.posted() - postedBefore)
                .as("one task for the first report; the others concern the same run")
                .isEqualTo(1);
        fixture.runUntilIdle();
        assertThat(fixture.snapshot("feed").failures()).isEqualTo(1);
        assertThat(fixture.snapshot("feed").lastFailure().message()).isEqualTo("report 0");
    }

    @Test
    void aFailureOfTheNextRunIsReportedAgain() {
        EngineFixture fixture = runningFeed();

        fixture.engine.reportFailure("feed", new IOException("first"));
        fixture.advance(java.time.Duration.ofMillis(100));
        fixture.engine.reportFailure("feed", new IOException("second"));
        fixture.runUntilIdle();

        assertThat(fixture.snapshot("feed").failures()).isEqualTo(2);
    }

    @Test
    void commandsForOneServiceAreBoundedAndTheLatestIntentWins() {
        EngineFixture fixture = runningFeed();
        long postedBefore = fixture.scheduler.posted();

        for (int i = 0; i < 10_000; i++) {
            fixture.engine.restart("feed");
            fixture.engine.stop("feed");
        }
        fixture.engine.start("feed");

        assertThat(fixture.scheduler.posted() - postedBefore).isEqualTo(1);
        fixture.runUntilIdle();
        assertThat(fixture.state("feed")).isEqualTo(RUNNING);
    }

    @Test
    void commandsAreAppliedInTheOrderTheyCameAndEqualNeighboursMerge() {
        OperatorCommands commands = new OperatorCommands();

        assertThat(commands.offer(OperatorCommands.Command.RESTART)).isTrue();
        assertThat(commands.offer(OperatorCommands.Command.RESTART)).isFalse();
        assertThat(commands.offer(OperatorCommands.Command.STOP)).isFalse();
        assertThat(commands.offer(OperatorCommands.Command.START)).isFalse();

        List<OperatorCommands.Command> applied = new ArrayList<>();
        for (OperatorCommands.Command next = commands.poll(); next != null; next = commands.poll()) {
            applied.add(next);
        }
        assertThat(applied)
                .containsExactly(
                        OperatorCommands.Command.RESTART,
                        OperatorCommands.Command.STOP,
                        OperatorCommands.Command.START);
        assertThat(commands.offer(OperatorCommands.Command.STOP))
                .as("after a drain, the next command starts a new batch")
                .isTrue();
    }

    @Test
    void atMostEightCommandsWaitAndANewOneReplacesTheLast() {
        OperatorCommands commands = new OperatorCommands();
        OperatorCommands.Command[] alternating = {OperatorCommands.Command.STOP, OperatorCommands.Command.START};
        for (int i = 0; i < 100; i++) {
            commands.offer(alternating[i % 2]);
        }
        commands.offer(OperatorCommands.Command.RESET);

        List<OperatorCommands.Command> applied = new ArrayList<>();
        for (OperatorCommands.Command next = commands.poll(); next != null; next = commands.poll()) {
            applied.add(next);
        }
        assertThat(applied).hasSize(OperatorCommands.MAX_WAITING).endsWith(OperatorCommands.Command.RESET);
    }

    @Test
    void eventsBeyondTheBacklogAreDroppedAndCountedWhileSupervisionGoesOn() {
        VirtualScheduler scheduler = new VirtualScheduler();
        ManualExecutor blockedListenerThread = new ManualExecutor();
        List<SupervisionEvent> delivered = new ArrayList<>();
        EventDispatcher dispatcher = new EventDispatcher(scheduler, blockedListenerThread, List.of(delivered::add));
        SupervisionEvent event = new SupervisionEvent.Started("feed", VirtualScheduler.EPOCH);

        for (int i = 0; i < EventDispatcher.MAX_BACKLOG + 5; i++) {
            dispatcher.emit(event);
            if (i % 1000 == 0) {
                scheduler.runControlTasks();
            }
        }
        CompletableFuture<Void> whenDelivered = new CompletableFuture<>();
        dispatcher.whenDelivered(whenDelivered);
        scheduler.runControlTasks();

        assertThat(dispatcher.dropped()).isEqualTo(5);
        blockedListenerThread.runAll();
        assertThat(delivered).hasSize(EventDispatcher.MAX_BACKLOG);
        assertThat(whenDelivered).as("a wait for delivery is never dropped").isDone();

        dispatcher.emit(event);
        scheduler.runControlTasks();
        blockedListenerThread.runAll();
        assertThat(delivered).as("once caught up, events flow again").hasSize(EventDispatcher.MAX_BACKLOG + 1);
    }

    @Test
    void aStopOfAServiceThatIsNotRunningIsNotQueuedTwice() {
        EngineFixture fixture = new EngineFixture();
        fixture.engine.registerBean(
                "feed", new FakeLifecycle(), EngineFixture.exact().build());
        fixture.runUntilIdle();

        fixture.engine.stop("feed");
        fixture.engine.stop("feed");
        fixture.runUntilIdle();

        assertThat(fixture.state("feed")).isEqualTo(STOPPED);
    }
}
