package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustrade.supervisor.testing.VirtualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link Calls}, on its production pool: real threads, waits bounded by latches. The calls are
 * timed, and the starvation guard run, on virtual time that moves only when a test moves it: how long a call
 * has run is what the test says, whatever the machine's speed.
 */
class CallsTests {

    private final VirtualScheduler scheduler = new VirtualScheduler();

    private final Calls calls = Calls.pool(this.scheduler);

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
        Calls.Lane lane = this.calls.lane("service");
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
                    .lane("service")
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
        this.calls
                .lane("service")
                .submit("poll", Calls.Kind.POLL, () -> order.add("poll"), failure -> done.countDown());
        this.calls
                .lane("service")
                .submit("stop 1", Calls.Kind.STOP, () -> order.add("stop 1"), failure -> done.countDown());
        this.calls
                .lane("service")
                .submit("start", Calls.Kind.START, () -> order.add("start"), failure -> done.countDown());
        this.calls
                .lane("service")
                .submit("stop 2", Calls.Kind.STOP, () -> order.add("stop 2"), failure -> done.countDown());

        first.countDown();

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactly("start", "stop 1", "stop 2", "poll");
    }

    @Test
    void aCallAbandonedBeforeItBeganNeverRuns() throws Exception {
        Calls.Lane lane = this.calls.lane("service");
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
                    .lane("service")
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
        this.calls.lane("service").submit("healthy", Calls.Kind.STOP, () -> {}, failure -> healthy.countDown());

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
        Calls.Lane lane = this.calls.lane("service");
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
        Calls.Lane lane = this.calls.lane("service");
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

    @Test
    void aCallWaitingBehindSlowCallsGetsAThreadOnceTheyHaveRunTheSlowCallTime() throws Exception {
        occupyEveryBaseThread(this.calls, this.release);
        CountDownLatch healthy = new CountDownLatch(1);
        Call start = this.calls
                .lane("service")
                .submit("start() of another service", Calls.Kind.START, () -> {}, failure -> healthy.countDown());
        assertThat(this.scheduler.pendingTimers())
                .as("a call waits for a thread: the guard is armed")
                .isEqualTo(1);

        this.scheduler.advance(Duration.ofMillis(Calls.SLOW_CALL_MILLIS - 1));

        assertThat(start.hasBegun()).as("the calls under way are not slow yet").isFalse();
        assertThat(this.calls.threadLimit()).isEqualTo(Calls.BASE_THREADS);

        this.scheduler.advance(Duration.ofMillis(1));

        assertThat(healthy.await(5, TimeUnit.SECONDS))
                .as("the waiting call got a thread once the others were slow")
                .isTrue();
        assertThat(this.calls.slowCalls()).isEqualTo(Calls.BASE_THREADS);
        assertThat(this.calls.threadLimit()).isEqualTo(2 * Calls.BASE_THREADS);
        assertThat(this.calls.stuckCalls()).as("slow is not stuck").isZero();

        this.release.countDown();
        await().atMost(Duration.ofSeconds(5))
                .alias("each slow call gives its thread back when it returns")
                .until(() -> this.calls.slowCalls() == 0
                        && this.calls.threadLimit() == Calls.BASE_THREADS
                        && this.calls.threads() <= Calls.BASE_THREADS);
    }

    @Test
    void callsQuickerThanTheSlowCallTimeNeverGrowThePoolHoweverManyWait() throws Exception {
        CountDownLatch firstWave = new CountDownLatch(1);
        occupyEveryBaseThread(this.calls, firstWave);
        // A second wave waits for the threads, and ten thousand quick starts behind it: the guard is armed.
        CountDownLatch secondWave = new CountDownLatch(1);
        CountDownLatch secondEntered = new CountDownLatch(Calls.BASE_THREADS);
        for (int i = 0; i < Calls.BASE_THREADS; i++) {
            this.calls
                    .lane("service")
                    .submit(
                            "second " + i,
                            Calls.Kind.START,
                            () -> {
                                secondEntered.countDown();
                                secondWave.await(5, TimeUnit.SECONDS);
                            },
                            failure -> {});
        }
        int storm = 10_000;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(storm);
        for (int i = 0; i < storm; i++) {
            this.calls
                    .lane("service")
                    .submit(
                            "quick " + i,
                            Calls.Kind.START,
                            () -> {
                                mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                                inside.decrementAndGet();
                            },
                            failure -> done.countDown());
        }
        this.scheduler.advance(Duration.ofMillis(Calls.SLOW_CALL_MILLIS / 2));
        firstWave.countDown();
        assertThat(secondEntered.await(5, TimeUnit.SECONDS)).isTrue();

        // The guard looks while ten thousand calls wait; the calls holding the threads began 50 ms ago.
        this.scheduler.advance(Duration.ofMillis(Calls.SLOW_CALL_MILLIS / 2));

        assertThat(this.calls.slowCalls()).isZero();
        assertThat(this.calls.threadLimit()).isEqualTo(Calls.BASE_THREADS);
        assertThat(done.getCount()).as("the storm still waits").isEqualTo(storm);
        secondWave.countDown();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mostInside.get()).isLessThanOrEqualTo(Calls.BASE_THREADS);
        assertThat(this.calls.threadLimit()).isEqualTo(Calls.BASE_THREADS);
        assertThat(this.calls.threads()).isLessThanOrEqualTo(Calls.BASE_THREADS);
    }

    @Test
    void slowCallsGetThreadsOfTheirOwnUpToTheBoundAndOneAbandonedKeepsItsThreadAsAStuckCall() throws Exception {
        Calls capped = Calls.pool(this.scheduler, 2);
        try {
            List<Call> slow = new ArrayList<>(occupyEveryBaseThread(capped, this.release));
            CountDownLatch moreEntered = new CountDownLatch(2);
            for (int i = 0; i < 2; i++) {
                slow.add(capped.lane("service")
                        .submit(
                                "more " + i,
                                Calls.Kind.POLL,
                                () -> {
                                    moreEntered.countDown();
                                    stuck();
                                },
                                failure -> {}));
            }
            CountDownLatch healthy = new CountDownLatch(1);
            Call poll = capped.lane("service")
                    .submit(
                            "isRunning() of another service",
                            Calls.Kind.POLL,
                            () -> {},
                            failure -> healthy.countDown());

            this.scheduler.advance(Duration.ofMillis(Calls.SLOW_CALL_MILLIS));

            assertThat(moreEntered.await(5, TimeUnit.SECONDS))
                    .as("two slow calls got a thread of their own: the next two calls run")
                    .isTrue();
            assertThat(capped.slowCalls()).isEqualTo(2);
            assertThat(capped.threadLimit()).isEqualTo(Calls.BASE_THREADS + 2);

            this.scheduler.advance(Duration.ofMillis(Calls.SLOW_CALL_MILLIS));

            assertThat(capped.slowCalls()).as("no more than the bound").isEqualTo(2);
            assertThat(capped.threadLimit()).isEqualTo(Calls.BASE_THREADS + 2);
            assertThat(poll.hasBegun())
                    .as("every thread is held: the call waits")
                    .isFalse();

            slow.forEach(call -> assertThat(capped.abandon(call)).isEqualTo(Call.Abandonment.STUCK));

            assertThat(healthy.await(5, TimeUnit.SECONDS))
                    .as("stuck calls each get a thread, outside the bound")
                    .isTrue();
            assertThat(capped.stuckCalls()).isEqualTo(6);
            assertThat(capped.slowCalls()).isZero();
            assertThat(capped.threadLimit())
                    .as("a slow call abandoned keeps the thread it had: not a second one")
                    .isEqualTo(Calls.BASE_THREADS + 6);

            this.release.countDown();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> capped.stuckCalls() == 0 && capped.threadLimit() == Calls.BASE_THREADS);
        } finally {
            this.release.countDown();
            capped.shutdown();
        }
    }

    /** Holds every base thread of {@code pool} with a call on a lane of its own until {@code hold} opens. */
    private List<Call> occupyEveryBaseThread(Calls pool, CountDownLatch hold) throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(Calls.BASE_THREADS);
        List<Call> held = new ArrayList<>();
        for (int i = 0; i < Calls.BASE_THREADS; i++) {
            held.add(pool.lane("service")
                    .submit(
                            "held " + i,
                            Calls.Kind.POLL,
                            () -> {
                                entered.countDown();
                                if (hold == this.release) {
                                    stuck();
                                } else {
                                    hold.await(5, TimeUnit.SECONDS);
                                }
                            },
                            failure -> {}));
        }
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        return held;
    }

    private static long callThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("rustrade-supervisor-call-"))
                .count();
    }
}
