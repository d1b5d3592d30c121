package io.rustrade.supervisor.core;

/** Which ends of a run lead to a restart. */
public enum RestartPolicy {

    /** Restart after failures only; a run loop that returns is {@code COMPLETED}. The default. */
    ON_FAILURE,

    /**
     * Restart after failures, and also after a run loop returns (after {@code base-delay}, keeping the
     * failure history, so failures alternating with clean exits still open the circuit).
     */
    ALWAYS,

    /** Never restart: a failure leaves the service {@code FAILED}. */
    NEVER;

    /** The name as written in configuration: {@code on-failure}, {@code always}, {@code never}. */
    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
