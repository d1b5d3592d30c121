package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustrade.supervisor.testing.ManualClock;
import io.rustrade.supervisor.testing.ManualExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link Calls} on an executor given from outside, whose calls run when the test says so: one
 * call at a time per lane and none lost, outcomes handed on exactly once, the count of the threads that
 * abandoned calls hold, and an executor that is never resized.
 */
class LaneRulesTests {

    private final ManualExecutor executor = new ManualExecutor();

    private final ManualClock clock = new ManualClock(0);

    private final Calls calls = Calls.on(this.executor, this.clock);

    private final List<String> ran = new ArrayList<>();

    @Test
    void callsSubmittedWhileTheLaneIsBusyAllRunOneAfterTheOtherInTheOrderSubmitted() {
        Calls.Lane lane = this.calls.lane("service");
        assertThat(lane.isBusy()).isFalse();
        for (String name : List.of("start", "poll", "stop", "start again")) {
            lane.submit(name, Calls.Kind.START, () -> this.ran.add(name), failure -> {});
        }

        assertThat(lane.isBusy()).isTrue();
        assertThat(this.executor.pending())
                .as("only the first call is handed to a thread")
                .isEqualTo(1);
        this.executor.runAll();

        assertThat(this.ran).containsExactly("start", "poll", "stop", "start again");
        assertThat(lane.isBusy()).isFalse();
    }

    @Test
    void anErrorFatalToTheJvmGoesOnToTheThreadOnceItsOutcomeIsHandled() {
        List<Throwable> outcomes = new ArrayList<>();
        Calls.Lane lane = this.calls.lane("service");
        lane.submit(
                "start",
                Calls.Kind.START,
                () -> {
                    throw new OutOfMemoryError("simulated");
                },
                outcomes::add);
        lane.submit(
                "stop",
                Calls.Kind.STOP,
                () -> {
                    throw new IllegalStateException("refused");
                },
                outcomes::add);

        assertThatThrownBy(this.executor::runNext).isInstanceOf(OutOfMemoryError.class);
        assertThat(outcomes).singleElement().isInstanceOf(OutOfMemoryError.class);

        assertThat(this.executor.runNext())
                .as("the lane goes on; an ordinary failure stays with the outcome")
                .isTrue();
        assertThat(outcomes).last().isInstanceOf(IllegalStateException.class);

        lane.submit(
                "poll",
                Calls.Kind.POLL,
                () -> {
                    throw new StackOverflowError("simulated");
                },
                outcomes::add);
        assertThatThrownBy(this.executor::runNext)
                .as("also from the lane's last call")
                .isInstanceOf(StackOverflowError.class);
        assertThat(lane.isBusy()).isFalse();
    }

    @Test
    void onlyACallAbandonedInsideUserCodeCountsAsStuckAndOnlyUntilItReturns() {
        Calls.Lane lane = this.calls.lane("service");
        Call returned = lane.submit("returned", Calls.Kind.POLL, () -> {}, failure -> {});
        this.executor.runAll();
        Call queued = this.calls.lane("service").submit("queued", Calls.Kind.POLL, () -> {}, failure -> {});

        assertThat(this.calls.abandon(returned)).isEqualTo(Call.Abandonment.RETURNED);
        assertThat(this.calls.abandon(queued)).isEqualTo(Call.Abandonment.NOT_BEGUN);
        assertThat(this.calls.stuckCalls()).isZero();

        List<Integer> stuckInside = new ArrayList<>();
        Call[] hung = new Call[1];
        hung[0] = lane.submit(
                "hung",
                Calls.Kind.POLL,
                () -> {
                    assertThat(this.calls.abandon(hung[0])).isEqualTo(Call.Abandonment.STUCK);
                    stuckInside.add(this.calls.stuckCalls());
                },
                failure -> stuckInside.add(this.calls.stuckCalls()));
        this.executor.runAll();

        assertThat(stuckInside)
                .as("while inside the code, then once it returned")
                .containsExactly(1, 0);
        assertThat(Thread.currentThread().isInterrupted())
                .as("the interrupt is cleared once the call returned")
                .isFalse();
    }

    @Test
    void anExecutorGivenFromOutsideIsNeverResizedForSlowCalls() {
        List<Integer> seenInside = new ArrayList<>();
        this.calls
                .lane("service")
                .submit(
                        "slow",
                        Calls.Kind.POLL,
                        () -> {
                            // An hour inside the call, while another waits for the executor.
                            this.clock.advance(Duration.ofHours(1));
                            this.calls.guard();
                            seenInside.add(this.executor.pending());
                            seenInside.add(this.calls.slowCalls());
                        },
                        failure -> {});
        this.calls.lane("service").submit("waiting", Calls.Kind.START, () -> this.ran.add("waiting"), failure -> {});

        assertThat(this.executor.runNext()).isTrue();

        assertThat(seenInside)
                .as("calls waiting, then slow calls given a thread")
                .containsExactly(1, 0);
        assertThat(this.calls.threadLimit()).isZero();
        assertThat(this.calls.threads()).isZero();
        this.executor.runAll();
        assertThat(this.ran).containsExactly("waiting");
    }

    @Test
    void anExecutorGivenFromOutsideIsLeftToItsOwnerAtShutdown() {
        ExecutorService owned = Executors.newSingleThreadExecutor();
        try {
            Calls.on(owned, new ManualClock(0)).shutdown();

            assertThat(owned.isShutdown()).isFalse();
        } finally {
            owned.shutdownNow();
        }
    }
}
