package io.rustrade.supervisor.event;

import io.rustrade.supervisor.Supervisor;
import java.time.Instant;
import org.springframework.context.ApplicationEvent;

/**
 * Something that happened to a supervised service, published as a Spring application event.
 *
 * <p>Events are published in order, on the supervisor's event thread, never on the thread that
 * supervises: a listener that is slow or throws cannot disturb supervision (a thrown exception is logged
 * and dropped). Every listener gets every event it listens to, in {@code @Order}, even when a listener
 * before it throws.
 */
public abstract class SupervisorApplicationEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    private final String serviceName;

    private final Instant at;

    protected SupervisorApplicationEvent(Supervisor supervisor, String serviceName, Instant at) {
        super(supervisor);
        this.serviceName = serviceName;
        this.at = at;
    }

    /** The name of the service it happened to. */
    public String getServiceName() {
        return this.serviceName;
    }

    /** When it happened. */
    public Instant getAt() {
        return this.at;
    }

    /** The supervisor that published it. */
    public Supervisor getSupervisor() {
        return (Supervisor) getSource();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[service=" + this.serviceName + ", at=" + this.at + "]";
    }
}
