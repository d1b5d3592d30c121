package io.rustrade.supervisor.event;

import io.rustrade.supervisor.Supervisor;
import java.time.Instant;

/**
 * This instance was granted the leadership of a cluster singleton ({@code services.<name>.singleton}): the
 * service starts here, with its usual supervision.
 */
public class LeadershipGrantedEvent extends SupervisorApplicationEvent {

    private static final long serialVersionUID = 1L;

    private final String lock;

    public LeadershipGrantedEvent(Supervisor supervisor, String serviceName, Instant at, String lock) {
        super(supervisor, serviceName, at);
        this.lock = lock;
    }

    /** The name of the lock whose election this instance won. */
    public String getLock() {
        return this.lock;
    }
}
