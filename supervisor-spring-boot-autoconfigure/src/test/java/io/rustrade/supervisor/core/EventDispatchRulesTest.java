package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustrade.supervisor.testing.ManualExecutor;
import io.rustrade.supervisor.testing.VirtualScheduler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The rules of {@link EventDispatcher}: who gets an event, what a listener's error costs, how deliveries are
 * handed to the event executor, and how a backlog of {@value EventDispatcher#MAX_BACKLOG} events is bounded
 * and told of. The control thread and the event executor run when the test says so.
 */
@ExtendWith(OutputCaptureExtension.class)
class EventDispatchRulesTest {

    private static final String BEHIND = "Supervision listeners are " + EventDispatcher.MAX_BACKLOG + " events behind";

    private static final String CAUGHT_UP = "Supervision listeners caught up";

    private final VirtualScheduler scheduler = new VirtualScheduler();

    private final ManualExecutor executor = new ManualExecutor();

    private final List<SupervisionEvent> delivered = new CopyOnWriteArrayList<>();

    private static SupervisionEvent registered(String service) {
        return new SupervisionEvent.Registered(service, Instant.EPOCH);
    }

    private EventDispatcher dispatcher(SupervisionListener... listeners) {
        return new EventDispatcher(this.scheduler, this.executor, List.of(listeners));
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

    private static int occurrences(CapturedOutput output, String text) {
        return output.getAll().split(java.util.regex.Pattern.quote(text), -1).length - 1;
    }
}
