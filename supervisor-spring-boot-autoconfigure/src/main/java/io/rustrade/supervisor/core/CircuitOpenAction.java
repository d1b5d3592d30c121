package io.rustrade.supervisor.core;

/** What the supervisor does once a service's circuit has opened. */
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
    SHUTDOWN
}
