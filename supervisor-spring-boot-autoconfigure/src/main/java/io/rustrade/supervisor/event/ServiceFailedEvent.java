package io.rustrade.supervisor.event;

import io.rustrade.supervisor.Supervisor;
import java.time.Instant;

/** A service failed; what follows (a restart, an open circuit, {@code FAILED}) is told by later events. */
public class ServiceFailedEvent extends SupervisorApplicationEvent {

    private static final long serialVersionUID = 1L;

    private final transient Throwable cause;

    private final int attempt;

    public ServiceFailedEvent(Supervisor supervisor, String serviceName, Instant at, Throwable cause, int attempt) {
        super(supervisor, serviceName, at);
        this.cause = cause;
        this.attempt = attempt;
    }

    /** What failed. */
    public Throwable getCause() {
        return this.cause;
    }

    /** The consecutive failure count, this failure included. */
    public int getAttempt() {
        return this.attempt;
    }
}
