package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The rules of who waits for a service's start or stop ({@link Waiters}) and of its queue of operator
 * commands ({@link OperatorCommands}): every waiter is answered, and only once the outcome is published;
 * a queue with nothing waiting answers nothing, however often it is asked.
 */
class WaitingRulesTests {

    private final Waiters waiters = new Waiters();

    @Test
    void everyoneWaitingForAStartIsAnsweredOnceTheOutcomeIsPublished() {
        CompletableFuture<Void> container = new CompletableFuture<>();
        CompletableFuture<Void> operator = new CompletableFuture<>();
        this.waiters.awaitStart(container);
        this.waiters.awaitStart(operator);

        this.waiters.startResolved();
        assertThat(container).as("not before the snapshot is published").isNotDone();
        this.waiters.publish();

        assertThat(container).isCompleted();
        assertThat(operator).isCompleted();
    }

    @Test
    void everyoneWaitingForAStopIsAnsweredOnceTheOutcomeIsPublished() {
        CompletableFuture<Void> container = new CompletableFuture<>();
        CompletableFuture<Void> operator = new CompletableFuture<>();
        this.waiters.awaitStop(container);
        this.waiters.awaitStop(operator);
        this.waiters.startResolved();
        this.waiters.publish();
        assertThat(container)
                .as("a start resolving does not answer a stop's waiters")
                .isNotDone();

        this.waiters.stopResolved();
        this.waiters.publish();

        assertThat(container).isCompleted();
        assertThat(operator).isCompleted();
    }

    @Test
    void aCommandQueueWithNothingWaitingAnswersNothingAndTheNextCommandStartsABatch() {
        OperatorCommands commands = new OperatorCommands();
        assertThat(commands.poll()).isNull();

        assertThat(commands.offer(OperatorCommands.Command.RESTART)).isTrue();
        assertThat(commands.offer(OperatorCommands.Command.RESTART))
                .as("merged")
                .isFalse();
        assertThat(commands.poll()).isEqualTo(OperatorCommands.Command.RESTART);
        assertThat(commands.poll()).isNull();
        assertThat(commands.poll()).isNull();

        assertThat(commands.offer(OperatorCommands.Command.STOP)).isTrue();
    }
}
