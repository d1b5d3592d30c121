package io.rustrade.supervisor.event;

import io.rustrade.supervisor.Supervisor;
import java.time.Instant;

/** A service started successfully: its {@code start()} returned, or its run loop's thread began. */
public class ServiceStartedEvent extends SupervisorApplicationEvent {

    private static final long serialVersionUID = 1L;

    public ServiceStartedEvent(Supervisor supervisor, String serviceName, Instant at) {
        super(supervisor, serviceName, at);
    }
}
