package io.rustrade.supervisor;

/** Where a supervised service is in its life. */
public enum ServiceState {

    /** {@code start()} was called and has not returned yet. */
    STARTING,

    /** Started and, as far as the supervisor can tell, working. */
    RUNNING,

    /** Failed; waiting its backoff delay before it is started again. */
    BACKING_OFF,

    /**
     * Failed too often inside the circuit-breaker window: no restart is scheduled (except the half-open
     * probe, when configured).
     */
    CIRCUIT_OPEN,

    /** Asked to stop; {@code stop()} has not finished yet. */
    STOPPING,

    /** Not running because nobody asked it to run: not started yet, or stopped by the context or an operator. */
    STOPPED,

    /** A run-loop service returned and is not restarted. */
    COMPLETED,

    /**
     * Failed and not retried (a fatal exception, or restart policy {@code never}); stays so until an
     * operator acts.
     */
    FAILED,

    /**
     * Stopped because a service it depends on (in its group, or in the application context with {@code
     * restart-dependents}) went down; started again, in order, once that service runs. Not a failure: no
     * attempt, failure or circuit count changes. The snapshot's {@code waitingFor} names the service.
     */
    WAITING,

    /**
     * A cluster singleton that would run but whose leadership another instance holds (or nobody does yet):
     * not started here, and started as soon as this instance is granted leadership. Not a failure: a
     * leadership lost stops the service without counting anything, and health stays {@code UP}.
     */
    STANDBY;

    /** Whether the service is, or is about to be, running: {@code STARTING}, {@code RUNNING} or {@code BACKING_OFF}. */
    public boolean isActive() {
        return this == STARTING || this == RUNNING || this == BACKING_OFF;
    }

    /** Whether the state needs an operator (or a half-open probe): {@code CIRCUIT_OPEN} or {@code FAILED}. */
    public boolean isDown() {
        return this == CIRCUIT_OPEN || this == FAILED;
    }
}
