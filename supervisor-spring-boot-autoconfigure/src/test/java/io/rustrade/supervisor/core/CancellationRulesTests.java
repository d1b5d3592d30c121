package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rules of a run's {@link io.rustrade.supervisor.Cancellation} as a run loop sees it: signalled once and
 * never withdrawn, with an interrupt of the run's thread, and a cancellable wait that answers whether it was
 * cancelled. Most tests use the test's own thread as the run's thread.
 */
class CancellationRulesTests {

    private final RunCancellation cancellation = new RunCancellation();

    @AfterEach
    void clearTheInterrupt() {
        Thread.interrupted();
    }

    @Test
    void aRunIsNotCancelledUntilItIsAskedToStopAndThenStaysCancelled() {
        assertThat(this.cancellation.isCancelled()).isFalse();

        this.cancellation.cancel();
        this.cancellation.cancel();

        assertThat(this.cancellation.isCancelled()).isTrue();
    }

    @Test
    void cancellingInterruptsTheThreadThatRunsTheService() {
        this.cancellation.bind(Thread.currentThread());

        this.cancellation.cancel();

        assertThat(Thread.interrupted()).isTrue();
    }

    @Test
    void aThreadBoundAfterTheCancellationIsInterruptedAtOnce() {
        this.cancellation.cancel();

        this.cancellation.bind(Thread.currentThread());

        assertThat(Thread.interrupted()).isTrue();
    }

    @Test
    void onceTheRunHasReturnedItsThreadIsNoLongerInterrupted() {
        this.cancellation.bind(Thread.currentThread());
        this.cancellation.bind(null);

        this.cancellation.cancel();

        assertThat(Thread.interrupted()).isFalse();
        assertThat(this.cancellation.isCancelled()).isTrue();
    }

    @Test
    void aWaitOfZeroOrLessAnswersAtOnceWhetherTheRunIsCancelled() {
        assertThat(this.cancellation.await(Duration.ZERO)).isFalse();
        assertThat(this.cancellation.await(Duration.ofSeconds(-1))).isFalse();

        this.cancellation.cancel();

        assertThat(this.cancellation.await(Duration.ZERO)).isTrue();
        assertThat(this.cancellation.await(Duration.ofSeconds(-1))).isTrue();
        assertThat(this.cancellation.await(Duration.ofDays(1)))
                .as("cancelled before the call: no wait")
                .isTrue();
    }

    @Test
    void aWaitThatTimesOutAnswersFalse() {
        assertThat(this.cancellation.await(Duration.ofMillis(20))).isFalse();
    }

    @Test
    void aWaitEndsWithTrueAsSoonAsTheRunIsCancelled() throws InterruptedException {
        AtomicReference<Boolean> answer = new AtomicReference<>();
        Thread run = new Thread(() -> answer.set(this.cancellation.await(Duration.ofSeconds(30))), "run");
        run.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> run.getState() == Thread.State.TIMED_WAITING);

        this.cancellation.cancel();
        run.join(5_000);

        assertThat(run.isAlive()).isFalse();
        assertThat(answer.get()).isTrue();
    }

    @Test
    void aWaitInterruptedWithoutCancellationAnswersFalseAndKeepsTheInterrupt() {
        Thread.currentThread().interrupt();

        boolean cancelled = this.cancellation.await(Duration.ofSeconds(30));

        assertThat(cancelled).isFalse();
        assertThat(Thread.interrupted())
                .as("the interrupt is the caller's to handle")
                .isTrue();
    }
}
