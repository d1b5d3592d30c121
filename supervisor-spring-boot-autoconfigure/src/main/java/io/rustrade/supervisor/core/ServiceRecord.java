package io.rustrade.supervisor.core;

import io.rustrade.supervisor.EventHistory;
import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.SupervisedService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The state machine of one supervised service. Every method but {@link #snapshot()} and {@link
 * #currentRun()} runs on the control thread, so none needs a lock.
 *
 * <p>Two things are tracked apart: the supervision {@link ServiceState} that people see, and what is
 * physically going on with the user's object ({@link Physical}): idle, a {@code start()} call in
 * flight, up, or a {@code stop()} in flight. {@link #wantUp} is where the physical side should go next;
 * {@link #settle()} drives it there once no call is in flight. Every call and every run carries an id,
 * so a late answer from an abandoned call or an old run is recognised and dropped, and concurrent
 * reports about one run count once.
 */
final class ServiceRecord {

    private static final Log logger = LogFactory.getLog(SupervisorEngine.class);

    enum Physical {
        IDLE,
        START_CALL,
        UP,
        STOP_CALL
    }

    private final SupervisorEngine engine;

    final String name;

    final boolean bean;

    final ServiceOptions options;

    private final LifecycleService lifecycle;

    private final SupervisedService runLoop;

    private final BackoffState backoff;

    private final EventHistory history;

    private final String kind;

    /** The parts of every snapshot that depend only on the options, shared with every service on them. */
    private final SnapshotSettings settings;

    private ServiceState state = ServiceState.STOPPED;

    private Physical physical = Physical.IDLE;

    private boolean wantUp;

    /** The object may still run after a failure or before a restart: stop it before it starts again. */
    private boolean dirty;

    /** Id of the current or last start attempt; read by reporting threads to tag their report. */
    private volatile long run;

    private long callId;

    /** Calls off the user call in flight, interrupting its thread; null when none is. */
    private Cancellable call;

    /**
     * Whether the first start is still unclaimed: its container may run it on its own thread ({@link
     * #claimStartOnCaller()}), or the control thread may begin it. Whoever flips it first starts the
     * service; the other does not, so the object is never started twice at once.
     */
    private final AtomicBoolean firstStartUnclaimed = new AtomicBoolean(true);

    /** Control thread: the first start has begun, on whichever thread. */
    private boolean firstStartBegun;

    /** From the container's claim of the first start until the control thread has applied its outcome. */
    private volatile boolean startingOnCaller;

    private Cancellable callTimer = Cancellable.NONE;

    private Cancellable timer = Cancellable.NONE;

    private Cancellable refreshTimer;

    private RunCancellation cancellation;

    private String circuit = "closed";

    private int openings;

    private long failures;

    private long restarts;

    private long runStartedNanos;

    private boolean inRun;

    private Instant startedAt;

    private Instant nextRestartAt;

    private ServiceSnapshot.LastFailure lastFailure;

    /*
     * Waiters are rare and short-lived, and thousands of services may be supervised: the lists exist only
     * while they hold something.
     */
    private List<CompletableFuture<Void>> startWaiters;

    private List<CompletableFuture<Void>> stopWaiters;

    /** Waiters whose request is done, completed by the next {@link #publish()}. */
    private List<CompletableFuture<Void>> answered;

    /** Set when the supervisor, not an operator, stopped a service registered at run time. */
    boolean resumeWithSupervisor;

    boolean removed;

    private volatile ServiceSnapshot snapshot;

    ServiceRecord(
            SupervisorEngine engine,
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
        this.kind = (lifecycle != null) ? "lifecycle" : "service";
        this.settings = options.snapshotSettings();
        this.backoff = new BackoffState(
                options.backoff(), options.circuitBreaker(), engine.scheduler().clock(), engine.random());
        this.history = new EventHistory(historySize);
        // Built on the registering thread so that the service is visible when register returns; the
        // control thread takes over every later change.
        this.snapshot = buildSnapshot();
    }

    ServiceSnapshot snapshot() {
        return this.snapshot;
    }

    long currentRun() {
        return this.run;
    }

    ServiceState state() {
        return this.state;
    }

    boolean isLifecycle() {
        return this.lifecycle != null;
    }

    LifecycleService lifecycle() {
        return this.lifecycle;
    }

    /** Whether the watchdog should ask this service whether it still runs. */
    boolean isWatched() {
        return this.lifecycle != null && this.state == ServiceState.RUNNING && this.physical == Physical.UP;
    }

    // ---------------------------------------------------------------- requests

    /** Starts the service unless it is already starting, running or backing off. */
    void requestStart(CompletableFuture<Void> waiter) {
        if (this.removed || this.state.isActive() || !this.engine.isSupervising()) {
            complete(waiter);
            return;
        }
        this.timer.cancel();
        this.nextRestartAt = null;
        if (!"closed".equals(this.circuit)) {
            closeCircuit("started by request");
        }
        this.wantUp = true;
        if (waiter != null) {
            this.startWaiters = with(this.startWaiters, waiter);
        }
        settle();
    }

    /** Stops the service and cancels any pending restart; it stays STOPPED. */
    void requestStop(CompletableFuture<Void> waiter) {
        this.wantUp = false;
        this.timer.cancel();
        this.nextRestartAt = null;
        if (this.state == ServiceState.STOPPED) {
            complete(waiter);
            return;
        }
        if (waiter != null) {
            this.stopWaiters = with(this.stopWaiters, waiter);
        }
        if (this.state == ServiceState.STOPPING) {
            return;
        }
        if (this.physical == Physical.IDLE) {
            finishStop(null);
            return;
        }
        this.state = ServiceState.STOPPING;
        record("stopping", "");
        settle();
    }

    /** Stops the service if it runs and starts it at once, skipping backoff: an operator's restart. */
    void requestRestart() {
        if (this.removed || !this.engine.isSupervising()) {
            return;
        }
        this.timer.cancel();
        this.nextRestartAt = null;
        if (!"closed".equals(this.circuit)) {
            closeCircuit("restarted by request");
        }
        this.restarts++;
        this.engine.emit(
                this, new SupervisionEvent.Restarting(this.name, now(), "requested"), "restarting", "requested");
        this.wantUp = true;
        if (this.physical == Physical.UP) {
            this.state = ServiceState.STOPPING;
            this.dirty = true;
        }
        settle();
    }

    /** Clears attempt, failure history and an open circuit, then starts the service if it is not running. */
    void requestReset() {
        if (this.removed) {
            return;
        }
        this.backoff.reset();
        this.openings = 0;
        if (!"closed".equals(this.circuit)) {
            closeCircuit("reset");
        }
        this.engine.emit(this, new SupervisionEvent.Reset(this.name, now()), "reset", "");
        boolean running = this.state == ServiceState.STARTING
                || this.state == ServiceState.RUNNING
                || this.state == ServiceState.STOPPING;
        if (!running && this.engine.isSupervising()) {
            this.timer.cancel();
            this.nextRestartAt = null;
            this.wantUp = true;
            settle();
        }
    }

    /**
     * Completes the waiter (after the next publication) once the start or stop under way has resolved:
     * with the start, if the service is to run but does not yet; with the stop, if it is stopping for
     * good; at once otherwise.
     */
    void awaitSettled(CompletableFuture<Void> waiter) {
        if (this.wantUp && this.state != ServiceState.RUNNING) {
            this.startWaiters = with(this.startWaiters, waiter);
        } else if (!this.wantUp && this.state == ServiceState.STOPPING) {
            this.stopWaiters = with(this.stopWaiters, waiter);
        } else {
            complete(waiter);
        }
    }

    /** A failure reported by code about run {@code runId}; counted once per run. */
    void reportFailure(long runId, CapturedFailure cause) {
        if (this.removed
                || runId != this.run
                || (this.state != ServiceState.STARTING && this.state != ServiceState.RUNNING)) {
            return;
        }
        fail(cause);
        settle();
    }

    /** The watchdog saw {@code isRunning() == false} during run {@code runId}. */
    void unexpectedStop(long runId) {
        if (runId != this.run || !isWatched()) {
            return;
        }
        fail(CapturedFailure.of(new UnexpectedStopException(this.name)));
        settle();
    }

    /** Stops the service at shutdown: no restart follows. */
    void suspend(CompletableFuture<Void> waiter) {
        this.timer.cancel();
        this.nextRestartAt = null;
        if (this.state == ServiceState.BACKING_OFF && this.physical == Physical.IDLE) {
            this.wantUp = false;
            finishStop(null);
        }
        if (!this.bean && this.state != ServiceState.STOPPED) {
            this.resumeWithSupervisor = true;
            requestStop(waiter);
        } else {
            complete(waiter);
        }
    }

    // ---------------------------------------------------------------- physical side

    /** Moves the physical side toward {@link #wantUp} when no call is in flight. */
    private void settle() {
        switch (this.physical) {
            case IDLE -> {
                if (this.wantUp) {
                    beginStart();
                } else if (this.state == ServiceState.STOPPING) {
                    finishStop(null);
                }
            }
            case UP -> {
                if (!this.wantUp || this.dirty) {
                    beginStop();
                }
            }
            default -> {
                // A call is in flight; its answer settles again.
            }
        }
    }

    private void beginStart() {
        if (this.lifecycle != null && !this.firstStartBegun) {
            if (!this.firstStartUnclaimed.compareAndSet(true, false)) {
                // Its container is starting it on its own thread; the outcome, on its way, settles again.
                return;
            }
            this.firstStartBegun = true;
        }
        long runId = newRun();
        if (this.lifecycle != null) {
            long id = ++this.callId;
            trackStartCall(id, this.engine.submitCall(() -> {
                CapturedFailure failure = callStart();
                this.engine.post(this, () -> startReturned(id, failure));
                rethrowIfFatalToTheJvm(failure);
            }));
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
            settle();
            return;
        }
        started();
    }

    /**
     * On the container's thread: claims the service's first start, to be run on that thread. False when
     * the service is a run loop, or its first start was claimed or has begun already.
     */
    boolean claimStartOnCaller() {
        if (this.lifecycle == null || !this.firstStartUnclaimed.compareAndSet(true, false)) {
            return false;
        }
        this.startingOnCaller = true;
        return true;
    }

    /** Whether the container is running the first start on its thread and its outcome is not applied yet. */
    boolean isStartingOnCaller() {
        return this.startingOnCaller;
    }

    /**
     * The container's thread is running the first start. Nothing else has started the service (the claim
     * kept the control thread from doing so), so it is idle: the call is tracked like one of the call
     * threads', {@code start-timeout} included.
     */
    void callerStartBegan(CallerStart start) {
        this.firstStartBegun = true;
        this.wantUp = true;
        newRun();
        start.id = ++this.callId;
        trackStartCall(start.id, start);
    }

    /** The first start, run on the container's thread, returned (failure null) or threw. */
    void callerStartReturned(CallerStart start, CapturedFailure failure) {
        this.startingOnCaller = false;
        startReturned(start.id, failure);
    }

    /** A new run begins: the service is starting. Returns the run's id. */
    private long newRun() {
        this.dirty = false;
        this.run++;
        this.state = ServiceState.STARTING;
        return this.run;
    }

    /** A {@code start()} call is in flight, on whichever thread, bounded by {@code start-timeout}. */
    private void trackStartCall(long id, Cancellable call) {
        this.physical = Physical.START_CALL;
        this.call = call;
        this.callTimer = this.engine.schedule(this, () -> startTimedOut(id), this.options.startTimeout());
    }

    /**
     * Calls the lifecycle service's {@code start()}, on the calling thread: what it threw, captured on this
     * thread, or null.
     */
    CapturedFailure callStart() {
        try {
            this.lifecycle.start();
            return null;
        } catch (Throwable ex) {
            return CapturedFailure.of(ex);
        }
    }

    private void runLoop(long runId, RunCancellation runCancellation) {
        runCancellation.bind(Thread.currentThread());
        CapturedFailure failure = null;
        try {
            this.runLoop.run(runCancellation);
        } catch (Throwable ex) {
            failure = CapturedFailure.of(ex);
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
        releaseCallTimer();
        this.call = null;
        // After a failed start the object may be half started: UP makes the clean-up ask isRunning().
        this.physical = Physical.UP;
        if (this.state == ServiceState.STARTING) {
            if (failure == null) {
                started();
            } else {
                fail(failure);
            }
        }
        settle();
    }

    private void startTimedOut(long id) {
        if (id != this.callId || this.physical != Physical.START_CALL) {
            return;
        }
        this.call.cancel();
        this.call = null;
        this.callTimer = Cancellable.NONE;
        this.physical = Physical.UP;
        String message = "start() did not return within " + Durations.format(this.options.startTimeout());
        logger.warn("Service '" + this.name + "': " + message + "; the call was interrupted");
        if (this.state == ServiceState.STARTING) {
            fail(CapturedFailure.of(new StartTimeoutException(message)));
        }
        settle();
    }

    private void started() {
        this.state = ServiceState.RUNNING;
        this.backoff.recordStart();
        this.inRun = true;
        this.runStartedNanos = this.engine.scheduler().clock().nanoTime();
        this.startedAt = now();
        this.engine.emit(this, new SupervisionEvent.Started(this.name, this.startedAt), "started", "");
        this.startWaiters = completeAll(this.startWaiters);
        if ("half-open".equals(this.circuit)) {
            long runId = this.run;
            this.timer = this.engine.schedule(
                    this, () -> probeSucceeded(runId), this.options.backoff().cooldownPeriod());
        }
    }

    private void beginStop() {
        long id = ++this.callId;
        this.physical = Physical.STOP_CALL;
        if (this.lifecycle != null) {
            this.call = this.engine.submitCall(() -> {
                try {
                    if (this.lifecycle.isRunning()) {
                        this.lifecycle.stop();
                    }
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                } catch (Exception ex) {
                    CapturedFailure.of(ex).warn(logger, "Service '" + this.name + "': stop() failed");
                }
                this.engine.post(this, () -> stopReturned(id));
            });
        } else {
            this.cancellation.cancel();
        }
        this.callTimer = this.engine.schedule(this, () -> stopTimedOut(id), this.options.stopTimeout());
    }

    private void stopReturned(long id) {
        if (id != this.callId || this.physical != Physical.STOP_CALL) {
            return;
        }
        releaseCallTimer();
        this.call = null;
        stopped();
    }

    private void stopTimedOut(long id) {
        if (id != this.callId || this.physical != Physical.STOP_CALL) {
            return;
        }
        if (this.call != null) {
            this.call.cancel();
            this.call = null;
        }
        this.callTimer = Cancellable.NONE;
        logger.warn("Service '" + this.name + "': " + (this.lifecycle != null ? "stop()" : "run()")
                + " did not finish within " + Durations.format(this.options.stopTimeout())
                + " of being asked to stop; abandoned (its thread was interrupted)");
        stopped();
    }

    private void runEnded(long runId, CapturedFailure failure) {
        if (runId != this.run) {
            return;
        }
        if (this.physical == Physical.STOP_CALL) {
            releaseCallTimer();
            stopped();
            return;
        }
        if (this.physical != Physical.UP) {
            return;
        }
        this.physical = Physical.IDLE;
        this.dirty = false;
        if (this.state == ServiceState.RUNNING) {
            if (failure == null) {
                completed();
            } else {
                fail(failure);
            }
        }
        settle();
    }

    /** The physical side has just become idle after a stop call. */
    private void stopped() {
        this.physical = Physical.IDLE;
        this.dirty = false;
        if (this.state == ServiceState.STOPPING) {
            Duration runTime = endRun();
            this.engine.emit(
                    this, new SupervisionEvent.Stopped(this.name, now(), runTime), "stopped", describe(runTime));
            if (!this.wantUp) {
                finishStop(runTime, false);
                return;
            }
        }
        settle();
    }

    private void finishStop(Duration runTime) {
        finishStop(runTime, true);
    }

    private void finishStop(Duration runTime, boolean announce) {
        this.state = ServiceState.STOPPED;
        this.nextRestartAt = null;
        if (announce) {
            this.engine.emit(
                    this, new SupervisionEvent.Stopped(this.name, now(), runTime), "stopped", describe(runTime));
        }
        this.startWaiters = completeAll(this.startWaiters);
        this.stopWaiters = completeAll(this.stopWaiters);
    }

    // ---------------------------------------------------------------- decisions

    /** The current run failed (state STARTING or RUNNING): count it and decide what follows. */
    private void fail(CapturedFailure cause) {
        Duration runTime = endRun();
        this.wantUp = false;
        this.dirty = true;
        this.failures++;
        Instant at = now();
        this.lastFailure = new ServiceSnapshot.LastFailure(at, cause.className(), cause.message());
        BackoffDecision decision = this.backoff.recordFailure();
        boolean supervising = this.engine.isSupervising();
        String giveUpReason = giveUpReason(cause);
        boolean probeFailed = "half-open".equals(this.circuit);
        // Decided before the event goes out, so that the failure and what follows it can be told as one.
        Duration restartIn =
                (supervising && giveUpReason == null && !probeFailed && decision instanceof BackoffDecision.Retry retry)
                        ? retry.delay()
                        : null;
        this.engine.emit(
                this,
                new SupervisionEvent.Failed(this.name, at, cause, this.backoff.attempt(), runTime, restartIn),
                "failed",
                cause.description());
        if (!supervising) {
            this.state = ServiceState.STOPPED;
        } else if (giveUpReason != null) {
            giveUp(giveUpReason);
        } else if (restartIn != null) {
            scheduleRestart(restartIn, "backoff");
        } else {
            int recentFailures =
                    probeFailed ? this.backoff.recentFailures() : ((BackoffDecision.CircuitOpen) decision).failures();
            openCircuit(recentFailures, cause);
        }
        this.startWaiters = completeAll(this.startWaiters);
    }

    /** Why this failure ends supervision of the service, or {@code null} when it does not. */
    private String giveUpReason(CapturedFailure cause) {
        if (cause.exception() instanceof VirtualMachineError || this.options.isFatal(cause)) {
            return "fatal exception " + cause.className();
        }
        if (this.options.restartPolicy() == RestartPolicy.NEVER) {
            return "restart policy is never";
        }
        return null;
    }

    /** A run loop returned without being asked to stop. */
    private void completed() {
        Duration runTime = endRun();
        this.backoff.recordCompletion();
        this.wantUp = false;
        Duration restartIn = (this.engine.isSupervising() && this.options.restartPolicy() == RestartPolicy.ALWAYS)
                ? this.options.backoff().baseDelay()
                : null;
        this.engine.emit(
                this,
                new SupervisionEvent.Completed(this.name, now(), runTime, restartIn),
                "completed",
                describe(runTime));
        if ("half-open".equals(this.circuit)) {
            closeCircuit("probe completed");
        }
        if (restartIn != null) {
            scheduleRestart(restartIn, "restart policy always");
        } else {
            this.state = ServiceState.COMPLETED;
        }
    }

    private void scheduleRestart(Duration delay, String reason) {
        this.state = ServiceState.BACKING_OFF;
        Instant at = now();
        this.nextRestartAt = at.plus(delay);
        long runId = this.run;
        this.timer = this.engine.schedule(this, () -> restartDue(runId, reason), delay);
        this.engine.emit(
                this,
                new SupervisionEvent.RestartScheduled(this.name, at, delay, this.nextRestartAt),
                "restart-scheduled",
                "in " + Durations.describe(delay) + " (" + reason + ")");
    }

    private void restartDue(long runId, String reason) {
        if (runId != this.run || this.state != ServiceState.BACKING_OFF || !this.engine.isSupervising()) {
            return;
        }
        this.restarts++;
        this.nextRestartAt = null;
        this.engine.emit(this, new SupervisionEvent.Restarting(this.name, now(), reason), "restarting", reason);
        this.wantUp = true;
        settle();
    }

    private void openCircuit(int recentFailures, CapturedFailure cause) {
        this.circuit = "open";
        this.openings = (this.openings == Integer.MAX_VALUE) ? this.openings : this.openings + 1;
        this.state = ServiceState.CIRCUIT_OPEN;
        CircuitBreakerPolicy policy = this.options.circuitBreaker();
        Instant at = now();
        Instant probeAt = null;
        if (policy.onOpen() == CircuitOpenAction.HALF_OPEN) {
            Duration wait = policy.openDuration(this.openings);
            probeAt = at.plus(wait);
            this.nextRestartAt = probeAt;
            long runId = this.run;
            this.timer = this.engine.schedule(this, () -> probeDue(runId), wait);
        }
        this.engine.emit(
                this,
                new SupervisionEvent.CircuitOpened(this.name, at, recentFailures, policy.maxFailures(), probeAt),
                "circuit-opened",
                recentFailures + " failures inside " + Durations.format(policy.window()) + ", on-open "
                        + policy.onOpen().name().toLowerCase(Locale.ROOT).replace('_', '-')
                        + (probeAt != null ? ", probe at " + probeAt : ""));
        if (policy.onOpen() == CircuitOpenAction.SHUTDOWN) {
            this.engine.escalate(this.name, cause);
        }
    }

    private void probeDue(long runId) {
        if (runId != this.run || this.state != ServiceState.CIRCUIT_OPEN || !this.engine.isSupervising()) {
            return;
        }
        this.circuit = "half-open";
        this.restarts++;
        this.nextRestartAt = null;
        this.engine.emit(
                this,
                new SupervisionEvent.Restarting(this.name, now(), "half-open probe"),
                "restarting",
                "half-open probe");
        this.wantUp = true;
        settle();
    }

    private void probeSucceeded(long runId) {
        if (runId == this.run && this.state == ServiceState.RUNNING && "half-open".equals(this.circuit)) {
            this.backoff.reset();
            closeCircuit(
                    "probe ran for " + Durations.format(this.options.backoff().cooldownPeriod()));
        }
    }

    private void closeCircuit(String reason) {
        this.circuit = "closed";
        this.openings = 0;
        this.engine.emit(this, new SupervisionEvent.CircuitClosed(this.name, now(), reason), "circuit-closed", reason);
    }

    private void giveUp(String reason) {
        this.state = ServiceState.FAILED;
        this.nextRestartAt = null;
        this.engine.emit(this, new SupervisionEvent.GaveUp(this.name, now(), reason), "gave-up", reason);
    }

    // ---------------------------------------------------------------- helpers

    private Duration endRun() {
        if (!this.inRun) {
            return null;
        }
        this.inRun = false;
        return Duration.ofNanos(this.engine.scheduler().clock().nanoTime() - this.runStartedNanos);
    }

    private Instant now() {
        return this.engine.scheduler().now();
    }

    private static String describe(Duration runTime) {
        return (runTime != null) ? "ran " + Durations.describe(runTime) : "";
    }

    private void record(String type, String detail) {
        this.history.add(new io.rustrade.supervisor.ServiceEvent(now(), type, detail));
    }

    void addToHistory(io.rustrade.supervisor.ServiceEvent event) {
        this.history.add(event);
    }

    /** Completes the waiter once the snapshot showing the outcome has been published. */
    private void complete(CompletableFuture<Void> waiter) {
        if (waiter != null) {
            this.answered = with(this.answered, waiter);
        }
    }

    /** Moves the waiters to those answered at the next publication; returns the emptied list. */
    private List<CompletableFuture<Void>> completeAll(List<CompletableFuture<Void>> waiters) {
        if (waiters != null) {
            waiters.forEach(this::complete);
        }
        return null;
    }

    private static List<CompletableFuture<Void>> with(
            List<CompletableFuture<Void>> waiters, CompletableFuture<Void> waiter) {
        List<CompletableFuture<Void>> list = (waiters != null) ? waiters : new ArrayList<>(1);
        list.add(waiter);
        return list;
    }

    static void rethrowIfFatalToTheJvm(CapturedFailure failure) {
        if (failure != null && failure.exception() instanceof VirtualMachineError error) {
            throw error;
        }
    }

    /** Rebuilds the published snapshot, and keeps the count of recent failures fresh as time passes. */
    void publish() {
        this.snapshot = buildSnapshot();
        if (this.answered != null) {
            List<CompletableFuture<Void>> done = this.answered;
            this.answered = null;
            done.forEach(waiter -> waiter.complete(null));
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
        this.callTimer = Cancellable.NONE;
    }

    void cancelTimers() {
        this.timer.cancel();
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
        return new ServiceSnapshot(
                this.name,
                this.kind,
                this.state,
                this.settings.restartPolicy(),
                this.backoff.attempt(),
                this.backoff.recentFailures(),
                this.failures,
                this.restarts,
                this.circuit,
                this.startedAt,
                this.nextRestartAt,
                this.lastFailure,
                this.settings.backoff(),
                this.settings.circuitBreaker(),
                this.history.recent());
    }
}
