package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rustrade.supervisor.ReleasedFailureException;
import io.rustrade.supervisor.core.internal.CapturedFailure;
import io.rustrade.supervisor.testing.ManualExecutor;
import io.rustrade.supervisor.testing.VirtualScheduler;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The rules of {@link EventDispatcher}: who gets an event, what a listener's error costs, how deliveries are
 * handed to the event executors, how a backlog of {@value EventDispatcher#MAX_BACKLOG} events is bounded
 * and told of, and how the internal listeners' lane is kept apart from the others'. The control thread and
 * the event executors run when the test says so: an executor the test does not run is a listener blocked.
 */
@ExtendWith(OutputCaptureExtension.class)
class EventDispatchRulesTests {

    private static final String BEHIND = "Supervision listeners are " + EventDispatcher.MAX_BACKLOG + " events behind";

    private static final String CAUGHT_UP = "Supervision listeners caught up";

    private static final String INTERNAL_BEHIND = "The supervisor's internal listeners (its log, its meters) are "
            + EventDispatcher.MAX_BACKLOG + " events behind";

    private static final int ORIGINALS = EventDispatcher.MAX_WAITING_ORIGINALS;

    private final VirtualScheduler scheduler = new VirtualScheduler();

    private final ManualExecutor executor = new ManualExecutor();

    private final ManualExecutor internalExecutor = new ManualExecutor();

    private final List<SupervisionEvent> delivered = new CopyOnWriteArrayList<>();

    private static SupervisionEvent registered(String service) {
        return new SupervisionEvent.Registered(service, Instant.EPOCH);
    }

    private EventDispatcher dispatcher(SupervisionListener... listeners) {
        return new EventDispatcher(this.scheduler, this.executor, this.internalExecutor, List.of(listeners));
    }

    /** Emits the events in one burst of control-thread work, handed over once it ends. */
    private void burst(EventDispatcher dispatcher, int events) {
        SupervisionEvent event = registered("feed");
        for (int i = 0; i < events; i++) {
            dispatcher.emit(event);
        }
        this.scheduler.runControlTasks();
    }

    @Test
    void withNoListenerNeitherTheControlThreadNorTheEventExecutorIsBothered() {
        EventDispatcher dispatcher = dispatcher();

        dispatcher.emit(registered("feed"));
        this.scheduler.runControlTasks();

        assertThat(this.scheduler.posted()).isZero();
        assertThat(this.executor.pending()).isZero();
    }

    @Test
    void aBurstOfEventsCostsTheControlThreadOneHandOver(CapturedOutput output) {
        EventDispatcher dispatcher = dispatcher(this.delivered::add);

        burst(dispatcher, 3);

        assertThat(this.scheduler.posted()).isEqualTo(1);
        assertThat(this.executor.pending()).isEqualTo(1);
        this.executor.runAll();
        assertThat(this.delivered).hasSize(3);
        assertThat(output).as("nothing failed").doesNotContain("A supervision listener failed");
    }

    @Test
    void aListenerRemovedFromBetweenOthersLeavesTheOthersTheirEventsOnce() {
        List<SupervisionEvent> first = new ArrayList<>();
        List<SupervisionEvent> middle = new ArrayList<>();
        List<SupervisionEvent> last = new ArrayList<>();
        SupervisionListener removed = middle::add;
        EventDispatcher dispatcher = dispatcher(first::add, removed, last::add);

        assertThat(dispatcher.removeListener(removed)).isTrue();
        burst(dispatcher, 1);
        this.executor.runAll();

        assertThat(first).hasSize(1);
        assertThat(middle).isEmpty();
        assertThat(last).hasSize(1);
    }

    @Test
    void theFirstErrorFatalToTheJvmGoesOnOnceEveryListenerHadTheEvent() {
        OutOfMemoryError first = new OutOfMemoryError("first");
        EventDispatcher dispatcher = dispatcher(
                event -> {
                    throw first;
                },
                event -> {
                    throw new StackOverflowError("second");
                },
                this.delivered::add);
        burst(dispatcher, 1);

        assertThatThrownBy(this.executor::runNext).isSameAs(first);
        assertThat(this.delivered).hasSize(1);
    }

    @Test
    void afterAnErrorFatalToTheJvmTheRestOfTheBatchIsStillDelivered() {
        List<Boolean> deliveringInside = new ArrayList<>();
        EventDispatcher[] dispatcher = new EventDispatcher[1];
        dispatcher[0] = dispatcher(event -> {
            deliveringInside.add(dispatcher[0].isDelivering());
            if (this.delivered.isEmpty()) {
                this.delivered.add(event);
                throw new OutOfMemoryError("simulated");
            }
            this.delivered.add(event);
        });
        dispatcher[0].emit(registered("feed"));
        dispatcher[0].emit(registered("quotes"));
        this.scheduler.runControlTasks();

        assertThatThrownBy(this.executor::runNext).isInstanceOf(OutOfMemoryError.class);
        this.executor.runAll();

        assertThat(this.delivered).extracting(SupervisionEvent::service).containsExactly("feed", "quotes");
        assertThat(deliveringInside).containsExactly(true, true);
        assertThat(dispatcher[0].isDelivering())
                .as("the thread is no longer delivering once the batch is over")
                .isFalse();
    }

    @Test
    void aListenerThatThrowsIsLoggedWithTheEvent(CapturedOutput output) {
        EventDispatcher dispatcher = dispatcher(event -> {
            throw new IllegalStateException("listener broken");
        });
        burst(dispatcher, 1);

        this.executor.runAll();

        assertThat(output).contains("A supervision listener failed on Registered[service=feed");
    }

    @Test
    void eventsBeyondTheBacklogAreDroppedAndCountedWithOneWarningUntilListenersCaughtUp(CapturedOutput output) {
        EventDispatcher dispatcher = dispatcher(event -> {});
        int half = EventDispatcher.MAX_BACKLOG / 2;
        burst(dispatcher, half);
        burst(dispatcher, half);

        burst(dispatcher, 2);

        assertThat(dispatcher.dropped()).isEqualTo(2);
        assertThat(occurrences(output, BEHIND)).isEqualTo(1);

        this.executor.runNext();
        burst(dispatcher, 1);

        assertThat(dispatcher.dropped()).as("half the backlog left: room again").isEqualTo(2);
        assertThat(occurrences(output, CAUGHT_UP))
                .as("not caught up while half the backlog still waits")
                .isZero();

        this.executor.runAll();
        burst(dispatcher, 1);
        burst(dispatcher, 1);

        assertThat(occurrences(output, CAUGHT_UP)).isEqualTo(1);
        assertThat(output).contains(CAUGHT_UP + "; 2 events were dropped for them since the start");

        this.executor.runAll();
        burst(dispatcher, EventDispatcher.MAX_BACKLOG + 1);

        assertThat(dispatcher.dropped()).isEqualTo(3);
        assertThat(occurrences(output, BEHIND))
                .as("falling behind again is told again")
                .isEqualTo(2);
    }

    // ------------------------------------------------------------------ lanes

    @Test
    void aBurstReachesBothLanesInOneHandOverAndEveryListenerInOrder() {
        List<SupervisionEvent> internal = new ArrayList<>();
        EventDispatcher dispatcher = dispatcher(this.delivered::add);
        dispatcher.addInternalListener(internal::add);

        for (String service : List.of("feed", "quotes", "orders")) {
            dispatcher.emit(registered(service));
        }
        this.scheduler.runControlTasks();

        assertThat(this.scheduler.posted()).isEqualTo(1);
        assertThat(this.executor.pending()).isEqualTo(1);
        assertThat(this.internalExecutor.pending()).isEqualTo(1);
        this.executor.runAll();
        this.internalExecutor.runAll();
        assertThat(this.delivered).extracting(SupervisionEvent::service).containsExactly("feed", "quotes", "orders");
        assertThat(internal).extracting(SupervisionEvent::service).containsExactly("feed", "quotes", "orders");
    }

    @Test
    void aBlockedListenerHoldsUpOnlyTheListenersOfItsLaneWhichAloneHaveEventsDropped(CapturedOutput output) {
        List<SupervisionEvent> internal = new ArrayList<>();
        // Its executor is never run: the listener is blocked on its first event.
        EventDispatcher dispatcher = dispatcher(event -> {});
        dispatcher.addInternalListener(internal::add);
        burst(dispatcher, EventDispatcher.MAX_BACKLOG);
        this.internalExecutor.runAll();

        dispatcher.emit(registered("quotes"));
        dispatcher.emit(registered("orders"));
        this.scheduler.runControlTasks();
        this.internalExecutor.runAll();

        assertThat(internal).hasSize(EventDispatcher.MAX_BACKLOG + 2);
        assertThat(internal.subList(EventDispatcher.MAX_BACKLOG, internal.size()))
                .extracting(SupervisionEvent::service)
                .containsExactly("quotes", "orders");
        assertThat(dispatcher.dropped()).isEqualTo(2);
        assertThat(occurrences(output, BEHIND)).isEqualTo(1);
        assertThat(output).doesNotContain(INTERNAL_BEHIND);
    }

    @Test
    void eventsDroppedForTheInternalListenersAreCountedAndToldOfToo(CapturedOutput output) {
        EventDispatcher dispatcher = dispatcher(this.delivered::add);
        // Its executor is never run: the internal listener is blocked.
        dispatcher.addInternalListener(event -> {});
        burst(dispatcher, EventDispatcher.MAX_BACKLOG);
        this.executor.runAll();

        burst(dispatcher, 3);
        this.executor.runAll();

        assertThat(this.delivered).hasSize(EventDispatcher.MAX_BACKLOG + 3);
        assertThat(dispatcher.dropped()).isEqualTo(3);
        assertThat(occurrences(output, INTERNAL_BEHIND)).isEqualTo(1);
        assertThat(output).doesNotContain(BEHIND);
    }

    @Test
    void whenDeliveredWaitsForBothLanesAndForNoLaneWithNothingWaiting() {
        EventDispatcher dispatcher = dispatcher(this.delivered::add);
        dispatcher.addInternalListener(event -> {});
        dispatcher.emit(registered("feed"));
        CompletableFuture<Void> delivered = new CompletableFuture<>();
        dispatcher.whenDelivered(delivered);
        this.scheduler.runControlTasks();

        this.internalExecutor.runAll();
        assertThat(delivered).as("the other lane has not delivered yet").isNotDone();
        this.executor.runAll();
        assertThat(delivered).isDone();

        CompletableFuture<Void> again = new CompletableFuture<>();
        dispatcher.whenDelivered(again);
        this.scheduler.runControlTasks();
        assertThat(this.internalExecutor.pending())
                .as("nothing waits for the internal listeners")
                .isZero();
        this.executor.runAll();
        assertThat(again).isDone();
    }

    @Test
    void anInternalListenerIsRemovedAsAnyOtherAndListenersOfEitherLaneDeliverWhileDelivering() {
        List<Boolean> deliveringInside = new ArrayList<>();
        EventDispatcher[] dispatcher = new EventDispatcher[1];
        SupervisionListener internal = event -> deliveringInside.add(dispatcher[0].isDelivering());
        dispatcher[0] = dispatcher(event -> deliveringInside.add(dispatcher[0].isDelivering()));
        dispatcher[0].addInternalListener(internal);
        burst(dispatcher[0], 1);
        this.executor.runAll();
        this.internalExecutor.runAll();

        assertThat(deliveringInside).containsExactly(true, true);
        assertThat(dispatcher[0].removeListener(internal)).isTrue();
        burst(dispatcher[0], 1);
        assertThat(this.internalExecutor.pending()).isZero();
        assertThat(dispatcher[0].removeListener(internal)).isFalse();
    }

    // ------------------------------------------------------------------ failures waiting

    @Test
    void failuresWaitingBehindTheFirstOnesHoldNoExceptionOfTheUsers() {
        List<SupervisionEvent> heard = new ArrayList<>();
        EventDispatcher dispatcher = dispatcher(heard::add);
        int failures = 100;

        // The listener is blocked: its executor is not run.
        List<WeakReference<Throwable>> exceptions = emitMegabyteFailures(dispatcher, failures);
        this.scheduler.runControlTasks();

        assertThat(dispatcher.waitingOriginals()).isEqualTo(ORIGINALS);
        await("the exceptions of the failures beyond the first %d are collected".formatted(ORIGINALS))
                .atMost(Duration.ofSeconds(5))
                .until(() -> {
                    System.gc();
                    return exceptions.subList(ORIGINALS, failures).stream().allMatch(ref -> ref.get() == null);
                });

        this.executor.runAll();

        assertThat(heard).hasSize(failures);
        assertThat(dispatcher.waitingOriginals()).isZero();
        for (int i = 0; i < failures; i++) {
            SupervisionEvent.Failed failed = (SupervisionEvent.Failed) heard.get(i);
            assertThat(failed.attempt()).isEqualTo(i + 1);
            assertThat(failed.failure().description())
                    .startsWith("java.lang.IllegalStateException: " + i + " xxx")
                    .hasSize("java.lang.IllegalStateException: ".length() + CapturedFailure.MAX_MESSAGE_LENGTH);
            if (i < ORIGINALS) {
                assertThat(failed.cause()).isSameAs(exceptions.get(i).get());
                continue;
            }
            assertThat(failed.cause())
                    .isInstanceOfSatisfying(
                            ReleasedFailureException.class,
                            released -> assertThat(released.originalClassName())
                                    .isEqualTo(IllegalStateException.class.getName()))
                    .hasMessage(failed.failure().description())
                    .hasNoCause();
            assertThat(failed.cause().getStackTrace()).isEmpty();
            assertThat(failed.failure().hasInChain(java.util.Set.of(IllegalStateException.class)))
                    .as("what decides whether a failure is fatal is kept")
                    .isTrue();
        }
    }

    @Test
    void onlyTheLaneThatIsBehindGetsFailuresWithoutTheirExceptionAndOnlyWhileBehind() {
        List<SupervisionEvent> internal = new ArrayList<>();
        EventDispatcher dispatcher = dispatcher(this.delivered::add);
        dispatcher.addInternalListener(internal::add);
        int failures = ORIGINALS + 4;
        for (int i = 0; i < failures; i++) {
            dispatcher.emit(failed(new IllegalStateException("lost " + i)));
            this.scheduler.runControlTasks();
            this.internalExecutor.runAll();
        }
        this.executor.runAll();

        dispatcher.emit(failed(new IllegalStateException("lost again")));
        this.scheduler.runControlTasks();
        this.executor.runAll();
        this.internalExecutor.runAll();

        assertThat(causes(internal)).hasSize(failures + 1).allMatch(IllegalStateException.class::isInstance);
        assertThat(causes(this.delivered).subList(0, ORIGINALS)).allMatch(IllegalStateException.class::isInstance);
        assertThat(causes(this.delivered).subList(ORIGINALS, failures))
                .allMatch(ReleasedFailureException.class::isInstance);
        assertThat(causes(this.delivered).get(failures))
                .as("caught up: the exception again")
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("lost again");
    }

    /**
     * Emits failures whose exceptions carry a message of 1 MB each, keeping only weak references to them; in a
     * method of its own, so that no local variable of the test keeps the last one.
     */
    private static List<WeakReference<Throwable>> emitMegabyteFailures(EventDispatcher dispatcher, int failures) {
        String megabyte = "x".repeat(1024 * 1024);
        List<WeakReference<Throwable>> exceptions = new ArrayList<>();
        for (int i = 0; i < failures; i++) {
            IllegalStateException exception = new IllegalStateException(i + " " + megabyte);
            exceptions.add(new WeakReference<>(exception));
            dispatcher.emit(new SupervisionEvent.Failed("feed", Instant.EPOCH, exception, i + 1, null, null));
        }
        return exceptions;
    }

    private static SupervisionEvent failed(Throwable exception) {
        return new SupervisionEvent.Failed("feed", Instant.EPOCH, exception, 1, null, Duration.ofMillis(10));
    }

    private static List<Throwable> causes(List<SupervisionEvent> events) {
        return events.stream()
                .map(event -> ((SupervisionEvent.Failed) event).cause())
                .toList();
    }

    private static int occurrences(CapturedOutput output, String text) {
        return output.getAll().split(java.util.regex.Pattern.quote(text), -1).length - 1;
    }
}
