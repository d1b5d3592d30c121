package io.rustrade.supervisor.event;

import io.rustrade.supervisor.Supervisor;
import java.time.Instant;

/** A service stopped because it was asked to, by the application context or an operator. */
public class ServiceStoppedEvent extends SupervisorApplicationEvent {

    private static final long serialVersionUID = 1L;

    public ServiceStoppedEvent(Supervisor supervisor, String serviceName, Instant at) {
        super(supervisor, serviceName, at);
    }
}
