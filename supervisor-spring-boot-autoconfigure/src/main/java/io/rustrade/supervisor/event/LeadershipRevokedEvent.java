package io.rustrade.supervisor.event;

import io.rustrade.supervisor.Supervisor;
import java.time.Instant;

/**
 * This instance no longer leads a cluster singleton: the service is stopped here (not counted as a
 * failure) and is {@code STANDBY}, or stays as it was when it did not run.
 */
public class LeadershipRevokedEvent extends SupervisorApplicationEvent {

    private static final long serialVersionUID = 1L;

    private final String lock;

    private final String reason;

    public LeadershipRevokedEvent(Supervisor supervisor, String serviceName, Instant at, String lock, String reason) {
        super(supervisor, serviceName, at);
        this.lock = lock;
        this.reason = reason;
    }

    /** The name of the lock this instance no longer holds. */
    public String getLock() {
        return this.lock;
    }

    /**
     * Why: {@code lost} (the election revoked it: the lock was taken, or its store failed), {@code released}
     * (this instance left the election: the application stops), {@code renewal overdue} (not renewed in
     * time: the store does not answer), {@code yielded} (an operator gave it up), or {@code failover} (its
     * circuit opened with {@code on-open: failover}).
     */
    public String getReason() {
        return this.reason;
    }
}
