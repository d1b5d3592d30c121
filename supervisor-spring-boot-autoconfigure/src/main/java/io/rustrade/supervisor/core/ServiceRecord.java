package io.rustrade.supervisor.core;

import io.rustrade.supervisor.CircuitOpenAction;
import io.rustrade.supervisor.CircuitState;
import io.rustrade.supervisor.HistoryEntry;
import io.rustrade.supervisor.RestartPolicy;
import io.rustrade.supervisor.ServiceHistory;
import io.rustrade.supervisor.ServiceKind;
import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.StartTimeoutException;
import io.rustrade.supervisor.SupervisedService;
import io.rustrade.supervisor.UnexpectedStopException;
import io.rustrade.supervisor.WatchdogTimeoutException;
import io.rustrade.supervisor.core.internal.CapturedFailure;
import io.rustrade.supervisor.core.internal.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The state machine of one supervised service. Every method runs on the control thread, so none needs a
 * lock — but these, which other threads call and which touch only volatile or atomic fields: {@link
 * #snapshot()}, {@link #currentRun()} and {@link #claimReport} (reporting threads), {@link
 * #claimFirstStart()}, {@link #isStartingOnCaller()} and {@link #submitFirstStart()} (the container's
 * thread).
 *
 * <p>Two things are tracked apart: the supervision {@link ServiceState} that people see, and what is
 * physically going on with the user's object ({@link Physical}): idle, a {@code start()} call in
 * flight, up, or a {@code stop()} in flight. {@link #wantUp} is where the physical side should go next;
 * {@link #reconcile()} drives it there once no call is in flight. Every call and every run carries an id,
 * so a late answer from an old run is recognised and dropped, and concurrent reports about one run count
 * once.
 *
 * <p>The rules a service's calls follow, whatever the object does:
 *
 * <ul>
 *   <li><b>Never two calls at once</b>: no {@code start()}, {@code stop()} or {@code isRunning()} of the
 *       object (no new {@code run()} of a run loop) begins while another call on it has not returned. Its
 *       calls go through one {@link Calls.Lane}; a run loop's next run waits for the last one to return.
 *   <li><b>A call that outlives its timeout is abandoned</b> ({@code start-timeout} for {@code start()} and
 *       the watchdog's {@code isRunning()}, {@code stop-timeout} for a stop): supervision goes on as if it
 *       had ended — a start or poll counts as a failure, a stop as done — an event {@code call-abandoned}
 *       says so, and nothing more is called on the object until the call returns ({@code call-returned}).
 *       A stop requested meanwhile is done at once; a start waits for that return.
 *   <li><b>A stop waits at most {@code stop-timeout}</b> for a {@code start()} or {@code isRunning()} under
 *       way, counted from when that call began; then the call is abandoned (without counting a failure) and
 *       the stop is done. Whatever the call started is stopped when it returns. Once supervision is
 *       suspended, nothing is started again.
 *   <li><b>A restart is counted when its {@code start()} begins on a call thread, or its run is launched</b>,
 *       not when it is decided or submitted: one that waits for an abandoned call, or for a thread, is
 *       counted once it begins, and one the supervisor's close calls off before it began is never counted.
 *   <li><b>A restart always calls {@code start()}</b>, whatever the object says of itself after its stop;
 *       only the very first start leaves alone an object that already reports running, as the application
 *       context does.
 * </ul>
 */
final class ServiceRecord {

    private static final Log logger = LogFactory.getLog(SupervisorEngine.class);

    enum Physical {
        IDLE,
        START_CALL,
        UP,
        STOP_CALL
    }

    /**
     * The legal moves of {@link #state}: for each state, the states it may be entered from (staying in a
     * state is always legal). Every change of state goes through {@link #transitionTo}, which checks it.
     */
    private static final Map<ServiceState, Set<ServiceState>> ENTERED_FROM = legalMoves();

    /** The states an operator's {@code start} acts on; in any other the service runs or is about to. */
    static final Set<ServiceState> STARTABLE = Collections.unmodifiableSet(EnumSet.of(
            ServiceState.STOPPED,
            ServiceState.STOPPING,
            ServiceState.FAILED,
            ServiceState.CIRCUIT_OPEN,
            ServiceState.COMPLETED));

    private final ServiceHost engine;

    final String name;

    final boolean bean;

    final ServiceOptions options;

    private final LifecycleService lifecycle;

    private final SupervisedService runLoop;

    private final BackoffState backoff;

    private final ServiceHistory history;

    /** The parts of every snapshot that depend only on the options, shared with every service on them. */
    private final SnapshotSettings settings;

    private ServiceState state = ServiceState.STOPPED;

    private Physical physical = Physical.IDLE;

    private boolean wantUp;

    /** The object may still run after a failure or before a restart: stop it before it starts again. */
    private boolean stopBeforeStart;

    /** Id of the current or last start attempt; read by reporting threads to tag their report. */
    private volatile long runId;

    /** The latest run a failure report was posted about; claimed by reporting threads. */
    private volatile long reportedRun;

    private static final AtomicLongFieldUpdater<ServiceRecord> REPORTED_RUN =
            AtomicLongFieldUpdater.newUpdater(ServiceRecord.class, "reportedRun");

    /** Operator commands waiting for the control thread. */
    final OperatorCommands commands = new OperatorCommands();

    private long callId;

    /** The user call in flight (start or stop); null when none is. */
    private Call call;

    /**
     * The call in flight outlived its timeout and was abandoned: supervision went on as if it had ended,
     * but nothing more is called on the service until it returns.
     */
    private boolean callAbandoned;

    /** When the abandoned call began, on the control clock. */
    private long abandonedCallBegan;

    /**
     * A lifecycle service's first start until it has been called and its outcome applied; null afterwards,
     * and for a run loop. Read by the container's thread.
     */
    private volatile FirstStart firstStart;

    /**
     * Why the next start is a restart ({@code backoff}, {@code requested}, {@code half-open probe}), or
     * null: the restart is counted, and told, when that start begins, not when it is decided.
     */
    private String pendingRestart;

    /** The lane of this service's calls: one at a time. Null for a run loop, whose run has its own thread. */
    private final Calls.Lane lane;

    /** The watchdog's poll in flight, or null; its answer matters only for run {@link #pollRun}. */
    private Call pollCall;

    private long pollRun;

    private ScheduledTask callTimer = ScheduledTask.NONE;

    /** Bounds a stop's wait for a start or poll in flight ({@link #boundStopWait()}). */
    private ScheduledTask stopWait = ScheduledTask.NONE;

    /** The timer its state owns (restart, probe, probe passed, failover over), null while none is armed, as for most services; its due instant is {@code nextRestartAt}. */
    private StateTimer stateTimer;

    private ScheduledTask refreshTimer;

    private RunCancellation cancellation;

    /** The circuit breaker while it is open or half-open; null while it is closed, as almost always. */
    private Circuit circuit;

    private long failures;

    private long restarts;

    private Instant startedAt;

    private ServiceSnapshot.LastFailure lastFailure;

    /** Who waits for its start or stop; null while nobody does, as almost always. */
    private Waiters waiters;

    /** Set when the supervisor, not an operator, stopped a service registered at run time. */
    boolean resumeWithSupervisor;

    /**
     * Whether it may start: a bean may at once; a service registered at run time only once no earlier
     * service of its name can still run ({@link #admit()}). Until then, whatever asks it to start — its
     * registration, an operator's {@code start}, {@code restart} or {@code reset} — is remembered, not acted
     * on: one object registered again under its name never runs twice at once. Control thread only.
     */
    private boolean admitted;

    boolean removed;

    /** What ties it to other services now; null until it first is, as most services never are. */
    private GroupTies ties;

    /** The start under way was asked for by the container, which starts services in its own order. */
    private boolean containerStart;

    /** A cluster singleton's leadership on this instance; null for every other service. */
    private final Leadership leadership;

    private volatile ServiceSnapshot snapshot;

    ServiceRecord(
            ServiceHost engine,
            String name,
            boolean bean,
            ServiceOptions options,
            LifecycleService lifecycle,
            SupervisedService runLoop,
            int historySize) {
        this.engine = engine;
        this.name = name;
        this.bean = bean;
        this.options = options;
        this.lifecycle = lifecycle;
        this.runLoop = runLoop;
        this.lane = (lifecycle != null) ? engine.calls().lane(name) : null;
        this.firstStart = (lifecycle != null) ? new FirstStart() : null;
        this.settings = options.snapshotSettings();
        this.backoff = new BackoffState(
                options.backoff(), options.circuitBreaker(), engine.scheduler().clock(), engine.random());
        this.history = new ServiceHistory(historySize);
        this.admitted = bean;
        this.leadership = options.isSingleton()
                ? new Leadership(options.singletonLock(), engine.scheduler().now())
                : null;
        // Built on the registering thread so that the service is visible when register returns; the
        // control thread takes over every later change.
        this.snapshot = buildSnapshot();
    }

    ServiceSnapshot snapshot() {
        return this.snapshot;
    }

    long currentRun() {
        return this.runId;
    }

    /** Its backoff and failure window, for the checks of what it holds. */
    BackoffState backoff() {
        return this.backoff;
    }

    ServiceState state() {
        return this.state;
    }

    boolean isLifecycle() {
        return this.lifecycle != null;
    }

    /** Whether the watchdog should ask this service whether it still runs: it runs and nothing is called. */
    boolean isWatched() {
        return this.lifecycle != null
                && this.state == ServiceState.RUNNING
                && this.physical == Physical.UP
                && !this.lane.isBusy();
    }

    // ---------------------------------------------------------------- requests

    /**
     * On the reporting thread: whether a failure report about run {@code runId} is the first one. Only the
     * first is posted; the others would be dropped on the control thread anyway.
     */
    boolean claimReport(long runId) {
        long reported;
        do {
            reported = this.reportedRun;
            if (reported >= runId) {
                return false;
            }
        } while (!REPORTED_RUN.compareAndSet(this, reported, runId));
        return true;
    }

    /**
     * Why an operator's {@code start} or {@code restart} does nothing now, or null when it acts — the one
     * home of the rule: a service that waits for another (or stops to wait for it) starts again only once
     * that one runs, in order, as its group or dependencies start it.
     */
    String startRefusal() {
        ServiceRecord waited = waitingFor();
        if (waited == null) {
            return null;
        }
        String how = (this.state == ServiceState.WAITING) ? "WAITING for" : "stopping to wait for";
        return how + " '" + waited.name + "'; it starts again once '" + waited.name + "' runs";
    }

    /** Applies the operator commands waiting, in order. */
    void applyCommands() {
        for (OperatorCommands.Command command = this.commands.poll(); command != null; command = this.commands.poll()) {
            switch (command) {
                case RESTART -> requestRestart();
                case STOP -> operatorStop();
                case START -> {
                    if (STARTABLE.contains(this.state) && startRefusal() == null) {
                        requestStart(null);
                    }
                }
                case RESET -> requestReset();
            }
        }
    }

    /**
     * Starts the service unless it is already starting, running or backing off. A waiter is the container's:
     * it starts services in its own order, which the services' groups do not hold up.
     */
    void requestStart(CompletableFuture<Void> waiter) {
        if (this.removed || this.state.isActive() || !this.engine.isSupervising()) {
            answer(waiter);
            return;
        }
        this.containerStart = waiter != null;
        waitFor(null);
        cancelStateTimer();
        if (this.circuit != null) {
            closeCircuit("started by request");
        }
        this.wantUp = true;
        // A stop under way is overtaken: whoever waited for it is answered.
        stopResolved();
        awaitStart(waiter);
        if (this.physical != Physical.IDLE) {
            // A call it must wait for (a stop, or an abandoned call): it is starting all the same.
            transitionTo(ServiceState.STARTING);
        }
        reconcile();
    }

    /**
     * A service registered at run time: no earlier service of its name runs any more (its run returned,
     * or was abandoned after its stop-timeout), so it starts now, or when supervision is next switched on.
     */
    void admit() {
        this.admitted = true;
        if (this.engine.isSupervising()) {
            requestStart(null);
        } else {
            this.resumeWithSupervisor = true;
        }
    }

    /**
     * Stops the service and cancels any pending restart; it stays STOPPED. While an abandoned call is out,
     * the service is STOPPED at once: the object is stopped, if need be, when that call returns.
     */
    void requestStop(CompletableFuture<Void> waiter) {
        // Asked to stop for good: it waits for nothing, and its stop waits for no other.
        waitFor(null);
        unwant();
        setStopAfter(null);
        stop(waiter);
    }

    /**
     * An operator's stop: the services that go down with it are stopped first (last first), then it; they
     * wait for it to run again.
     */
    private void operatorStop() {
        boolean up = isUp();
        waitFor(null);
        unwant();
        ServiceRecord last = up ? this.engine.groups().takeDownTiedTo(this) : null;
        holdStop(last);
        stop(null);
    }

    private void stop(CompletableFuture<Void> waiter) {
        this.wantUp = false;
        this.pendingRestart = null;
        cancelStateTimer();
        if (this.state == ServiceState.STOPPED) {
            answer(waiter);
            return;
        }
        if (this.state == ServiceState.STANDBY) {
            // Not running here: nothing to stop.
            transitionTo(ServiceState.STOPPED);
            answer(waiter);
            return;
        }
        awaitStop(waiter);
        if (this.physical == Physical.IDLE || this.callAbandoned) {
            finishStop(stopRun());
            return;
        }
        if (this.state != ServiceState.STOPPING) {
            transitionTo(ServiceState.STOPPING);
            record(HistoryEntry.Type.STOPPING, "");
        }
        boundStopWait();
        reconcile();
    }

    /**
     * A stop waits for the start or poll in flight to return before it can stop the object; it waits at
     * most {@code stop-timeout}, then abandons that call and is done, as it is for a call abandoned before.
     */
    private void boundStopWait() {
        Call inFlight =
                (this.pollCall != null) ? this.pollCall : (this.physical == Physical.START_CALL) ? this.call : null;
        if (inFlight == null) {
            // Only a call that is not abandoned yet: a stop during an abandoned call is done at once.
            return;
        }
        this.stopWait.cancel();
        this.stopWait = this.engine.schedule(this, () -> stopWaitOver(inFlight), this.options.stopTimeout());
    }

    /** The stop has waited its time; a call that began later gets its stop-timeout from when it began. */
    private void stopWaitOver(Call inFlight) {
        this.stopWait = ScheduledTask.NONE;
        boolean poll = inFlight == this.pollCall;
        boolean start = inFlight == this.call && this.physical == Physical.START_CALL;
        if (this.wantUp || this.state != ServiceState.STOPPING || this.callAbandoned || !(poll || start)) {
            return;
        }
        long timeout = Durations.toNanosSaturated(this.options.stopTimeout());
        if (!inFlight.hasBegun()) {
            // Waiting for a thread, behind other services' calls: it begins soon, and is not blamed for that.
            this.stopWait = this.engine.scheduleNanos(this, () -> stopWaitOver(inFlight), timeout);
            return;
        }
        long ran = this.engine.scheduler().clock().nanoTime() - inFlight.beganNanos();
        if (ran < timeout) {
            this.stopWait = this.engine.scheduleNanos(this, () -> stopWaitOver(inFlight), timeout - ran);
            return;
        }
        if (this.engine.calls().abandon(inFlight) != Call.Abandonment.STUCK) {
            // It returned meanwhile: its answer is on its way and moves the stop on.
            return;
        }
        if (poll) {
            this.pollCall = null;
        }
        this.callAbandoned = true;
        if (start) {
            releaseCallTimer();
            releaseCallerWait();
        }
        callAbandoned(inFlight, poll ? "isRunning()" : "start()", this.options.stopTimeout());
        finishStopAskedFor();
    }

    /**
     * Stops the service if it runs and starts it at once, skipping backoff: an operator's restart. A start
     * in flight is let finish, then stopped: the restart always stops what runs before it starts again.
     */
    void requestRestart() {
        if (this.removed || !this.engine.isSupervising() || startRefusal() != null) {
            return;
        }
        ServiceRecord last = this.engine.groups().takeDownTiedTo(this);
        if (last != null && this.physical != Physical.IDLE) {
            // Its stop waits for theirs: dependents stop before what they depend on.
            holdStop(last);
        }
        cancelStateTimer();
        if (this.circuit != null) {
            closeCircuit("restarted by request");
        }
        this.pendingRestart = "requested";
        this.wantUp = true;
        if (this.physical != Physical.IDLE) {
            transitionTo(ServiceState.STOPPING);
            if (this.physical != Physical.STOP_CALL) {
                this.stopBeforeStart = true;
            }
        }
        reconcile();
    }

    /** Clears attempt, failure history and an open circuit, then starts the service if it is not running. */
    void requestReset() {
        if (this.removed) {
            return;
        }
        this.backoff.reset();
        if (this.circuit != null) {
            closeCircuit("reset");
        }
        this.engine.emit(this, new SupervisionEvent.Reset(this.name, now()), HistoryEntry.Type.RESET, "");
        // A waiting service only forgets its history: it starts once the service it waits for runs.
        boolean running = (isUp() && this.state != ServiceState.BACKING_OFF) || waitingFor() != null;
        if (!running && this.engine.isSupervising()) {
            cancelStateTimer();
            this.wantUp = true;
            if (this.physical != Physical.IDLE) {
                transitionTo(ServiceState.STARTING);
            }
            reconcile();
        }
    }

    /**
     * Completes the waiter (after the next publication) once the start or stop under way has resolved:
     * with the start, if the service is to run but does not yet; with the stop, if it is stopping for
     * good; at once otherwise.
     */
    void awaitResolved(CompletableFuture<Void> waiter) {
        if (this.callAbandoned) {
            // Nothing resolves before the abandoned call returns, which may be never: answer with what is.
            answer(waiter);
        } else if (this.wantUp && this.state != ServiceState.RUNNING) {
            awaitStart(waiter);
        } else if (this.state == ServiceState.STOPPING) {
            // Stopping for good: a stop that a start follows was taken by the branch above.
            awaitStop(waiter);
        } else {
            answer(waiter);
        }
    }

    /**
     * A call's user code whose failure the application's failure classifiers judge on the call's own thread,
     * inside the call's time bound (a classifier that hangs is abandoned with the call); the call's outcome
     * reads the verdict, on the same thread, once the code has thrown. The supervisor's own verdict — an
     * {@code isRunning()} that answered false — is not theirs to judge.
     */
    private final class Classified implements Calls.UserCode {

        private final Calls.UserCode body;

        private String fatalBy;

        Classified(Calls.UserCode body) {
            this.body = body;
        }

        @Override
        public void run() throws Exception {
            try {
                this.body.run();
            } catch (UnexpectedStopException ex) {
                throw ex;
            } catch (Throwable ex) {
                this.fatalBy = ServiceRecord.this.engine.classifiers().fatalBy(ServiceRecord.this.name, ex);
                throw ex;
            }
        }

        /** What the supervisor keeps of the call's failure, with the verdict; null when the call returned. */
        CapturedFailure capture(Throwable failure) {
            return (failure != null) ? CapturedFailure.of(failure).fatalBy(this.fatalBy) : null;
        }
    }

    /** A failure reported by code about run {@code runId}; counted once per run. */
    void reportFailure(long runId, CapturedFailure cause) {
        if (this.removed
                || runId != this.runId
                || (this.state != ServiceState.STARTING && this.state != ServiceState.RUNNING)) {
            return;
        }
        fail(cause);
        reconcile();
    }

    /** Stops the service at shutdown: no restart follows. */
    void suspend(CompletableFuture<Void> waiter) {
        cancelStateTimer();
        this.pendingRestart = null;
        if (this.state != ServiceState.RUNNING && this.state != ServiceState.STARTING) {
            // A restart that waits for a stop to return is called off: once suspended, nothing restarts.
            this.wantUp = false;
        }
        if (this.state == ServiceState.STANDBY) {
            // Once suspended, a grant starts nothing: it is stopped, as every service is.
            unwant();
            transitionTo(ServiceState.STOPPED);
        }
        if (this.state == ServiceState.BACKING_OFF && (this.physical == Physical.IDLE || this.callAbandoned)) {
            this.wantUp = false;
            unwant();
            finishStop(null);
        }
        if (!this.bean && this.state != ServiceState.STOPPED) {
            this.resumeWithSupervisor = true;
            requestStop(waiter);
        } else {
            answer(waiter);
        }
    }

    // ---------------------------------------------------------------- the watchdog

    /**
     * Asks the object whether it still runs: a call like any other, in the service's lane, bounded by
     * {@code start-timeout} ({@link #pollOverdue}). Only while it runs and nothing else is called.
     */
    void poll() {
        if (!isWatched() || this.pollCall != null) {
            return;
        }
        long runId = this.runId;
        this.pollRun = runId;
        Call[] poll = new Call[1];
        Classified code = new Classified(this::askRunning);
        poll[0] = this.lane.submit("isRunning() of service '" + this.name + "'", Calls.Kind.POLL, code, failure -> {
            CapturedFailure captured = code.capture(failure);
            postOutcome(() -> pollReturned(poll[0], runId, captured));
        });
        this.pollCall = poll[0];
    }

    /** On the call's thread: an answer of false becomes an {@link UnexpectedStopException}. */
    private void askRunning() throws UnexpectedStopException {
        if (!this.lifecycle.isRunning()) {
            throw new UnexpectedStopException(this.name);
        }
    }

    /** The poll returned: still running (failure null), stopped on its own, or isRunning() threw. */
    private void pollReturned(Call returned, long runId, CapturedFailure failure) {
        if (returned != this.pollCall) {
            // The poll was abandoned after start-timeout; it has returned at last.
            this.callAbandoned = false;
            abandonedCallReturned("isRunning()");
            return;
        }
        this.pollCall = null;
        if (failure != null
                && runId == this.runId
                && this.state == ServiceState.RUNNING
                && this.physical == Physical.UP) {
            fail(failure);
        }
        reconcile();
    }

    /**
     * On a watchdog tick: a poll that has run for {@code start-timeout} is abandoned, and counts as a
     * failure of its service. Returns whether it was.
     */
    boolean pollOverdue() {
        Call inFlight = this.pollCall;
        if (inFlight == null || this.callAbandoned || !inFlight.hasBegun()) {
            return false;
        }
        long timeout = Durations.toNanosSaturated(this.options.startTimeout());
        if (this.engine.scheduler().clock().nanoTime() - inFlight.beganNanos() < timeout) {
            return false;
        }
        if (this.engine.calls().abandon(inFlight) != Call.Abandonment.STUCK) {
            return false;
        }
        this.pollCall = null;
        this.callAbandoned = true;
        callAbandoned(inFlight, "isRunning()", this.options.startTimeout());
        if (this.pollRun == this.runId && this.state == ServiceState.RUNNING) {
            fail(CapturedFailure.of(new WatchdogTimeoutException(
                    "isRunning() did not return within " + Durations.format(this.options.startTimeout()))));
        }
        finishStopAskedFor();
        return true;
    }

    // ---------------------------------------------------------------- physical side

    /** Moves the physical side toward {@link #wantUp} when no call is in flight. */
    private void reconcile() {
        if (this.pollCall != null || this.callAbandoned) {
            // A call is in flight; its answer reconciles again.
            return;
        }
        switch (this.physical) {
            case IDLE -> {
                if (this.wantUp) {
                    beginStart();
                } else if (this.state == ServiceState.STOPPING) {
                    finishStop(null);
                }
            }
            case UP -> {
                if ((!this.wantUp || this.stopBeforeStart) && !isStopHeld()) {
                    beginStop();
                }
            }
            default -> {
                // A call is in flight; its answer reconciles again.
            }
        }
    }

    private void beginStart() {
        if (!this.admitted) {
            // An earlier service of its name may still run: it starts once admitted.
            return;
        }
        if (!this.engine.isSupervising()) {
            // Supervision ended while the start waited for a call to return.
            this.wantUp = false;
            if (this.state == ServiceState.STARTING || this.state == ServiceState.STOPPING) {
                finishStop(null);
            }
            return;
        }
        boolean byContainer = this.containerStart;
        this.containerStart = false;
        if (this.leadership != null && !this.leadership.isLeader()) {
            // Another instance leads it, or none does yet: it starts once this one is granted leadership.
            standBy();
            return;
        }
        if (this.runId > 0 && !byContainer && this.engine.groups().holdStart(this)) {
            // A service that must run before it does not: it waits for that one instead.
            return;
        }
        FirstStart pendingFirst = this.firstStart;
        if (pendingFirst != null && !pendingFirst.called && !pendingFirst.claim()) {
            // Its container's thread has submitted the first start; its message, on the way, takes over.
            return;
        }
        long runId = newRun();
        String restartReason = this.pendingRestart;
        this.pendingRestart = null;
        if (this.lifecycle != null) {
            // Only a first start leaves alone an object that already runs, as the application context does:
            // a restart always calls start(), whatever the object says of itself after its stop.
            boolean first = pendingFirst != null && !pendingFirst.called;
            if (first) {
                // Claimed by the control thread: nobody waits for it but the supervisor.
                this.firstStart = null;
            }
            this.physical = Physical.START_CALL;
            submit(
                    "start()",
                    Calls.Kind.START,
                    () -> {
                        if (restartReason != null) {
                            // Counted once the call has begun: posted ahead of its outcome, so told before it.
                            postOutcome(() -> countRestart(restartReason));
                        }
                        if (!first || !this.lifecycle.isRunning()) {
                            this.lifecycle.start();
                        }
                    },
                    this::startReturned,
                    this.options.startTimeout(),
                    this::startTimedOut);
            return;
        }
        RunCancellation runCancellation = new RunCancellation();
        this.cancellation = runCancellation;
        this.physical = Physical.UP;
        try {
            this.engine.launchRun(this.name, () -> runLoop(runId, runCancellation));
        } catch (RejectedExecutionException ex) {
            this.physical = Physical.IDLE;
            fail(CapturedFailure.of(ex));
            reconcile();
            return;
        }
        countRestart(restartReason);
        started();
    }

    /**
     * A restart is counted, and told, when its start or run has begun, not when it was decided; whatever
     * happened to the service since, for {@code start()} was called.
     */
    private void countRestart(String reason) {
        if (reason != null) {
            this.restarts++;
            this.engine.emit(
                    this,
                    new SupervisionEvent.Restarting(this.name, now(), reason),
                    HistoryEntry.Type.RESTARTING,
                    reason);
        }
    }

    /**
     * On the container's thread: claims the first start of a lifecycle service, to be submitted by that
     * thread itself ({@link #submitFirstStart()}); false when it was claimed or has begun already.
     */
    boolean claimFirstStart() {
        FirstStart pendingFirst = this.firstStart;
        // A singleton's start depends on its leadership, which only the control thread knows.
        return pendingFirst != null && this.leadership == null && pendingFirst.claimForContainer();
    }

    /** Whether the container started the service itself and the control thread has not applied the outcome yet. */
    boolean isStartingOnCaller() {
        FirstStart pendingFirst = this.firstStart;
        return pendingFirst != null && pendingFirst.isOnCaller();
    }

    /**
     * On the container's thread, after {@link #claimFirstStart()}: submits the first start to the service's
     * lane directly, and tells the control thread, which tracks the call like any other ({@code
     * start-timeout} included) without being on its way. The future completes when {@code start()} has
     * returned, or when the control thread abandoned it.
     */
    CompletableFuture<Void> submitFirstStart() {
        FirstStart claimed = this.firstStart;
        Call call = new Call("start() of service '" + this.name + "'");
        CompletableFuture<Void> returned = new CompletableFuture<>();
        long[] id = new long[1];
        // Posted before the call exists on a thread: the control thread learns of it before its outcome.
        this.engine.post(this, () -> firstStartSubmitted(call, returned, id));
        Classified code = new Classified(this::firstStartBody);
        this.lane.submit(call, Calls.Kind.START, code, failure -> {
            CapturedFailure captured = code.capture(failure);
            postOutcome(() -> {
                startReturned(id[0], captured);
                // Applied: the first start is over, whatever came of it.
                claimed.outcomeApplied();
                this.firstStart = null;
            });
            // Only once the outcome is posted: what the container posts next (its wait for the snapshots)
            // comes after it.
            returned.complete(null);
            stopIfClosed();
        });
        return returned;
    }

    /** The first start's user code: as the application context, it leaves alone an object that runs. */
    private void firstStartBody() throws Exception {
        if (!this.lifecycle.isRunning()) {
            this.lifecycle.start();
        }
    }

    /** The container submitted the first start: the service is starting, its call tracked from here. */
    private void firstStartSubmitted(Call submitted, CompletableFuture<Void> returned, long[] id) {
        this.firstStart.submittedByContainer(returned);
        if (this.engine.isSupervising() && !this.removed) {
            this.wantUp = true;
            newRun();
        } else {
            // Supervision ended between the claim and now: what the call starts is stopped once it returns.
            this.wantUp = false;
            this.stopBeforeStart = true;
        }
        this.physical = Physical.START_CALL;
        this.call = submitted;
        id[0] = ++this.callId;
        armCallTimer(
                id[0],
                Durations.toNanosSaturated(this.options.startTimeout()),
                this.options.startTimeout(),
                this::startTimedOut);
    }

    /** A new run begins: the service is starting. Returns the run's id. */
    private long newRun() {
        this.stopBeforeStart = false;
        this.runId++;
        transitionTo(ServiceState.STARTING);
        return this.runId;
    }

    /**
     * Submits a call to the service's lane, bounded by {@code timeout} counted from when it begins; its
     * outcome comes back to the control thread as {@code returned(id, failure)}.
     */
    private void submit(
            String what,
            Calls.Kind kind,
            Calls.UserCode body,
            CallOutcome returned,
            Duration timeout,
            java.util.function.LongConsumer timedOut) {
        long id = ++this.callId;
        // A stop that throws is no failure of the service: only a start's failure is classified.
        Classified code = (kind == Calls.Kind.START) ? new Classified(body) : null;
        this.call = this.lane.submit(
                what + " of service '" + this.name + "'", kind, (code != null) ? code : body, failure -> {
                    CapturedFailure captured = (code != null)
                            ? code.capture(failure)
                            : (failure != null) ? CapturedFailure.of(failure) : null;
                    postOutcome(() -> returned.returned(id, captured));
                    if (kind == Calls.Kind.START) {
                        stopIfClosed();
                    }
                });
        armCallTimer(id, Durations.toNanosSaturated(timeout), timeout, timedOut);
    }

    /** Arms the timer of call {@code id}, due when it will have run for its timeout if it began now. */
    private void armCallTimer(long id, long waitNanos, Duration timeout, java.util.function.LongConsumer timedOut) {
        this.callTimer = this.engine.scheduleNanos(this, () -> callTimerDue(id, timeout, timedOut), waitNanos);
    }

    /** The timeout counts from when the call began: one that waited its turn gets its full time. */
    private void callTimerDue(long id, Duration timeout, java.util.function.LongConsumer timedOut) {
        if (id != this.callId || this.call == null || this.callAbandoned) {
            return;
        }
        long timeoutNanos = Durations.toNanosSaturated(timeout);
        if (!this.call.hasBegun()) {
            armCallTimer(id, timeoutNanos, timeout, timedOut);
            return;
        }
        long ran = this.engine.scheduler().clock().nanoTime() - this.call.beganNanos();
        if (ran < timeoutNanos) {
            armCallTimer(id, timeoutNanos - ran, timeout, timedOut);
            return;
        }
        timedOut.accept(id);
    }

    private void runLoop(long runId, RunCancellation runCancellation) {
        runCancellation.bind(Thread.currentThread());
        CapturedFailure failure = null;
        try {
            this.runLoop.run(runCancellation);
        } catch (Throwable ex) {
            // Judged here, on the run's own thread: a classifier that hangs holds up this run only.
            failure = CapturedFailure.of(ex).fatalBy(this.engine.classifiers().fatalBy(this.name, ex));
        } finally {
            runCancellation.bind(null);
        }
        CapturedFailure outcome = failure;
        this.engine.post(this, () -> runEnded(runId, outcome));
        rethrowIfFatalToTheJvm(failure);
    }

    private void startReturned(long id, CapturedFailure failure) {
        if (id != this.callId || this.physical != Physical.START_CALL) {
            return;
        }
        releaseCallerWait();
        releaseCallTimer();
        this.call = null;
        // After a start, failed or abandoned, the object may be (half) started: UP makes the clean-up ask
        // isRunning() and stop it.
        this.physical = Physical.UP;
        if (this.callAbandoned) {
            this.callAbandoned = false;
            this.stopBeforeStart = true;
            abandonedCallReturned("start()");
            return;
        }
        if (this.state == ServiceState.STARTING && !this.stopBeforeStart) {
            if (failure == null) {
                started();
            } else {
                fail(failure);
            }
        } else {
            // Asked to stop or restart meanwhile: what started is stopped first, whatever came of it.
            this.stopBeforeStart = true;
        }
        reconcile();
    }

    private void startTimedOut(long id) {
        if (id != this.callId || this.physical != Physical.START_CALL || this.callAbandoned) {
            return;
        }
        if (this.engine.calls().abandon(this.call) != Call.Abandonment.STUCK) {
            // It returned meanwhile: its answer is on its way.
            return;
        }
        this.callTimer = ScheduledTask.NONE;
        this.callAbandoned = true;
        releaseCallerWait();
        callAbandoned(this.call, "start()", this.options.startTimeout());
        if (this.state == ServiceState.STARTING && !this.stopBeforeStart) {
            fail(CapturedFailure.of(new StartTimeoutException(
                    "start() did not return within " + Durations.format(this.options.startTimeout()))));
        }
        finishStopAskedFor();
    }

    private void started() {
        transitionTo(ServiceState.RUNNING);
        this.backoff.recordStart();
        this.startedAt = now();
        this.engine.emit(this, new SupervisionEvent.Started(this.name, this.startedAt), HistoryEntry.Type.STARTED, "");
        startResolved();
        if (isHalfOpen()) {
            armStateTimer(
                    StateTimer.Kind.PROBE_PASSED, this.options.backoff().cooldownPeriod(), null, this::probePassed);
        }
        this.engine.groups().running(this);
    }

    private void beginStop() {
        this.physical = Physical.STOP_CALL;
        if (this.lifecycle != null) {
            submit(
                    "stop()",
                    Calls.Kind.STOP,
                    this::stopIfRunning,
                    this::stopReturned,
                    this.options.stopTimeout(),
                    this::stopTimedOut);
            return;
        }
        long id = ++this.callId;
        this.cancellation.cancel();
        this.callTimer = this.engine.schedule(this, () -> stopTimedOut(id), this.options.stopTimeout());
    }

    /**
     * On the call's thread: stops the object unless it says it does not run. An object that cannot say
     * (its isRunning() throws) is stopped all the same.
     */
    private void stopIfRunning() throws Exception {
        boolean running = true;
        try {
            running = this.lifecycle.isRunning();
        } catch (VirtualMachineError ex) {
            throw ex;
        } catch (Throwable ex) {
            // Unknown: stopping a stopped object is harmless, leaving a running one up is not.
        }
        if (running) {
            this.lifecycle.stop();
        }
    }

    private void stopReturned(long id, CapturedFailure failure) {
        if (id != this.callId || this.physical != Physical.STOP_CALL) {
            return;
        }
        releaseCallTimer();
        this.call = null;
        if (failure != null && !(failure.exception() instanceof InterruptedException)) {
            failure.warn(logger, "Service '" + this.name + "': stop() failed");
        }
        stopCallEnded("stop()");
    }

    private void stopTimedOut(long id) {
        if (id != this.callId || this.physical != Physical.STOP_CALL || this.callAbandoned) {
            return;
        }
        Call abandoned = this.call;
        if (abandoned != null && this.engine.calls().abandon(abandoned) != Call.Abandonment.STUCK) {
            return;
        }
        this.callTimer = ScheduledTask.NONE;
        this.callAbandoned = true;
        callAbandoned(abandoned, (this.lifecycle != null) ? "stop()" : "run()", this.options.stopTimeout());
        // Supervision goes on as if it had stopped; the object is not called again until the call returns.
        stopDone();
    }

    private void runEnded(long runId, CapturedFailure failure) {
        if (runId != this.runId) {
            return;
        }
        if (this.physical == Physical.STOP_CALL) {
            releaseCallTimer();
            stopCallEnded("run()");
            return;
        }
        if (this.physical != Physical.UP) {
            return;
        }
        this.physical = Physical.IDLE;
        this.stopBeforeStart = false;
        if (this.state == ServiceState.RUNNING) {
            if (failure == null) {
                completed();
            } else {
                fail(failure);
            }
        }
        reconcile();
    }

    /** The stop call (or the run being stopped) returned, in time or after it was abandoned. */
    private void stopCallEnded(String what) {
        if (this.callAbandoned) {
            // Supervision moved on when it was abandoned; only the object is free again.
            this.callAbandoned = false;
            this.physical = Physical.IDLE;
            this.stopBeforeStart = false;
            abandonedCallReturned(what);
            return;
        }
        stopped();
    }

    /** The physical side has just become idle after a stop call. */
    private void stopped() {
        this.physical = Physical.IDLE;
        this.stopBeforeStart = false;
        stopDone();
    }

    /** A stop ended (returned, or was abandoned): the supervision side moves on. */
    private void stopDone() {
        if (this.state == ServiceState.STOPPING) {
            Duration runTime = stopRun();
            this.engine.emit(
                    this,
                    new SupervisionEvent.Stopped(this.name, now(), runTime),
                    HistoryEntry.Type.STOPPED,
                    describe(runTime));
            if (!this.wantUp) {
                finishStop(runTime, false);
                return;
            }
        }
        reconcile();
    }

    /**
     * A call was just abandoned: a stop asked for while it ran is done now, as one asked for after it would
     * be; the object is stopped, if need be, when the call returns.
     */
    private void finishStopAskedFor() {
        if (this.state == ServiceState.STOPPING && !this.wantUp) {
            finishStop(stopRun());
        }
    }

    /** Tells of a call abandoned after its timeout, with where its thread was. */
    private void callAbandoned(Call abandoned, String what, Duration timeout) {
        long now = this.engine.scheduler().clock().nanoTime();
        this.abandonedCallBegan =
                (abandoned != null) ? abandoned.beganNanos() : now - Durations.toNanosSaturated(timeout);
        List<StackTraceElement> stack = (abandoned != null) ? List.of(abandoned.stack()) : List.of();
        this.engine.emit(
                this,
                new SupervisionEvent.CallAbandoned(this.name, now(), what, timeout, stack),
                HistoryEntry.Type.CALL_ABANDONED,
                what + " did not return within " + Durations.format(timeout)
                        + "; the service is not called again until it returns");
    }

    /** An abandoned call returned at last: the service may be called again. */
    private void abandonedCallReturned(String what) {
        Duration after = Duration.ofNanos(this.engine.scheduler().clock().nanoTime() - this.abandonedCallBegan);
        this.engine.emit(
                this,
                new SupervisionEvent.AbandonedCallReturned(this.name, now(), what, after),
                HistoryEntry.Type.CALL_RETURNED,
                what + " returned " + Durations.describe(after) + " after it began");
        reconcile();
    }

    /** The container waits no longer for a first start it submitted (completed already if it returned). */
    private void releaseCallerWait() {
        FirstStart pendingFirst = this.firstStart;
        if (pendingFirst != null) {
            pendingFirst.releaseCallerWait();
        }
    }

    /**
     * On a start call's thread, once its outcome is handed over: when the supervisor is closing, nothing may
     * be left to stop what this start began — its control thread and call threads are going — so this
     * thread stops the object itself, before the lane lets another call in. A start that returns late,
     * after its call was abandoned and the supervisor closed, thus never leaves a bean running. While the
     * supervisor is still up it stops the object as well, through the lane, after this stop: the object is
     * then asked {@code isRunning()} first, so a stopped one is not stopped twice.
     */
    private void stopIfClosed() {
        if (!this.engine.isClosed()) {
            return;
        }
        // The interrupt of an abandoned call was meant for its start, not for this stop.
        boolean interrupted = Thread.interrupted();
        try {
            stopIfRunning();
            logger.info("Service '" + this.name + "': start() returned after the supervisor closed; stopped it");
        } catch (VirtualMachineError ex) {
            throw ex;
        } catch (Throwable ex) {
            CapturedFailure.of(ex)
                    .warn(
                            logger,
                            "Service '" + this.name + "': stop() after a start that returned once the"
                                    + " supervisor closed failed");
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Hands a call's outcome to the control thread. After the supervisor has shut down, a call that was
     * stuck until then has nobody left to tell.
     */
    private void postOutcome(Runnable outcome) {
        try {
            this.engine.post(this, outcome);
        } catch (RejectedExecutionException ex) {
            logger.debug("Service '" + this.name + "': a call returned after the supervisor shut down");
        }
    }

    private void finishStop(Duration runTime) {
        finishStop(runTime, true);
    }

    private void finishStop(Duration runTime, boolean announce) {
        if (waitingFor() != null) {
            enterWaiting();
        } else if (standsBy()) {
            transitionTo(ServiceState.STANDBY);
        } else {
            transitionTo(ServiceState.STOPPED);
        }
        if (announce && (this.state == ServiceState.STOPPED || this.state == ServiceState.STANDBY)) {
            this.engine.emit(
                    this,
                    new SupervisionEvent.Stopped(this.name, now(), runTime),
                    HistoryEntry.Type.STOPPED,
                    describe(runTime));
        }
        startResolved();
        stopResolved();
    }

    /** Where a call's outcome goes, on the control thread. */
    @FunctionalInterface
    private interface CallOutcome {

        void returned(long id, CapturedFailure failure);
    }

    // ---------------------------------------------------------------- decisions

    /** The current run failed (state STARTING or RUNNING): count it and decide what follows. */
    private void fail(CapturedFailure cause) {
        // The backoff ends the run as it records the failure, after its cooldown rule has seen it.
        Duration runTime = this.backoff.runTime();
        this.wantUp = false;
        this.stopBeforeStart = true;
        this.failures++;
        Instant at = now();
        this.lastFailure = new ServiceSnapshot.LastFailure(at, cause.className(), cause.message());
        BackoffDecision decision = this.backoff.recordFailure();
        boolean supervising = this.engine.isSupervising();
        String giveUpReason = giveUpReason(cause);
        boolean probeFailed = isHalfOpen();
        // Decided before the event goes out, so that the failure and what follows it can be told as one.
        Duration restartIn =
                (supervising && giveUpReason == null && !probeFailed && decision instanceof BackoffDecision.Retry retry)
                        ? retry.delay()
                        : null;
        this.engine.emit(
                this,
                new SupervisionEvent.Failed(this.name, at, cause, this.backoff.attempt(), runTime, restartIn),
                HistoryEntry.Type.FAILED,
                cause.description());
        if (!supervising) {
            // No restart; what may still run is stopped first, and whoever waits for the stop waits for that.
            transitionTo(
                    (this.physical != Physical.IDLE && !this.callAbandoned)
                            ? ServiceState.STOPPING
                            : ServiceState.STOPPED);
        } else if (giveUpReason != null) {
            giveUp(giveUpReason);
        } else if (restartIn != null) {
            scheduleRestart(restartIn, "backoff");
        } else {
            int recentFailures =
                    probeFailed ? this.backoff.recentFailures() : ((BackoffDecision.CircuitOpen) decision).failures();
            openCircuit(recentFailures, cause);
        }
        startResolved();
        ServiceRecord last = this.engine.groups().takeDownTiedTo(this);
        if (last != null && this.physical != Physical.IDLE) {
            // Its clean-up stop waits for theirs: dependents stop before what they depend on, as they may
            // still use it while they stop.
            holdStop(last);
        }
    }

    /** Why this failure ends supervision of the service, or {@code null} when it does not. */
    private String giveUpReason(CapturedFailure cause) {
        if (cause.exception() instanceof VirtualMachineError || this.options.isFatal(cause)) {
            return "fatal exception " + cause.className();
        }
        if (cause.fatalBy() != null) {
            return "fatal by failure classifier '" + cause.fatalBy() + "': " + cause.className();
        }
        if (this.options.restartPolicy() == RestartPolicy.NEVER) {
            return "restart policy is never";
        }
        return null;
    }

    /** A run loop returned without being asked to stop. */
    private void completed() {
        Duration runTime = this.backoff.runTime();
        this.backoff.recordCompletion();
        this.wantUp = false;
        Duration restartIn = (this.engine.isSupervising() && this.options.restartPolicy() == RestartPolicy.ALWAYS)
                ? this.options.backoff().baseDelay()
                : null;
        this.engine.emit(
                this,
                new SupervisionEvent.Completed(this.name, now(), runTime, restartIn),
                HistoryEntry.Type.COMPLETED,
                describe(runTime));
        if (isHalfOpen()) {
            closeCircuit("probe completed");
        }
        if (restartIn != null) {
            scheduleRestart(restartIn, "restart policy always");
        } else {
            transitionTo(ServiceState.COMPLETED);
        }
    }

    private void scheduleRestart(Duration delay, String reason) {
        transitionTo(ServiceState.BACKING_OFF);
        Instant at = now();
        Instant restartAt = at.plus(delay);
        armStateTimer(StateTimer.Kind.RESTART, delay, restartAt, () -> restartDue(reason));
        this.engine.emit(
                this,
                new SupervisionEvent.RestartScheduled(this.name, at, delay, restartAt),
                HistoryEntry.Type.RESTART_SCHEDULED,
                "in " + Durations.describe(delay) + " (" + reason + ")");
    }

    /**
     * Arms the timer of the state just entered; when it fires, {@code due} runs only if it is still due
     * ({@link StateTimer#isDue}).
     */
    private void armStateTimer(StateTimer.Kind kind, Duration delay, Instant shownAt, Runnable due) {
        long runId = this.runId;
        if (this.stateTimer == null) {
            this.stateTimer = new StateTimer();
        }
        StateTimer timer = this.stateTimer;
        timer.arm(
                kind,
                runId,
                shownAt,
                this.engine.schedule(
                        this,
                        () -> {
                            if (this.stateTimer == timer
                                    && timer.isDue(kind, runId, this.runId, this.state, this.engine.isSupervising())) {
                                this.stateTimer = null;
                                due.run();
                            }
                        },
                        delay));
    }

    /** Cancels the timer of the state, if one is armed; the object goes with it (most services have none). */
    private void cancelStateTimer() {
        if (this.stateTimer != null) {
            this.stateTimer.cancel();
            this.stateTimer = null;
        }
    }

    private void restartDue(String reason) {
        this.pendingRestart = reason;
        this.wantUp = true;
        reconcile();
    }

    private void openCircuit(int recentFailures, CapturedFailure cause) {
        if (this.circuit == null) {
            this.circuit = new Circuit();
        }
        int openings = this.circuit.open();
        transitionTo(ServiceState.CIRCUIT_OPEN);
        CircuitBreakerPolicy policy = this.options.circuitBreaker();
        Instant at = now();
        Instant probeAt = null;
        if (policy.onOpen() == CircuitOpenAction.HALF_OPEN) {
            Duration wait = policy.openDuration(openings);
            probeAt = at.plus(wait);
            armStateTimer(StateTimer.Kind.PROBE, wait, probeAt, this::probeDue);
        }
        this.engine.emit(
                this,
                new SupervisionEvent.CircuitOpened(this.name, at, recentFailures, policy.maxFailures(), probeAt),
                HistoryEntry.Type.CIRCUIT_OPENED,
                recentFailures + " failures inside " + Durations.format(policy.window()) + ", on-open "
                        + policy.onOpen().value()
                        + (probeAt != null ? ", probe at " + probeAt : ""));
        if (policy.onOpen() == CircuitOpenAction.SHUTDOWN) {
            this.engine.escalate(this.name, cause);
        }
        if (policy.onOpen() == CircuitOpenAction.FAILOVER && this.leadership != null) {
            Duration out = policy.openDuration(openings);
            armStateTimer(StateTimer.Kind.FAILOVER_OVER, out, at.plus(out), this::failoverOver);
            this.leadership.failover(out);
            handBackWhenStopped();
        }
    }

    private void probeDue() {
        this.circuit.probe();
        this.pendingRestart = "half-open probe";
        this.wantUp = true;
        reconcile();
    }

    private void probePassed() {
        if (isHalfOpen()) {
            this.backoff.reset();
            closeCircuit(
                    "probe ran for " + Durations.format(this.options.backoff().cooldownPeriod()));
        }
    }

    private boolean isHalfOpen() {
        return this.circuit != null && this.circuit.isHalfOpen();
    }

    private void closeCircuit(String reason) {
        this.circuit.close();
        this.circuit = null;
        this.engine.emit(
                this,
                new SupervisionEvent.CircuitClosed(this.name, now(), reason),
                HistoryEntry.Type.CIRCUIT_CLOSED,
                reason);
    }

    private void giveUp(String reason) {
        transitionTo(ServiceState.FAILED);
        this.engine.emit(
                this, new SupervisionEvent.GaveUp(this.name, now(), reason), HistoryEntry.Type.GAVE_UP, reason);
    }

    // ---------------------------------------------------------------- waiters

    private Waiters waiters() {
        if (this.waiters == null) {
            this.waiters = new Waiters();
        }
        return this.waiters;
    }

    private void answer(CompletableFuture<Void> waiter) {
        if (waiter != null) {
            waiters().answer(waiter);
        }
    }

    private void awaitStart(CompletableFuture<Void> waiter) {
        if (waiter != null) {
            waiters().awaitStart(waiter);
        }
    }

    private void awaitStop(CompletableFuture<Void> waiter) {
        if (waiter != null) {
            waiters().awaitStop(waiter);
        }
    }

    private void startResolved() {
        if (this.waiters != null) {
            this.waiters.startResolved();
        }
    }

    private void stopResolved() {
        if (this.waiters != null) {
            this.waiters.stopResolved();
        }
    }

    // ---------------------------------------------------------------- groups

    /** While WAITING (or stopping to wait): the service it waits for, never one that waits itself. */
    ServiceRecord waitingFor() {
        return (this.ties != null) ? this.ties.waitingFor() : null;
    }

    /** Taken down with others: its stop begins once that one's stop is done (it is stopped later in order). */
    private ServiceRecord stopAfter() {
        return (this.ties != null) ? this.ties.stopAfter() : null;
    }

    /** The service taken down after this one, whose stop begins once this one's is done. */
    private ServiceRecord releases() {
        return (this.ties != null) ? this.ties.releases() : null;
    }

    /** The ties, created for a value to keep; null when there are none and none is to be kept. */
    private GroupTies ties(ServiceRecord value) {
        if (this.ties == null && value != null) {
            this.ties = new GroupTies();
        }
        return this.ties;
    }

    private void setWaitingFor(ServiceRecord waited) {
        GroupTies kept = ties(waited);
        if (kept != null) {
            kept.waitFor(waited);
        }
    }

    private void setStopAfter(ServiceRecord other) {
        GroupTies kept = ties(other);
        if (kept != null) {
            kept.stopAfter(other);
        }
    }

    private void setReleases(ServiceRecord other) {
        GroupTies kept = ties(other);
        if (kept != null) {
            kept.releases(other);
        }
    }

    /**
     * Its stop begins only once {@code first}'s is done, and {@code first} releases it then; with null, its
     * stop waits for no other.
     */
    private void holdStop(ServiceRecord first) {
        setStopAfter(first);
        if (first != null) {
            first.setReleases(this);
        }
    }

    /**
     * Waits for {@code target} (or what it waits for) from now on; no longer waits when null. A waiting
     * service tells of the change.
     */
    void waitFor(ServiceRecord target) {
        if (target == null && waitingFor() == null) {
            return;
        }
        ServiceRecord previous = waitingFor();
        setWaitingFor(this.engine.groups().changeWait(this, previous, target));
        if (this.state == ServiceState.WAITING && waitingFor() != null && waitingFor() != previous) {
            tellWaiting();
        }
    }

    /**
     * Taken down because {@code cause} went down: stopped (its stop beginning once {@code after}'s is done)
     * and then WAITING for it; one waiting already waits for {@code cause} from now on. Nothing is counted.
     * Returns whether its stop is under way.
     */
    boolean takeDown(ServiceRecord cause, ServiceRecord after) {
        if (this.removed) {
            return false;
        }
        if (this.state == ServiceState.WAITING) {
            waitFor(cause);
            return false;
        }
        if (!isUp()) {
            // Down already (stopped, failed, circuit open, completed): it stays as it is.
            return false;
        }
        waitFor(cause);
        if (waitingFor() == null) {
            return false;
        }
        holdStop((after != null && after.state == ServiceState.STOPPING) ? after : null);
        stop(null);
        return this.state == ServiceState.STOPPING;
    }

    /**
     * Due to start, but a service that must run first does not: WAITING for it, holding the restart, which
     * is counted when it starts. Returns false when it cannot wait for {@code blocker} (it waits for this one).
     */
    boolean waitInstead(ServiceRecord blocker) {
        waitFor(blocker);
        if (waitingFor() == null) {
            return false;
        }
        this.wantUp = false;
        cancelStateTimer();
        enterWaiting();
        startResolved();
        return true;
    }

    /** The service it waited for runs, and all that must run before it does: it starts again. */
    void resume() {
        if (this.removed || waitingFor() == null || !this.engine.isSupervising()) {
            return;
        }
        String waited = waitingFor().name;
        waitFor(null);
        setStopAfter(null);
        if (this.pendingRestart == null) {
            this.pendingRestart = "waited for " + waited;
        }
        this.wantUp = true;
        if (this.physical != Physical.IDLE) {
            // Still stopping (or not stopped yet): it is stopped, then started, as a restart is.
            if (this.physical != Physical.STOP_CALL) {
                this.stopBeforeStart = true;
            }
            transitionTo(ServiceState.STOPPING);
        }
        reconcile();
    }

    /** The stop this one's stop waited for is done. */
    private void releaseStop(ServiceRecord done) {
        if (stopAfter() == done) {
            setStopAfter(null);
            reconcile();
            publish();
        }
    }

    /** Whether its stop waits for another's, taken down after it, to be done first. */
    private boolean isStopHeld() {
        return stopAfter() != null && stopAfter().state == ServiceState.STOPPING;
    }

    private void enterWaiting() {
        transitionTo(ServiceState.WAITING);
        tellWaiting();
    }

    private void tellWaiting() {
        String waited = waitingFor().name;
        this.engine.emit(
                this,
                new SupervisionEvent.Waiting(this.name, now(), waited),
                HistoryEntry.Type.WAITING,
                "for " + waited);
    }

    // ---------------------------------------------------------------- cluster singletons (rules: Leadership)

    /** Whether a stop ends in STANDBY rather than STOPPED: a singleton that would run, had it leadership. */
    private boolean standsBy() {
        return this.leadership != null && this.leadership.standsBy();
    }

    /** Stopped for good, by the container or an operator: a grant of leadership starts nothing. */
    private void unwant() {
        if (this.leadership != null) {
            this.leadership.unwant();
        }
    }

    /** Due to start, but this instance does not lead it: STANDBY until it does. Nothing is counted. */
    private void standBy() {
        this.leadership.want();
        this.wantUp = false;
        this.pendingRestart = null;
        cancelStateTimer();
        if (this.state != ServiceState.STANDBY) {
            transitionTo(ServiceState.STANDBY);
            record(HistoryEntry.Type.STANDBY, "leader elsewhere, or not elected yet");
        }
        startResolved();
        stopResolved();
    }

    /** This instance now leads the singleton: one that would run starts, with its usual supervision. */
    void leadershipGranted() {
        if (this.leadership == null || this.removed) {
            return;
        }
        Leadership.Grant grant = this.leadership.granted(now(), this.state, !this.wantUp, this.engine.isSupervising());
        if (grant == Leadership.Grant.IGNORED) {
            return;
        }
        this.engine.emit(
                this,
                new SupervisionEvent.LeadershipGranted(this.name, this.leadership.since(), this.leadership.lock),
                HistoryEntry.Type.LEADERSHIP_GRANTED,
                this.leadership.lock);
        if (grant != Leadership.Grant.START) {
            return;
        }
        this.wantUp = true;
        if (this.physical != Physical.IDLE) {
            // Still stopping from a leadership lost a moment ago: stopped, then started, as a restart is.
            if (this.physical != Physical.STOP_CALL) {
                this.stopBeforeStart = true;
            }
            transitionTo(ServiceState.STOPPING);
        }
        reconcile();
    }

    /**
     * This instance no longer leads the singleton: a service that runs here is stopped at once, not counted
     * as a failure, and is STANDBY; whatever else it is stays as it is.
     */
    void leadershipRevoked(String reason) {
        if (this.leadership == null || this.removed) {
            return;
        }
        Leadership.Revocation revocation = this.leadership.revoked(now(), isUp());
        if (revocation == Leadership.Revocation.IGNORED) {
            return;
        }
        tellRevoked(reason);
        if (revocation == Leadership.Revocation.STOP) {
            stop(null);
        }
    }

    private void tellRevoked(String reason) {
        this.engine.emit(
                this,
                new SupervisionEvent.LeadershipRevoked(
                        this.name, this.leadership.since(), this.leadership.lock, reason),
                HistoryEntry.Type.LEADERSHIP_REVOKED,
                reason);
    }

    /**
     * An operator gives the leadership up (planned maintenance): the service is stopped here, then the lock
     * is handed back, so that the next leader never runs it beside this one. Returns false for a service
     * that is no singleton or that this instance does not lead.
     */
    boolean yieldLeadership() {
        if (this.leadership == null || this.removed) {
            return false;
        }
        boolean up = isUp();
        if (!this.leadership.stepDown("yielded", Duration.ZERO, up)) {
            return false;
        }
        handBackWhenStopped();
        if (up) {
            stop(null);
        }
        return true;
    }

    /**
     * Completes {@code down} once nothing of the service runs here ({@link #isDownHere()}): an election
     * holds its lock until then, so that no other instance starts the service beside this one. At once for
     * a service that is no singleton.
     */
    void awaitDownHere(CompletableFuture<Void> down) {
        if (this.leadership == null || isDownHere()) {
            down.complete(null);
            return;
        }
        this.leadership.addFence(down);
    }

    /** Called after every message: lets the elections waiting for the service to be down release their lock. */
    private void releaseFences() {
        if (this.leadership != null && this.leadership.hasFences() && isDownHere()) {
            this.leadership.releaseFences();
        }
    }

    /**
     * Whether nothing of the service runs here: no call into it in flight, abandoned or not — a start that
     * returns late may leave it running — and it is not stopping or starting.
     */
    private boolean isDownHere() {
        return this.physical == Physical.IDLE
                && this.state != ServiceState.STOPPING
                && this.state != ServiceState.STARTING;
    }

    /** Called after every message: hands back the lock once nothing runs here and no call is in flight. */
    private void handBackWhenStopped() {
        if (this.leadership == null) {
            return;
        }
        boolean stopped = (this.physical == Physical.IDLE || this.callAbandoned) && this.state != ServiceState.STOPPING;
        Leadership.HandBack handBack = this.leadership.handBack(stopped, now());
        if (handBack == null) {
            return;
        }
        if (handBack.wasLeader()) {
            tellRevoked(handBack.reason());
        }
        this.engine.stepDown(this.name, this.leadership.lock, handBack.outFor());
    }

    /** The failover's time out of the election is over: the circuit closes and this instance is a candidate again. */
    private void failoverOver() {
        this.backoff.reset();
        closeCircuit("failover period over");
        switch (this.leadership.afterFailover()) {
            case STAY_DOWN -> transitionTo(ServiceState.STOPPED);
            case START -> {
                this.wantUp = true;
                reconcile();
            }
            case STAND_BY -> standBy();
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Moves to another state. A move the table does not allow is a bug of this class: it fails a test
     * (assertions are on there) and, in production, is logged and made all the same, since a service left
     * in a state it should have left would be worse.
     */
    private void transitionTo(ServiceState next) {
        if (next != this.state && !isLegalMove(this.state, next)) {
            String message = "Service '" + this.name + "': illegal move from " + this.state + " to " + next;
            logger.error(message);
            assert false : message;
        }
        boolean leftStopping = this.state == ServiceState.STOPPING && next != ServiceState.STOPPING;
        // The exit action of every move: a timer of the state left goes with it.
        if (this.stateTimer != null && this.stateTimer.leaving(next)) {
            this.stateTimer = null;
        }
        this.state = next;
        if (leftStopping && releases() != null) {
            ServiceRecord released = releases();
            setReleases(null);
            released.releaseStop(this);
        }
    }

    /**
     * Whether the service runs or is about to: {@code STARTING}, {@code RUNNING}, {@code BACKING_OFF}, or
     * stopping only to start again (a restart). What goes down with it, or is stopped for leadership,
     * is what is up in this sense.
     */
    private boolean isUp() {
        return this.state.isActive() || (this.state == ServiceState.STOPPING && this.wantUp);
    }

    /** Whether the table allows moving from {@code from} to {@code to} (staying is always allowed). */
    static boolean isLegalMove(ServiceState from, ServiceState to) {
        return from == to || ENTERED_FROM.get(to).contains(from);
    }

    private static Map<ServiceState, Set<ServiceState>> legalMoves() {
        Map<ServiceState, Set<ServiceState>> moves = new EnumMap<>(ServiceState.class);
        Set<ServiceState> starting = EnumSet.allOf(ServiceState.class);
        starting.remove(ServiceState.RUNNING);
        // A start begins from any state but RUNNING, which is stopped (STOPPING) before it starts again.
        moves.put(ServiceState.STARTING, starting);
        moves.put(ServiceState.RUNNING, EnumSet.of(ServiceState.STARTING));
        // What follows a failure: the failure happens while starting or running.
        moves.put(ServiceState.BACKING_OFF, EnumSet.of(ServiceState.STARTING, ServiceState.RUNNING));
        moves.put(ServiceState.CIRCUIT_OPEN, EnumSet.of(ServiceState.STARTING, ServiceState.RUNNING));
        moves.put(ServiceState.FAILED, EnumSet.of(ServiceState.STARTING, ServiceState.RUNNING));
        // Only a run loop completes, and only one that runs.
        moves.put(ServiceState.COMPLETED, EnumSet.of(ServiceState.RUNNING));
        // Operator commands, shutdown and leadership come in any state, while the object's calls go on apart
        // (the physical side): so stopping, stopped, waiting and standing by are entered from most states.
        // But a completed run loop has nothing left to stop (its run has ended), and a running service has its
        // object up with no call abandoned, so it is stopped (STOPPING) before it waits or stands by.
        moves.put(ServiceState.STOPPING, EnumSet.complementOf(EnumSet.of(ServiceState.COMPLETED)));
        moves.put(ServiceState.STOPPED, EnumSet.allOf(ServiceState.class));
        moves.put(ServiceState.WAITING, EnumSet.complementOf(EnumSet.of(ServiceState.RUNNING)));
        moves.put(ServiceState.STANDBY, EnumSet.complementOf(EnumSet.of(ServiceState.RUNNING)));
        return moves;
    }

    /** How long the run under way lasted, or null when none was; the run ends now without a decision. */
    private Duration stopRun() {
        Duration runTime = this.backoff.runTime();
        this.backoff.recordStop();
        return runTime;
    }

    private Instant now() {
        return this.engine.scheduler().now();
    }

    private static String describe(Duration runTime) {
        return (runTime != null) ? "ran " + Durations.describe(runTime) : "";
    }

    private void record(HistoryEntry.Type type, String detail) {
        this.history.add(new HistoryEntry(now(), type, detail));
    }

    void addToHistory(HistoryEntry event) {
        this.history.add(event);
    }

    static void rethrowIfFatalToTheJvm(CapturedFailure failure) {
        if (failure != null && failure.exception() instanceof VirtualMachineError error) {
            throw error;
        }
    }

    /** Rebuilds the published snapshot, and keeps the count of recent failures fresh as time passes. */
    void publish() {
        handBackWhenStopped();
        releaseFences();
        this.snapshot = buildSnapshot();
        if (this.waiters != null) {
            this.waiters.publish();
            if (this.waiters.isEmpty()) {
                this.waiters = null;
            }
        }
        if (this.refreshTimer == null && !this.removed) {
            OptionalLong drop = this.backoff.nanosUntilRecentFailuresDrop();
            if (drop.isPresent()) {
                this.refreshTimer = this.engine.scheduleNanos(this, () -> this.refreshTimer = null, drop.getAsLong());
            }
        }
    }

    /** Cancels the timer of the call that just returned and lets it go: a cancelled timer still holds memory. */
    private void releaseCallTimer() {
        this.callTimer.cancel();
        this.callTimer = ScheduledTask.NONE;
    }

    void cancelTimers() {
        cancelStateTimer();
        if (this.refreshTimer != null) {
            this.refreshTimer.cancel();
            this.refreshTimer = null;
        }
    }

    /**
     * Called after every message: it allocates only the snapshot, and a view of the history when that
     * changed (never a copy); the settings parts are shared by every snapshot of the service.
     */
    private ServiceSnapshot buildSnapshot() {
        ServiceTopology topology = this.engine.topology();
        return new ServiceSnapshot(
                this.name,
                (this.lifecycle != null) ? ServiceKind.LIFECYCLE : ServiceKind.SERVICE,
                this.state,
                this.settings.restartPolicy(),
                this.backoff.attempt(),
                this.backoff.recentFailures(),
                this.failures,
                this.restarts,
                (this.circuit != null) ? this.circuit.state() : CircuitState.CLOSED,
                this.startedAt,
                (this.stateTimer != null) ? this.stateTimer.dueAt() : null,
                this.lastFailure,
                this.settings.backoff(),
                this.settings.circuitBreaker(),
                this.history.recent(),
                topology.groupOf(this.name).map(ServiceTopology.Group::name).orElse(null),
                topology.dependsOn(this.name),
                (waitingFor() != null) ? waitingFor().name : null,
                (this.leadership != null) ? this.leadership.snapshot() : null);
    }
}
