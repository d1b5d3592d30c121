package io.rustrade.supervisor;

import java.util.Locale;

/** Which ends of a run lead to a restart ({@code restart}). */
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

    private final String value = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** As configuration and the endpoint write it: {@code on-failure}, {@code always}, {@code never}. */
    public String value() {
        return this.value;
    }
}
