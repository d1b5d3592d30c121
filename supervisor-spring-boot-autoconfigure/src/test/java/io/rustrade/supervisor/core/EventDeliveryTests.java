package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.testing.FakeLifecycle;
import io.rustrade.supervisor.testing.ManualExecutor;
import io.rustrade.supervisor.testing.VirtualScheduler;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * How events reach listeners: on the event executors, in order, only to listeners there when they happened;
 * the internal listeners on an executor of their own, which no other listener can hold up.
 */
class EventDeliveryTests {

    private final VirtualScheduler scheduler = new VirtualScheduler();

    private final ManualExecutor events = new ManualExecutor();

    private final ManualExecutor internalEvents = new ManualExecutor();

    private final List<SupervisionEvent> early = new CopyOnWriteArrayList<>();

    private final SupervisorEngine engine = SupervisorEngine.builder()
            .scheduler(this.scheduler)
            .callExecutor(new ManualExecutor())
            .runLauncher(new ManualExecutor())
            .eventExecutor(this.events)
            .internalEventExecutor(this.internalEvents)
            .watchdogInterval(java.time.Duration.ZERO)
            .listener(this.early::add)
            .build();

    @Test
    void aListenerAddedWhileEventsAwaitDeliveryDoesNotGetThem() {
        this.engine.registerBean(
                "feed", new FakeLifecycle(), EngineFixture.exact().build());
        this.scheduler.runControlTasks();
        List<SupervisionEvent> late = new CopyOnWriteArrayList<>();

        this.engine.addListener(late::add);
        this.events.runAll();

        assertThat(this.early).hasSize(1).first().isInstanceOf(SupervisionEvent.Registered.class);
        assertThat(late).isEmpty();

        this.engine.registerBean(
                "gateway", new FakeLifecycle(), EngineFixture.exact().build());
        this.scheduler.runControlTasks();
        this.events.runAll();

        assertThat(late).hasSize(1);
        assertThat(this.early).hasSize(2);
    }

    @Test
    void whenAppliedCompletesOnceEarlierCommandsAreAppliedWithoutWaitingForDelivery() {
        this.engine.registerBean(
                "feed", new FakeLifecycle(), EngineFixture.exact().build());

        CompletableFuture<Void> applied = this.engine.whenApplied();
        assertThat(applied).isNotDone();
        this.scheduler.runControlTasks();

        assertThat(applied).isDone();
        assertThat(this.early)
                .as("the registration's event is not delivered yet")
                .isEmpty();
    }

    @Test
    void whenDeliveredCompletesOnceEarlierCommandsAreAppliedAndTheirEventsDelivered() {
        this.engine.registerBean(
                "feed", new FakeLifecycle(), EngineFixture.exact().build());

        CompletableFuture<Void> delivered = this.engine.whenDelivered();
        this.scheduler.runControlTasks();

        assertThat(delivered)
                .as("the registration's event is not delivered yet")
                .isNotDone();
        this.events.runAll();
        assertThat(delivered).isDone();
        assertThat(this.early).hasSize(1);
    }

    @Test
    void aRemovedListenerIsNotToldOfLaterEventsButGetsThoseThatHappenedBefore() {
        List<SupervisionEvent> removed = new CopyOnWriteArrayList<>();
        SupervisionListener listener = removed::add;
        this.engine.addListener(listener);
        this.engine.registerBean(
                "feed", new FakeLifecycle(), EngineFixture.exact().build());
        this.scheduler.runControlTasks();

        assertThat(this.engine.removeListener(listener)).isTrue();
        this.engine.registerBean(
                "gateway", new FakeLifecycle(), EngineFixture.exact().build());
        this.scheduler.runControlTasks();
        this.events.runAll();

        assertThat(removed)
                .singleElement()
                .extracting(SupervisionEvent::service)
                .isEqualTo("feed");
        assertThat(this.early).hasSize(2);
        assertThat(this.engine.removeListener(listener))
                .as("a listener no longer there")
                .isFalse();
    }

    @Test
    void theEventsOfABurstOfWorkReachTheEventExecutorInOneHandOverAndInOrder() {
        for (String name : List.of("feed", "gateway", "reconciler")) {
            this.engine.registerBean(
                    name, new FakeLifecycle(), EngineFixture.exact().build());
        }

        this.scheduler.runControlTasks();

        assertThat(this.events.pending())
                .as("one hand-over for the three registrations")
                .isEqualTo(1);
        this.events.runAll();
        assertThat(this.early).extracting(SupervisionEvent::service).containsExactly("feed", "gateway", "reconciler");
    }

    @Test
    void aListenerThatThrowsAnErrorCostsNeitherTheOtherListenersNorLaterEventsTheirDelivery() {
        List<SupervisionEvent> others = new CopyOnWriteArrayList<>();
        this.engine.addListener(event -> {
            throw new AssertionError("a broken listener");
        });
        this.engine.addListener(others::add);
        for (String name : List.of("feed", "gateway", "reconciler")) {
            this.engine.registerBean(
                    name, new FakeLifecycle(), EngineFixture.exact().build());
        }
        CompletableFuture<Void> delivered = this.engine.whenDelivered();

        this.scheduler.runControlTasks();
        this.events.runAll();

        assertThat(others).hasSize(3);
        assertThat(delivered).isDone();
    }

    @Test
    void anInternalListenerHearsEveryEventInOrderWhileAnotherListenerIsBlocked() {
        List<SupervisionEvent> internal = new CopyOnWriteArrayList<>();
        this.engine.addInternalListener(internal::add);
        for (String name : List.of("feed", "gateway", "reconciler")) {
            this.engine.registerBean(
                    name, new FakeLifecycle(), EngineFixture.exact().build());
        }
        CompletableFuture<Void> delivered = this.engine.whenDelivered();

        // The other listeners' executor is never run: they are blocked.
        this.scheduler.runControlTasks();
        this.internalEvents.runAll();

        assertThat(internal).extracting(SupervisionEvent::service).containsExactly("feed", "gateway", "reconciler");
        assertThat(this.early).isEmpty();
        assertThat(delivered).as("delivered to the internal listeners only").isNotDone();
        this.events.runAll();
        assertThat(delivered).isDone();
        assertThat(this.early).hasSize(3);
    }

    @Test
    void givenOnlyAnEventExecutorTheInternalListenersAreDeliveredOnItToo() {
        ManualExecutor shared = new ManualExecutor();
        SupervisorEngine engine = SupervisorEngine.builder()
                .scheduler(this.scheduler)
                .callExecutor(new ManualExecutor())
                .runLauncher(new ManualExecutor())
                .eventExecutor(shared)
                .watchdogInterval(java.time.Duration.ZERO)
                .build();
        List<SupervisionEvent> internal = new CopyOnWriteArrayList<>();
        engine.addInternalListener(internal::add);
        engine.addListener(this.early::add);

        engine.registerBean("feed", new FakeLifecycle(), EngineFixture.exact().build());
        this.scheduler.runControlTasks();

        assertThat(shared.pending()).as("one batch per lane").isEqualTo(2);
        shared.runAll();
        assertThat(internal).hasSize(1);
        assertThat(this.early).hasSize(1);
    }
}
