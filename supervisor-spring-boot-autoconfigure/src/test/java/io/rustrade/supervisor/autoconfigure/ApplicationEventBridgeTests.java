package io.rustrade.supervisor.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustrade.supervisor.Supervisor;
import io.rustrade.supervisor.core.SupervisionEvent;
import io.rustrade.supervisor.event.ServiceFailedEvent;
import io.rustrade.supervisor.event.ServiceStartedEvent;
import io.rustrade.supervisor.event.SupervisorApplicationEvent;
import io.rustrade.supervisor.testing.Feed;
import io.rustrade.supervisor.testing.WaitingListener;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;

/** The supervisor's application events reach every listener, in order, whatever another listener does. */
class ApplicationEventBridgeTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(SupervisorAutoConfiguration.class, LifecycleAutoConfiguration.class))
            .withPropertyValues(
                    "rustrade.supervisor.backoff.base-delay=10ms", "rustrade.supervisor.backoff.jitter=none")
            .withBean("feed", Feed.class, () -> new Feed("feed").failingFirst(1))
            .withBean("other", Feed.class, () -> new Feed("other"))
            .withBean(OrderedListeners.class);

    /** Listeners in a known order: the first throws on every event. */
    static class OrderedListeners {

        final List<String> calls = new CopyOnWriteArrayList<>();

        final List<SupervisorApplicationEvent> afterTheThrower = new CopyOnWriteArrayList<>();

        final List<ServiceStartedEvent> feedStarts = new CopyOnWriteArrayList<>();

        final List<SupervisorApplicationEvent> failures = new CopyOnWriteArrayList<>();

        @EventListener
        @Order(1)
        void thrower(SupervisorApplicationEvent event) {
            this.calls.add("thrower");
            throw new IllegalStateException("listener bug");
        }

        @EventListener
        @Order(2)
        void recorder(SupervisorApplicationEvent event) {
            this.calls.add("recorder");
            this.afterTheThrower.add(event);
        }

        @EventListener(condition = "#event.serviceName == 'feed'")
        @Order(3)
        void feedStarted(ServiceStartedEvent event) {
            this.feedStarts.add(event);
        }

        @EventListener
        @Order(4)
        void failed(ServiceFailedEvent event) {
            this.failures.add(event);
        }
    }

    @Test
    void aListenerOrderedAfterOneThatThrowsStillGetsEveryEvent() {
        this.runner.run(context -> {
            OrderedListeners listeners = context.getBean(OrderedListeners.class);
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(listeners.afterTheThrower)
                            .extracting(Object::getClass)
                            .containsSubsequence(ServiceFailedEvent.class, ServiceStartedEvent.class));
            assertThat(listeners.calls).startsWith("thrower", "recorder", "thrower", "recorder");
        });
    }

    @Test
    void theConditionsOfEventListenersAreHonoured() {
        this.runner.run(context -> {
            OrderedListeners listeners = context.getBean(OrderedListeners.class);
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(listeners.afterTheThrower)
                            .filteredOn(ServiceStartedEvent.class::isInstance)
                            .extracting(SupervisorApplicationEvent::getServiceName)
                            .contains("feed", "other"));
            assertThat(listeners.feedStarts)
                    .extracting(SupervisorApplicationEvent::getServiceName)
                    .containsOnly("feed");
        });
    }

    @Test
    void aListenerGetsOnlyTheEventTypeItListensTo() {
        this.runner.run(context -> {
            OrderedListeners listeners = context.getBean(OrderedListeners.class);
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(listeners.feedStarts).isNotEmpty());
            assertThat(listeners.failures).hasSize(1).allMatch(ServiceFailedEvent.class::isInstance);
        });
    }

    @Test
    void aWaitingServiceIsPublishedAsAServiceWaitingEventNamingTheServiceItWaitsFor() {
        Instant at = Instant.parse("2026-11-27T10:15:30.120Z");
        this.runner.withBean(WaitingListener.class).run(context -> {
            Supervisor supervisor = context.getBean(Supervisor.class);
            ApplicationEventBridge bridge =
                    new ApplicationEventBridge(supervisor, context.getSourceApplicationContext());

            bridge.onEvent(new SupervisionEvent.Waiting("other", at, "feed"));

            assertThat(context.getBean(WaitingListener.class).events)
                    .singleElement()
                    .satisfies(event -> {
                        assertThat(event.getServiceName()).isEqualTo("other");
                        assertThat(event.getWaitingFor()).isEqualTo("feed");
                        assertThat(event.getAt()).isEqualTo(at);
                        assertThat(event.getSupervisor()).isSameAs(supervisor);
                    });
        });
    }
}
