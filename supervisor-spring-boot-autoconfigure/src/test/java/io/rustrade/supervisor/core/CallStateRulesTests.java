package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rules of one {@link Call}, driven by hand on the test's thread: it begins at most once, tells whether it
 * has begun and when, says what abandoning it found, and shows where its thread is only while it runs.
 */
class CallStateRulesTests {

    private final Call call = new Call("start() of service 'feed'");

    @AfterEach
    void clearTheInterrupt() {
        Thread.interrupted();
    }

    @Test
    void aQueuedCallHasNotBegunAndOneThatBeganHasEvenOnceItReturned() {
        assertThat(this.call.hasBegun()).isFalse();

        assertThat(this.call.begin(Thread.currentThread(), 42)).isTrue();
        assertThat(this.call.hasBegun()).isTrue();
        assertThat(this.call.beganNanos()).isEqualTo(42);

        assertThat(this.call.end()).as("not abandoned").isFalse();
        assertThat(this.call.hasBegun()).isTrue();
    }

    @Test
    void aCallAbandonedBeforeItBeganNeverBeginsAndStaysNotBegun() {
        assertThat(this.call.abandon()).isEqualTo(Call.Abandonment.NOT_BEGUN);

        assertThat(this.call.begin(Thread.currentThread(), 42)).isFalse();
        assertThat(this.call.hasBegun()).isFalse();
        assertThat(this.call.abandon())
                .as("abandoned again, it still never began")
                .isEqualTo(Call.Abandonment.NOT_BEGUN);
    }

    @Test
    void aCallThatReturnedIsNotInterruptedWhenAbandonedAfterwards() {
        this.call.begin(Thread.currentThread(), 0);
        this.call.end();

        assertThat(this.call.abandon()).isEqualTo(Call.Abandonment.RETURNED);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aCallAbandonedWhileItRunsInterruptsItsThreadUntilItReturns() {
        this.call.begin(Thread.currentThread(), 0);

        assertThat(this.call.abandon()).isEqualTo(Call.Abandonment.STUCK);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();

        assertThat(this.call.end()).as("abandoned meanwhile").isTrue();
        assertThat(Thread.currentThread().isInterrupted())
                .as("the interrupt was meant for the call only")
                .isFalse();
    }

    @Test
    void aCallShowsWhereItsThreadIsWhileItRunsAndNothingOnceItReturned() {
        assertThat(this.call.stack()).as("not begun").isEmpty();
        this.call.begin(Thread.currentThread(), 0);

        assertThat(this.call.stack())
                .anySatisfy(frame -> assertThat(frame.getMethodName())
                        .isEqualTo("aCallShowsWhereItsThreadIsWhileItRunsAndNothingOnceItReturned"));

        this.call.end();
        assertThat(this.call.stack()).isEmpty();
    }
}
