package io.rustrade.supervisor.event;

import io.rustrade.supervisor.Supervisor;
import java.time.Instant;

/** A service's circuit closed: a half-open probe ran for the cooldown period, or an operator acted. */
public class CircuitClosedEvent extends SupervisorApplicationEvent {

    private static final long serialVersionUID = 1L;

    public CircuitClosedEvent(Supervisor supervisor, String serviceName, Instant at) {
        super(supervisor, serviceName, at);
    }
}
