package io.rustrade.supervisor.event;

import io.rustrade.supervisor.Supervisor;
import java.time.Instant;

/** A service failed too often inside its window: its circuit opened and no regular restart follows. */
public class CircuitOpenedEvent extends SupervisorApplicationEvent {

    private static final long serialVersionUID = 1L;

    private final int failures;

    private final int maxFailures;

    public CircuitOpenedEvent(Supervisor supervisor, String serviceName, Instant at, int failures, int maxFailures) {
        super(supervisor, serviceName, at);
        this.failures = failures;
        this.maxFailures = maxFailures;
    }

    /** The failures inside the window. */
    public int getFailures() {
        return this.failures;
    }

    /** The configured {@code max-failures}. */
    public int getMaxFailures() {
        return this.maxFailures;
    }
}
