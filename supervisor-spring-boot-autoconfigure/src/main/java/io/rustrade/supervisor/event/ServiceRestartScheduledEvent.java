package io.rustrade.supervisor.event;

import io.rustrade.supervisor.Supervisor;
import java.time.Duration;
import java.time.Instant;

/** A restart of a failed (or, with restart policy {@code always}, completed) service was scheduled. */
public class ServiceRestartScheduledEvent extends SupervisorApplicationEvent {

    private static final long serialVersionUID = 1L;

    private final Duration delay;

    private final Instant restartAt;

    public ServiceRestartScheduledEvent(
            Supervisor supervisor, String serviceName, Instant at, Duration delay, Instant restartAt) {
        super(supervisor, serviceName, at);
        this.delay = delay;
        this.restartAt = restartAt;
    }

    /** The wait before the restart. */
    public Duration getDelay() {
        return this.delay;
    }

    /** When the restart is due. */
    public Instant getRestartAt() {
        return this.restartAt;
    }
}
