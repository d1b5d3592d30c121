package io.rustrade.supervisor.testing;

import io.rustrade.supervisor.event.ServiceWaitingEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.event.EventListener;

/** An application listener, for tests that run a context, that keeps every {@link ServiceWaitingEvent} it hears. */
public class WaitingListener {

    /** The events heard, in order. */
    public final List<ServiceWaitingEvent> events = new CopyOnWriteArrayList<>();

    @EventListener
    public void waiting(ServiceWaitingEvent event) {
        this.events.add(event);
    }
}
