package io.rustrade.supervisor.event;

import io.rustrade.supervisor.Supervisor;
import java.time.Instant;

/** A run-loop service returned from {@code run} without being asked to stop. */
public class ServiceCompletedEvent extends SupervisorApplicationEvent {

    private static final long serialVersionUID = 1L;

    public ServiceCompletedEvent(Supervisor supervisor, String serviceName, Instant at) {
        super(supervisor, serviceName, at);
    }
}
