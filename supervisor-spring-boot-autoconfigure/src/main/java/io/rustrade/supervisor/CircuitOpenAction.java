package io.rustrade.supervisor;

import java.util.Locale;

/** What the supervisor does once a service's circuit has opened ({@code circuit-breaker.on-open}). */
public enum CircuitOpenAction {

    /** Nothing more happens until an operator resets, starts or restarts the service. The default. */
    STOP,

    /**
     * After the open duration one probe start is made; a probe that runs for the cooldown period closes
     * the circuit and clears the history, a probe that fails reopens it for twice as long, up to the
     * maximum open duration.
     */
    HALF_OPEN,

    /**
     * The application is shut down with a non-zero exit status, so that whatever supervises the process
     * (systemd, Kubernetes) takes over.
     */
    SHUTDOWN,

    /**
     * For cluster singletons only: the service is stopped and this instance gives up its leadership and
     * stays out of the election for the open duration, so that another instance runs the service; the
     * circuit then closes and this instance is a candidate again ({@code STANDBY}).
     */
    FAILOVER;

    private final String value = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** As configuration and the endpoint write it: {@code stop}, {@code half-open}, {@code shutdown}, {@code failover}. */
    public String value() {
        return this.value;
    }
}
