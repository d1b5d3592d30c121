package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The rules of {@link Calls}, on its production pool: real threads, waits bounded by latches. */
class CallsTest {

    private final Calls calls = Calls.pool(NanoClock.system());

    /** Released at the end of every test, so that no stuck call outlives it. */
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releaseStuckCalls() {
        this.release.countDown();
        this.calls.shutdown();
    }

    /** User code that ignores interrupts until the test releases it. */
    private void stuck() {
        boolean interrupted = false;
        while (true) {
            try {
                if (this.release.await(5, TimeUnit.SECONDS)) {
                    break;
                }
            } catch (InterruptedException ex) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aLaneRunsItsCallsOneAtATimeInTheOrderSubmitted() throws Exception {
        Calls.Lane lane = this.calls.lane();
        AtomicInteger inside = new AtomicInteger();
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(20);
        for (int i = 0; i < 20; i++) {
            int call = i;
            lane.submit(
                    "call " + i,
                    Calls.Kind.STOP,
                    () -> {
                        seen.add(call + ":" + inside.incrementAndGet());
                        Thread.yield();
                        inside.decrementAndGet();
                    },
                    failure -> done.countDown());
        }

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).hasSize(20).allSatisfy(entry -> assertThat(entry).endsWith(":1"));
        assertThat(seen.get(0)).isEqualTo("0:1");
        assertThat(seen.get(19)).isEqualTo("19:1");
    }

    @Test
    void whenCallsWaitForAThreadStartsGoBeforeStopsAndPolls() throws Exception {
        CountDownLatch busy = new CountDownLatch(Calls.BASE_THREADS);
        CountDownLatch first = new CountDownLatch(1);
        for (int i = 0; i < Calls.BASE_THREADS; i++) {
            // One thread is freed first: it takes the waiting calls one by one, in their turn.
            CountDownLatch hold = (i == 0) ? first : this.release;
            this.calls
                    .lane()
                    .submit(
                            "busy " + i,
                            Calls.Kind.STOP,
                            () -> {
                                busy.countDown();
                                hold.await(5, TimeUnit.SECONDS);
                            },
                            failure -> {});
        }
        assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(4);
        this.calls.lane().submit("poll", Calls.Kind.POLL, () -> order.add("poll"), failure -> done.countDown());
        this.calls.lane().submit("stop 1", Calls.Kind.STOP, () -> order.add("stop 1"), failure -> done.countDown());
        this.calls.lane().submit("start", Calls.Kind.START, () -> order.add("start"), failure -> done.countDown());
        this.calls.lane().submit("stop 2", Calls.Kind.STOP, () -> order.add("stop 2"), failure -> done.countDown());

        first.countDown();

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactly("start", "stop 1", "stop 2", "poll");
    }

    @Test
    void aCallAbandonedBeforeItBeganNeverRuns() throws Exception {
        Calls.Lane lane = this.calls.lane();
        CountDownLatch first = new CountDownLatch(1);
        lane.submit("first", Calls.Kind.STOP, this::stuck, failure -> {});
        AtomicInteger ran = new AtomicInteger();
        Call second = lane.submit("second", Calls.Kind.STOP, ran::incrementAndGet, failure -> first.countDown());

        assertThat(this.calls.abandon(second)).isEqualTo(Call.Abandonment.NOT_BEGUN);
        this.release.countDown();
        Call third = lane.submit("third", Calls.Kind.STOP, () -> {}, failure -> first.countDown());

        assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).hasValue(0);
        assertThat(third.hasBegun()).isTrue();
    }

    @Test
    void aStuckCallHoldsItsOwnThreadAndThePoolGetsAnotherUntilItReturns() throws Exception {
        CountDownLatch entered = new CountDownLatch(Calls.BASE_THREADS);
        List<Call> stuckCalls = new CopyOnWriteArrayList<>();
        for (int i = 0; i < Calls.BASE_THREADS; i++) {
            stuckCalls.add(this.calls
                    .lane()
                    .submit(
                            "stuck " + i,
                            Calls.Kind.STOP,
                            () -> {
                                entered.countDown();
                                stuck();
                            },
                            failure -> {}));
        }
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        stuckCalls.forEach(call -> assertThat(this.calls.abandon(call)).isEqualTo(Call.Abandonment.STUCK));

        CountDownLatch healthy = new CountDownLatch(1);
        this.calls.lane().submit("healthy", Calls.Kind.STOP, () -> {}, failure -> healthy.countDown());

        assertThat(healthy.await(5, TimeUnit.SECONDS))
                .as("other services' calls do not wait behind stuck ones")
                .isTrue();
        assertThat(this.calls.stuckCalls()).isEqualTo(Calls.BASE_THREADS);
        assertThat(callThreads()).isLessThanOrEqualTo(2 * Calls.BASE_THREADS);

        this.release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> this.calls.stuckCalls() == 0);
    }

    @Test
    void anAbandonedCallsThreadIsInterruptedAndTheInterruptIsClearedOnceItReturns() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        AtomicReference<Boolean> interruptedInside = new AtomicReference<>();
        CountDownLatch returned = new CountDownLatch(1);
        Calls.Lane lane = this.calls.lane();
        Call call = lane.submit(
                "sleeper",
                Calls.Kind.STOP,
                () -> {
                    entered.countDown();
                    try {
                        // An interruptible wait, as most blocking calls are.
                        new CountDownLatch(1).await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException ex) {
                        interruptedInside.set(true);
                        Thread.currentThread().interrupt();
                    }
                },
                failure -> returned.countDown());
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

        assertThat(this.calls.abandon(call)).isIn(Call.Abandonment.STUCK, Call.Abandonment.RETURNED);
        assertThat(returned.await(5, TimeUnit.SECONDS)).isTrue();
        AtomicReference<Boolean> interruptedNext = new AtomicReference<>();
        CountDownLatch next = new CountDownLatch(1);
        lane.submit(
                "next",
                Calls.Kind.STOP,
                () -> interruptedNext.set(Thread.currentThread().isInterrupted()),
                failure -> next.countDown());

        assertThat(next.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(interruptedInside.get()).isTrue();
        assertThat(interruptedNext.get())
                .as("the next call does not inherit the interrupt")
                .isFalse();
    }

    @Test
    void whateverTheCodeThrowsReachesTheOutcomeOnce() throws Exception {
        List<Throwable> outcomes = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(3);
        Calls.Lane lane = this.calls.lane();
        lane.submit(
                "error",
                Calls.Kind.STOP,
                () -> {
                    throw new NoClassDefFoundError("Missing");
                },
                failure -> {
                    outcomes.add(failure);
                    done.countDown();
                });
        lane.submit(
                "oom",
                Calls.Kind.STOP,
                () -> {
                    throw new OutOfMemoryError("simulated");
                },
                failure -> {
                    outcomes.add(failure);
                    done.countDown();
                });
        lane.submit("fine", Calls.Kind.STOP, () -> {}, failure -> {
            outcomes.add(failure);
            done.countDown();
        });

        assertThat(done.await(5, TimeUnit.SECONDS))
                .as("the lane goes on after an error")
                .isTrue();
        assertThat(outcomes).hasSize(3);
        assertThat(outcomes.get(0)).isInstanceOf(NoClassDefFoundError.class);
        assertThat(outcomes.get(1)).isInstanceOf(OutOfMemoryError.class);
        assertThat(outcomes.get(2)).isNull();
    }

    private static long callThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("rustrade-supervisor-call-"))
                .count();
    }
}
