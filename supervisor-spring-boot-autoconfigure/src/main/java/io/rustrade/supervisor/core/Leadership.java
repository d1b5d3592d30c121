package io.rustrade.supervisor.core;

import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.ServiceState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a cluster singleton's leadership stands on this instance, and its rules; control thread only. Kept
 * apart from the record: a service that is no singleton costs one null reference.
 *
 * <p>Each rule decides and returns the move for the record to make (start, stop, stand by), which alone
 * changes the service's state:
 *
 * <ul>
 *   <li><b>Granted</b>: a singleton that would run here (standing by, or stopping only because leadership
 *       went a moment ago) starts; a grant during a hand-back changes nothing but the leadership.
 *   <li><b>Revoked</b>: a service up here is stopped, nothing counted, and stands by; one handing its lock
 *       back goes on doing so.
 *   <li><b>Yield</b> and <b>failover</b> step down: the service is stopped here first, and the lock is handed
 *       back ({@link Elections#stepDown}) only once nothing of it runs here ({@link #handBack}).
 *   <li><b>After a failover</b>: a service nobody wants any more stays down; one this instance leads again
 *       starts; any other stands by.
 *   <li><b>Fences</b>: an election about to release the lock waits until nothing of the service runs here.
 * </ul>
 */
final class Leadership {

    /** What the record does after a grant. */
    enum Grant {
        /** Not a change: already leader, or the service was unregistered. */
        IGNORED,
        /** Leader now, and told; the service stays as it is. */
        TOLD,
        /** Leader now, and told; the service, which would run here, starts. */
        START
    }

    /** What the record does after a revocation. */
    enum Revocation {
        /** Not a change: not leader, or the service was unregistered. */
        IGNORED,
        /** No longer leader, and told; the service stays as it is. */
        TOLD,
        /** No longer leader, and told; the service, up here, is stopped and stands by. */
        STOP
    }

    /** What the record does once a failover's time out of the election is over. */
    enum AfterFailover {
        /** Nobody wants it to run any more: down, not a candidate. */
        STAY_DOWN,
        /** This instance leads it: it starts. */
        START,
        /** Another instance leads it, or none yet: it stands by. */
        STAND_BY
    }

    /** A hand-back due now: the lock goes back to the election, after the revocation is told (if it must be). */
    record HandBack(String reason, Duration outFor, boolean wasLeader) {}

    final String lock;

    /** Whether this instance holds the lock, as far as the supervisor knows. */
    private boolean leader;

    /** When {@link #leader} last changed; when the service was registered before it ever did. */
    private Instant since;

    /** Whether the service would run here as leader: started, and not stopped since. */
    private boolean wanted;

    /** Why this instance gives leadership up once the service has stopped here ({@code yielded}, {@code failover}), or null. */
    private String stepDown;

    /** How long it stays out of the election after {@link #stepDown}. */
    private Duration stepDownFor;

    /**
     * Elections waiting for the service to be down here before they release the lock; null while none
     * waits, which is nearly always.
     */
    private List<CompletableFuture<Void>> fences;

    /** The last snapshot part built, reused while nothing changed. */
    private ServiceSnapshot.Singleton shown;

    Leadership(String lock, Instant since) {
        this.lock = lock;
        this.since = since;
    }

    boolean isLeader() {
        return this.leader;
    }

    Instant since() {
        return this.since;
    }

    /** Whether it may start here: it leads, and is not handing the lock back. */
    boolean mayRun() {
        return this.leader && this.stepDown == null;
    }

    /** Whether a stop ends in STANDBY rather than STOPPED: it would run, had it leadership. */
    boolean standsBy() {
        return this.wanted && !mayRun();
    }

    /** It would run here as leader (it stands by, or stops only for leadership). */
    void want() {
        this.wanted = true;
    }

    /** Stopped for good, by the container or an operator: a grant of leadership starts nothing. */
    void unwant() {
        this.wanted = false;
    }

    /**
     * This instance now leads it.
     *
     * @param state the service's state
     * @param stoppingForGood whether it is stopping with no start to follow
     */
    Grant granted(Instant at, ServiceState state, boolean stoppingForGood, boolean supervising) {
        if (this.leader) {
            return Grant.IGNORED;
        }
        change(true, at);
        if (this.stepDown != null) {
            // Granted again before it handed the lock back: the hand-back goes on.
            return Grant.TOLD;
        }
        boolean standingBy =
                state == ServiceState.STANDBY || (state == ServiceState.STOPPING && stoppingForGood && this.wanted);
        return (standingBy && supervising) ? Grant.START : Grant.TOLD;
    }

    /**
     * This instance no longer leads it.
     *
     * @param up whether the service runs or is about to
     */
    Revocation revoked(Instant at, boolean up) {
        if (!this.leader) {
            return Revocation.IGNORED;
        }
        change(false, at);
        if (this.stepDown != null) {
            // Lost while it was stopping to hand the lock back: the stop goes on, and the hand-back still
            // keeps this instance out of the election for its time.
            return Revocation.TOLD;
        }
        if (up) {
            this.wanted = true;
            return Revocation.STOP;
        }
        return Revocation.TOLD;
    }

    /**
     * Gives the leadership up once the service has stopped here: an operator's {@code yield} ({@code outFor}
     * zero), or a failover. Returns false when it cannot: not leader, or handing back already.
     *
     * @param up whether the service runs or is about to: it then stands by once stopped
     */
    boolean stepDown(String reason, Duration outFor, boolean up) {
        if (!mayRun()) {
            return false;
        }
        if (up) {
            this.wanted = true;
        }
        this.stepDown = reason;
        this.stepDownFor = outFor;
        return true;
    }

    /** A failover steps down whatever the leadership: the service is stopped here and stands by. */
    void failover(Duration outFor) {
        this.wanted = true;
        this.stepDown = "failover";
        this.stepDownFor = outFor;
    }

    /**
     * After every message: the hand-back due now, once nothing of the service runs here; null when none is.
     * The leadership then ends here.
     */
    HandBack handBack(boolean stoppedHere, Instant at) {
        if (this.stepDown == null || !stoppedHere) {
            return null;
        }
        HandBack due = new HandBack(this.stepDown, this.stepDownFor, this.leader);
        this.stepDown = null;
        this.stepDownFor = null;
        if (this.leader) {
            change(false, at);
        }
        return due;
    }

    /** The failover's time out of the election is over: what the service does now. */
    AfterFailover afterFailover() {
        if (!this.wanted) {
            return AfterFailover.STAY_DOWN;
        }
        return mayRun() ? AfterFailover.START : AfterFailover.STAND_BY;
    }

    /** An election waits for the service to be down here before it releases the lock. */
    void addFence(CompletableFuture<Void> down) {
        if (this.fences == null) {
            this.fences = new ArrayList<>(1);
        }
        this.fences.add(down);
    }

    /** The service is down here: the elections waiting for it may release the lock. */
    void releaseFences() {
        if (this.fences != null) {
            List<CompletableFuture<Void>> released = this.fences;
            this.fences = null;
            released.forEach(fence -> fence.complete(null));
        }
    }

    boolean hasFences() {
        return this.fences != null;
    }

    private void change(boolean leader, Instant at) {
        this.leader = leader;
        this.since = at;
    }

    ServiceSnapshot.Singleton snapshot() {
        ServiceSnapshot.Singleton current = this.shown;
        if (current == null
                || current.leader() != this.leader
                || !current.since().equals(this.since)) {
            current = new ServiceSnapshot.Singleton(this.lock, this.leader, this.since);
            this.shown = current;
        }
        return current;
    }
}
