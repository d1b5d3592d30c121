package io.rustrade.supervisor.event;

import io.rustrade.supervisor.Supervisor;
import java.time.Instant;

/**
 * A service was stopped, or kept from starting, because a service it depends on — in its group, or in
 * the application context with {@code restart-dependents} — is not running. Not a failure: the service
 * starts again, in order, once the one it waits for runs. Published again when the service it waits for
 * changes.
 */
public class ServiceWaitingEvent extends SupervisorApplicationEvent {

    private static final long serialVersionUID = 1L;

    private final String waitingFor;

    public ServiceWaitingEvent(Supervisor supervisor, String serviceName, Instant at, String waitingFor) {
        super(supervisor, serviceName, at);
        this.waitingFor = waitingFor;
    }

    /** The name of the service it waits for. */
    public String getWaitingFor() {
        return this.waitingFor;
    }
}
