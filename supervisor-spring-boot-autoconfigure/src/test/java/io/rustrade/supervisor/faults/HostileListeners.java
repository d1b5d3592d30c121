package io.rustrade.supervisor.faults;

import io.rustrade.supervisor.event.ServiceFailedEvent;
import io.rustrade.supervisor.event.SupervisorApplicationEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;

/** Application listeners of the supervisor's events that misbehave, and one that records what it hears. */
final class HostileListeners {

    private HostileListeners() {}

    /** Throws on every supervisor event; ordered first. */
    static class Throwing {

        @EventListener
        @Order(1)
        void onEvent(SupervisorApplicationEvent event) {
            throw new IllegalStateException("listener broken on " + event);
        }
    }

    /** Records every supervisor event it hears; ordered after {@link Throwing}. */
    static class Recording {

        final List<SupervisorApplicationEvent> events = new CopyOnWriteArrayList<>();

        @EventListener
        @Order(2)
        void onEvent(SupervisorApplicationEvent event) {
            this.events.add(event);
        }

        boolean heard(Class<? extends SupervisorApplicationEvent> type, String service) {
            return this.events.stream()
                    .anyMatch(event -> type.isInstance(event) && service.equals(event.getServiceName()));
        }
    }

    /** Blocks forever (until the test opens its gate) on the first failure it hears of. */
    static class Blocking {

        final HostileBeans.Gate gate = new HostileBeans.Gate();

        @EventListener
        void onFailure(ServiceFailedEvent event) {
            this.gate.hold();
        }
    }
}
