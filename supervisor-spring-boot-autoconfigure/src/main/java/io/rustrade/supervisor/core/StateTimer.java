package io.rustrade.supervisor.core;

import io.rustrade.supervisor.ServiceState;
import java.time.Instant;

/**
 * The one timer a service's state may own, and when it is due; control thread only.
 *
 * <p>Rules:
 *
 * <ul>
 *   <li><b>A timer belongs to a state</b> ({@link Kind#state()}): the restart after a backoff to {@code
 *       BACKING_OFF}, a half-open probe and the end of a failover to {@code CIRCUIT_OPEN}, a probe's success
 *       to {@code RUNNING}. Leaving that state cancels it ({@link #leaving}, called by every move of the
 *       service), and so does anything that overtakes it ({@link #cancel()}).
 *   <li><b>A timer is due only for what armed it</b> ({@link #isDue}): the same run, still in its state,
 *       and — except for a probe's success — while supervision is on. A timer that fires late, after a
 *       cancel raced with it, is ignored.
 *   <li><b>The instant operators see</b> as {@code nextRestartAt} is the timer's, and goes with it.
 * </ul>
 */
final class StateTimer {

    /** What a timer is for, with the state it belongs to. */
    enum Kind {
        /** The restart after a backoff delay. */
        RESTART(ServiceState.BACKING_OFF, true),
        /** The start of a half-open probe, once the circuit has been open for its time. */
        PROBE(ServiceState.CIRCUIT_OPEN, true),
        /** A probe that ran for the cooldown period: the circuit closes. */
        PROBE_PASSED(ServiceState.RUNNING, false),
        /** The end of a failover's time out of the election: the circuit closes. */
        FAILOVER_OVER(ServiceState.CIRCUIT_OPEN, true);

        private final ServiceState state;

        private final boolean needsSupervision;

        Kind(ServiceState state, boolean needsSupervision) {
            this.state = state;
            this.needsSupervision = needsSupervision;
        }

        ServiceState state() {
            return this.state;
        }
    }

    private ScheduledTask task = ScheduledTask.NONE;

    private Kind kind;

    private long runId;

    private Instant dueAt;

    /**
     * Arms the timer (cancelling the one armed before).
     *
     * @param dueAt what operators are shown as the next restart, or null
     */
    void arm(Kind kind, long runId, Instant dueAt, ScheduledTask task) {
        cancel();
        this.kind = kind;
        this.runId = runId;
        this.dueAt = dueAt;
        this.task = task;
    }

    /**
     * When the timer armed as {@code kind} for run {@code runId} fires: whether it is still due — then it is
     * spent, and what it was for happens now.
     */
    boolean isDue(Kind kind, long runId, long currentRun, ServiceState state, boolean supervising) {
        boolean due = this.kind == kind
                && this.runId == runId
                && runId == currentRun
                && state == kind.state
                && (supervising || !kind.needsSupervision);
        if (due) {
            this.kind = null;
            this.dueAt = null;
            this.task = ScheduledTask.NONE;
        }
        return due;
    }

    /** The service moves to {@code next}: a timer of another state is cancelled. Returns whether it was. */
    boolean leaving(ServiceState next) {
        if (this.kind != null && this.kind.state != next) {
            cancel();
            return true;
        }
        return false;
    }

    void cancel() {
        this.task.cancel();
        this.task = ScheduledTask.NONE;
        this.kind = null;
        this.dueAt = null;
    }

    /** The next restart operators are shown, or null. */
    Instant dueAt() {
        return this.dueAt;
    }
}
