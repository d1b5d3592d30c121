package io.rustrade.supervisor.core;

import io.rustrade.supervisor.FailureClassifier;
import io.rustrade.supervisor.HistoryEntry;
import io.rustrade.supervisor.NoSuchServiceException;
import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.SupervisedService;
import io.rustrade.supervisor.core.internal.CapturedFailure;
import io.rustrade.supervisor.core.internal.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The supervisor: owns every service's state machine and applies, one at a time on its control thread,
 * every failure report, timer expiry, operator command and answer of a user call.
 *
 * <p>Threads: one control thread ({@link ControlScheduler}), which never runs user code; a pool of four
 * call threads for the {@code start()}, {@code stop()} and {@code isRunning()} calls of lifecycle
 * services, one call at a time per service, each bounded by the service's timeouts, plus one thread for
 * each call abandoned after its timeout that has not returned yet and, while calls wait for a thread, one
 * for each call that has run 100 ms or more, up to 256 ({@link Calls}); one thread per running
 * {@link SupervisedService}, named after it and started by the {@link RunLauncher} (a platform thread
 * unless another launcher is given); two threads that deliver events to listeners ({@link
 * EventDispatcher}): one for the supervisor's internal listeners (its log, its meters), one for the others,
 * so that no listener of the application can hold up the supervisor's log. The number of threads does not
 * grow with the number of lifecycle services that behave.
 *
 * <p>The code of services — their calls and runs — runs inside the {@link TaskWrapper}s the engine was
 * built with, on its own thread: the Spring layer gives it a logging context that names the service and
 * the application's {@code TaskDecorator}.
 *
 * <p>Besides a {@link io.rustrade.supervisor.Supervisor}, it is an {@link ObservableSupervisor} for what
 * watches it (meters, the endpoint) and a {@link ContainerSupervisor} for the application container whose
 * beans it supervises; code outside the core depends on those roles, not on this class.
 */
public final class SupervisorEngine implements ObservableSupervisor, ContainerSupervisor, AutoCloseable {

    private static final Log logger = LogFactory.getLog(SupervisorEngine.class);

    /**
     * The most recent events kept per service ({@code events.history-size}): what an operator can read
     * at once, and a bound on the memory each service's history holds.
     */
    static final int MAX_EVENT_HISTORY_SIZE = 1000;

    /** How long {@link #close()} waits for listeners to take the last events. */
    private static final long CLOSE_DELIVERY_WAIT_SECONDS = 5;

    private final ControlScheduler scheduler;

    private final Calls calls;

    private final RunLauncher runs;

    /** Put around every call into a service and every run ({@link Builder#taskWrapper}). */
    private final TaskWrappers wrappers;

    private final RandomGenerator random;

    private final Escalation escalation;

    private final FailureClassifiers classifiers;

    private final Watchdog watchdog;

    private final int historySize;

    private final java.util.function.Function<String, ServiceOptions> registrationOptions;

    /** The threads this engine created (and only those), shut down when it closes. */
    private final EngineThreads threads = new EngineThreads();

    private final EventDispatcher dispatcher;

    private final ConcurrentHashMap<String, ServiceRecord> services = new ConcurrentHashMap<>();

    /**
     * Names of services unregistered whose run may still be going on, each with a future completed once
     * every such run has returned or been abandoned: a service registered again under the name waits for it.
     */
    private final ConcurrentHashMap<String, CompletableFuture<Void>> departures = new ConcurrentHashMap<>();

    private volatile boolean supervising;

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private volatile ServiceTopology topology = ServiceTopology.none();

    /** What the services' state machines see of this engine. */
    private final ServiceHost host = new Host();

    /** Takes tied services down and back up; control thread only. */
    private final Groups groups;

    /** The singletons this instance leads, registered or not (yet); control thread only. */
    private final Set<String> leading = new HashSet<>();

    /** Where a singleton's leadership is handed back; set by the application once its elections exist. */
    private volatile Elections elections = Elections.NONE;

    /** Where answers to {@link #whenResolved} are completed; null: CompletableFuture's own async pool. */
    private final Executor answers;

    /** Holds callers back while too many of their registrations and unregistrations wait to be applied. */
    private final RegistrationGate registrations = new RegistrationGate();

    private SupervisorEngine(Builder builder) {
        this.groups = new Groups(this.host);
        this.scheduler = this.threads.control(builder.scheduler);
        this.wrappers = new TaskWrappers(List.copyOf(builder.wrappers), this.scheduler.clock());
        this.calls = this.threads.calls(builder.calls, this.scheduler, this.wrappers);
        this.runs = EngineThreads.runs(builder.runs);
        Executor events;
        Executor internalEvents;
        if (builder.events != null) {
            events = builder.events;
            internalEvents = (builder.internalEvents != null) ? builder.internalEvents : builder.events;
        } else {
            events = this.threads.events(null, "rustrade-supervisor-events-");
            internalEvents = this.threads.events(builder.internalEvents, "rustrade-supervisor-internal-events-");
        }
        this.dispatcher = new EventDispatcher(this.scheduler, events, internalEvents, builder.listeners);
        this.random = (builder.random != null) ? builder.random : new SplittableRandom();
        this.answers = builder.answers;
        this.escalation = builder.escalation;
        this.classifiers = builder.classifiers;
        this.watchdog = new Watchdog(
                this.scheduler, Durations.toNanosSaturated(builder.watchdogInterval), this.services.values());
        this.historySize = builder.historySize;
        this.registrationOptions = builder.registrationOptions;
        this.scheduler.execute(this.registrations::learnControlThread);
    }

    /** A builder with the production threads and clocks. */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- Supervisor

    @Override
    public List<ServiceSnapshot> services() {
        List<ServiceSnapshot> snapshots = new ArrayList<>(this.services.size());
        this.services.values().forEach(service -> snapshots.add(service.snapshot()));
        snapshots.sort(Comparator.comparing(ServiceSnapshot::name));
        return snapshots;
    }

    /** {@inheritDoc} Empty for a {@code null} name too, which no service has. */
    @Override
    public Optional<ServiceSnapshot> service(String name) {
        ServiceRecord service = (name != null) ? this.services.get(name) : null;
        return (service != null) ? Optional.of(service.snapshot()) : Optional.empty();
    }

    @Override
    public void reportFailure(String name, Throwable cause) {
        Objects.requireNonNull(cause, "cause must not be null");
        ServiceRecord service = find(name);
        // The run is read now, on the reporting thread: a report that arrives after the service has
        // already been restarted concerns the old run and is dropped.
        long run = service.currentRun();
        // One report per run counts: later ones are dropped here, so that callers reporting in a loop cannot
        // fill the control thread's queue.
        if (!service.claimReport(run)) {
            return;
        }
        // Captured here, on the reporting thread: the control thread never asks a user's exception anything.
        CapturedFailure failure = CapturedFailure.of(cause).fatalBy(this.classifiers.fatalBy(name, cause));
        post(service, () -> service.reportFailure(run, failure));
    }

    @Override
    public void restart(String name) {
        command(find(name), OperatorCommands.Command.RESTART);
    }

    @Override
    public void stop(String name) {
        command(find(name), OperatorCommands.Command.STOP);
    }

    @Override
    public void start(String name) {
        command(find(name), OperatorCommands.Command.START);
    }

    @Override
    public void reset(String name) {
        command(find(name), OperatorCommands.Command.RESET);
    }

    /**
     * Queues an operator command for the control thread. Commands for one service are bounded ({@link
     * OperatorCommands}): a caller issuing them faster than they are applied has some merged.
     */
    private void command(ServiceRecord service, OperatorCommands.Command command) {
        if (service.commands.offer(command)) {
            post(service, service::applyCommands);
        }
    }

    @Override
    public CompletableFuture<ServiceSnapshot> whenResolved(String name) {
        ServiceRecord service = find(name);
        CompletableFuture<Void> resolved = new CompletableFuture<>();
        post(service, () -> service.awaitResolved(resolved));
        // Completed on the control thread: the answer is handed to a pool thread, so that what a caller
        // chains on it — slow, blocking, throwing — runs there and never holds supervision up.
        return (this.answers != null)
                ? resolved.thenApplyAsync(ignored -> service.snapshot(), this.answers)
                : resolved.thenApplyAsync(ignored -> service.snapshot());
    }

    /**
     * {@inheritDoc}
     *
     * <p>The service is supervised with the options the engine was built to give services registered at
     * run time ({@link Builder#registrationOptions}), by default {@link ServiceOptions#defaults()}.
     */
    @Override
    public void register(String name, SupervisedService service) {
        Objects.requireNonNull(name, "name must not be null");
        register(name, service, this.registrationOptions.apply(name));
    }

    /**
     * Supervises a run-loop service registered at run time, with its own options.
     *
     * <p>The name must follow {@link ServiceNames}' rule (1 to 255 letters, digits and {@code - _ . $ #}, not dots only),
     * so that the actuator endpoint can address it. When a service of that name was unregistered and its
     * run has not ended yet, the new service starts only once that run has returned or been abandoned
     * after its {@code stop-timeout}: two runs under one name never overlap.
     *
     * <p>Waits while {@value RegistrationGate#MAX_WAITING} registrations and unregistrations wait for the
     * control thread, until half of them have been applied ({@link RegistrationGate}); never on the control
     * thread.
     *
     * @throws IllegalArgumentException when the name breaks the rule, or a service of that name is already
     *     supervised
     */
    public void register(String name, SupervisedService service, ServiceOptions options) {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(service, "service must not be null");
        ServiceNames.requireValid(name);
        boolean entered = this.registrations.enter();
        try {
            ServiceRecord record = add(name, false, options, null, service);
            Runnable begin = () -> post(record, record::admit);
            CompletableFuture<Void> departure = this.departures.get(name);
            if (departure == null) {
                begin.run();
            } else {
                departure.whenComplete((ignored, error) -> begin.run());
            }
        } catch (RuntimeException | Error ex) {
            leaveNow(entered);
            throw ex;
        }
        leaveOnceApplied(entered);
    }

    @Override
    public void unregister(String name) {
        ServiceRecord service = find(name);
        if (service.bean) {
            throw new IllegalArgumentException("Service '" + name
                    + "' is a bean of the application and cannot be unregistered; leave it out of supervision"
                    + " with 'rustrade.supervisor.exclude' or 'rustrade.supervisor.services." + name
                    + ".enabled=false' instead");
        }
        boolean entered = this.registrations.enter();
        try {
            // Announced before the name is freed, so that a registration under it cannot miss the departure.
            CompletableFuture<Void> departed = new CompletableFuture<>();
            this.departures.merge(name, departed, CompletableFuture::allOf);
            if (!this.services.remove(name, service)) {
                depart(name, departed);
                throw new NoSuchServiceException(name);
            }
            post(service, () -> {
                service.removed = true;
                CompletableFuture<Void> stopped = new CompletableFuture<>();
                service.requestStop(stopped);
                stopped.whenComplete((ignored, error) -> this.scheduler.execute(() -> {
                    service.cancelTimers();
                    emit(service, new SupervisionEvent.Unregistered(name, this.scheduler.now()), null, null);
                    depart(name, departed);
                }));
            });
        } catch (RuntimeException | Error ex) {
            leaveNow(entered);
            throw ex;
        }
        leaveOnceApplied(entered);
    }

    /**
     * Gives a request's place back once the control thread has reached the end of it: posted behind the
     * request's own messages, which it keeps in order.
     */
    private void leaveOnceApplied(boolean entered) {
        if (!entered) {
            return;
        }
        try {
            this.scheduler.execute(this.registrations::leave);
        } catch (RejectedExecutionException ex) {
            // Shut down meanwhile: nothing of the request is left to wait for.
            this.registrations.leave();
        }
    }

    /** Gives a request's place back at once: the request failed on the caller's thread. */
    private void leaveNow(boolean entered) {
        if (entered) {
            this.registrations.leave();
        }
    }

    /** The run of an unregistered service has ended; forgets the name's departure once every one has. */
    private void depart(String name, CompletableFuture<Void> departed) {
        departed.complete(null);
        this.departures.computeIfPresent(name, (key, pending) -> pending.isDone() ? null : pending);
    }

    // ---------------------------------------------------------------- container integration

    @Override
    public void registerBean(String name, LifecycleService service, ServiceOptions options) {
        Objects.requireNonNull(service, "service must not be null");
        add(name, true, options, service, null);
    }

    @Override
    public void registerBean(String name, SupervisedService service, ServiceOptions options) {
        Objects.requireNonNull(service, "service must not be null");
        add(name, true, options, null, service);
    }

    @Override
    public CompletableFuture<Void> startService(String name) {
        ServiceRecord service = find(name);
        if (this.supervising && service.claimFirstStart()) {
            // A bean's first start: submitted from here, without a hand-off to the control thread and back.
            return service.submitFirstStart();
        }
        CompletableFuture<Void> started = new CompletableFuture<>();
        post(service, () -> service.requestStart(started));
        return started;
    }

    @Override
    public CompletableFuture<Void> whenApplied() {
        CompletableFuture<Void> applied = new CompletableFuture<>();
        this.scheduler.execute(() -> applied.complete(null));
        return applied;
    }

    @Override
    public CompletableFuture<Optional<String>> startRefusal(String name) {
        ServiceRecord service = find(name);
        CompletableFuture<Optional<String>> refusal = new CompletableFuture<>();
        this.scheduler.execute(() -> refusal.complete(Optional.ofNullable(service.startRefusal())));
        return refusal;
    }

    @Override
    public CompletableFuture<Void> whenDelivered() {
        CompletableFuture<Void> delivered = new CompletableFuture<>();
        this.scheduler.execute(() -> this.dispatcher.whenDelivered(delivered));
        return delivered;
    }

    @Override
    public CompletableFuture<Void> stopService(String name) {
        ServiceRecord service = find(name);
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        post(service, () -> service.requestStop(stopped));
        return stopped;
    }

    @Override
    public boolean isActive(String name) {
        ServiceRecord service = find(name);
        // The flag first: it is cleared only once the outcome of a first start submitted by the container is
        // applied, and the snapshot showing it is published right after.
        return service.isStartingOnCaller() || service.snapshot().state() != ServiceState.STOPPED;
    }

    @Override
    public void useTopology(ServiceTopology topology) {
        Objects.requireNonNull(topology, "topology must not be null");
        this.topology = topology;
        this.scheduler.execute(() -> this.services.values().forEach(ServiceRecord::publish));
    }

    @Override
    public ServiceTopology topology() {
        return this.topology;
    }

    @Override
    public void useElections(Elections elections) {
        this.elections = Objects.requireNonNull(elections, "elections must not be null");
    }

    /** A singleton has stopped here and gives its leadership up; control thread only. */
    void stepDown(String name, String lock, Duration outFor) {
        this.leading.remove(name);
        this.elections.stepDown(name, lock, outFor);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Remembered for a name no service has yet: a singleton registered later under it starts as leader.
     */
    @Override
    public void leadershipGranted(String name) {
        Objects.requireNonNull(name, "name must not be null");
        this.scheduler.execute(() -> {
            this.leading.add(name);
            ServiceRecord service = this.services.get(name);
            if (service != null) {
                service.leadershipGranted();
                service.publish();
            }
        });
    }

    @Override
    public CompletableFuture<Void> leadershipRevoked(String name, String reason) {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(reason, "reason must not be null");
        CompletableFuture<Void> down = new CompletableFuture<>();
        try {
            this.scheduler.execute(() -> {
                this.leading.remove(name);
                ServiceRecord service = this.services.get(name);
                if (service == null) {
                    down.complete(null);
                    return;
                }
                service.leadershipRevoked(reason);
                service.awaitDownHere(down);
                service.publish();
            });
        } catch (RejectedExecutionException ex) {
            // Closed: every service was stopped or abandoned, and a start that returns late is stopped at once.
            down.complete(null);
        }
        return down;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The answer comes from the control thread, which alone knows the leadership for sure.
     */
    @Override
    public CompletableFuture<Boolean> yieldLeadership(String name) {
        ServiceRecord service = find(name);
        CompletableFuture<Boolean> yielded = new CompletableFuture<>();
        post(service, () -> yielded.complete(service.yieldLeadership()));
        return yielded;
    }

    @Override
    public int abandonedCalls() {
        return this.calls.stuckCalls();
    }

    @Override
    public ServiceOptions options(String name) {
        return find(name).options;
    }

    @Override
    public void addListener(SupervisionListener listener) {
        Objects.requireNonNull(listener, "listener must not be null");
        this.dispatcher.addListener(listener);
    }

    @Override
    public void addInternalListener(SupervisionListener listener) {
        Objects.requireNonNull(listener, "listener must not be null");
        this.dispatcher.addInternalListener(listener);
    }

    @Override
    public boolean removeListener(SupervisionListener listener) {
        return this.dispatcher.removeListener(listener);
    }

    @Override
    public void open() {
        this.scheduler.execute(() -> {
            if (this.supervising) {
                return;
            }
            this.supervising = true;
            for (ServiceRecord service : this.services.values()) {
                if (service.resumeWithSupervisor) {
                    service.resumeWithSupervisor = false;
                    service.requestStart(null);
                    service.publish();
                }
            }
            this.groups.resumed();
            this.watchdog.start();
        });
    }

    @Override
    public CompletableFuture<Void> suspend() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        this.scheduler.execute(() -> {
            this.supervising = false;
            this.watchdog.stop();
            List<CompletableFuture<Void>> stops = new ArrayList<>();
            for (ServiceRecord service : this.services.values()) {
                CompletableFuture<Void> stopped = new CompletableFuture<>();
                stops.add(stopped);
                service.suspend(stopped);
                service.publish();
            }
            CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new))
                    .whenComplete((ignored, error) -> done.complete(null));
        });
        return done;
    }

    @Override
    public int activeServices() {
        int active = 0;
        for (ServiceRecord service : this.services.values()) {
            if (service.snapshot().state().isActive()) {
                active++;
            }
        }
        return active;
    }

    @Override
    public boolean isSupervising() {
        return this.supervising;
    }

    /**
     * Suspends supervision, stops every service still running (waiting at most the longest {@code
     * stop-timeout}), waits at most 5 s more until listeners have had the last events, and releases the
     * threads the engine created.
     */
    @Override
    public void close() {
        if (!this.closed.compareAndSet(false, true)) {
            // Closed already (a container's destroy method and an explicit close, say): nothing is left to do.
            return;
        }
        CompletableFuture<Void> stopped = suspend().thenCompose(ignored -> {
            List<CompletableFuture<Void>> stops = new ArrayList<>();
            for (ServiceRecord service : this.services.values()) {
                stops.add(stopService(service.name));
            }
            return CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new));
        });
        long wait = this.services.values().stream()
                .mapToLong(service -> Durations.toNanosSaturated(service.options.stopTimeout()))
                .max()
                .orElse(0);
        try {
            stopped.get(Durations.addSaturated(wait, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
        } catch (TimeoutException ex) {
            logger.warn("Some services did not stop in time; shutting the supervisor down anyway");
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException ex) {
            logger.warn("Stopping services failed", ex);
        }
        awaitDelivery();
        this.threads.shutdown();
        // The control thread may be gone with requests unapplied: no caller is to wait for it any more.
        this.registrations.open();
    }

    /**
     * Lets listeners hear the last events (the services' stops) before the threads go. When a listener
     * closes the engine, waiting for delivery would wait for itself: the events are handed over instead.
     */
    private void awaitDelivery() {
        try {
            if (this.dispatcher.isDelivering()) {
                // A listener closes the engine: the event thread is this one, so only make sure the last
                // events are handed to it; it delivers them once the listener returns.
                CompletableFuture<Void> handed = new CompletableFuture<>();
                this.scheduler.execute(() -> {
                    this.dispatcher.handOver();
                    handed.complete(null);
                });
                handed.get(CLOSE_DELIVERY_WAIT_SECONDS, TimeUnit.SECONDS);
                return;
            }
            whenDelivered().get(CLOSE_DELIVERY_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException ex) {
            logger.warn("Supervision listeners did not take the last events within " + CLOSE_DELIVERY_WAIT_SECONDS
                    + "s; shutting the supervisor down anyway");
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | RejectedExecutionException ex) {
            // Already shut down: nothing left to deliver.
        }
    }

    // ---------------------------------------------------------------- for ServiceRecord

    ControlScheduler scheduler() {
        return this.scheduler;
    }

    /** Whether {@link #close()} has begun: from then on, nothing is sure to handle a call that returns. */
    boolean isClosed() {
        return this.closed.get();
    }

    RandomGenerator random() {
        return this.random;
    }

    /** Runs a task for a service on the control thread, then republishes its snapshot. */
    void post(ServiceRecord service, Runnable task) {
        this.scheduler.execute(() -> {
            task.run();
            service.publish();
        });
    }

    ScheduledTask schedule(ServiceRecord service, Runnable task, Duration delay) {
        return scheduleNanos(service, task, Durations.toNanosSaturated(delay));
    }

    ScheduledTask scheduleNanos(ServiceRecord service, Runnable task, long delayNanos) {
        return this.scheduler.schedule(
                () -> {
                    task.run();
                    service.publish();
                },
                delayNanos);
    }

    Calls calls() {
        return this.calls;
    }

    Groups groups() {
        return this.groups;
    }

    /** Failures waiting for listeners with their original exception, in both delivery lanes. */
    int waitingOriginals() {
        return this.dispatcher.waitingOriginals();
    }

    /** The gate that registrations and unregistrations pass, for tests. */
    RegistrationGate registrations() {
        return this.registrations;
    }

    /** The record of a service, or null when none has the name. */
    ServiceRecord record(String name) {
        return this.services.get(name);
    }

    /** Launches a run of a run loop, inside the task wrappers. */
    void launchRun(String name, Runnable run) {
        this.runs.launch(name, this.wrappers.around(name, "run of service '" + name + "'", run));
    }

    /** Records the event in the service's history (when it has a type) and tells the listeners. */
    void emit(ServiceRecord service, SupervisionEvent event, HistoryEntry.Type type, String detail) {
        if (type != null) {
            service.addToHistory(new HistoryEntry(event.at(), type, detail));
        }
        this.dispatcher.emit(event);
    }

    /**
     * {@inheritDoc} Too far behind: {@value EventDispatcher#MAX_BACKLOG} events waiting for delivery. An
     * event dropped for both the internal listeners and the others counts twice.
     */
    @Override
    public long droppedEvents() {
        return this.dispatcher.dropped();
    }

    void escalate(String name, CapturedFailure cause) {
        cause.error(logger, "Circuit of service '" + name + "' opened with on-open 'shutdown': escalating");
        Thread thread =
                new Thread(() -> this.escalation.escalate(name, cause.exception()), "rustrade-supervisor-escalation");
        thread.start();
    }

    // ---------------------------------------------------------------- internals

    private ServiceRecord add(
            String name, boolean bean, ServiceOptions options, LifecycleService lifecycle, SupervisedService runLoop) {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(options, "options must not be null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("A service name must not be blank");
        }
        ServiceRecord record = new ServiceRecord(this.host, name, bean, options, lifecycle, runLoop, this.historySize);
        if (this.services.putIfAbsent(name, record) != null) {
            throw new IllegalArgumentException("A service named '" + name + "' is already supervised");
        }
        this.scheduler.execute(() -> {
            emit(
                    record,
                    new SupervisionEvent.Registered(name, this.scheduler.now()),
                    HistoryEntry.Type.REGISTERED,
                    record.snapshot().kind().value());
            if (this.leading.contains(name)) {
                record.leadershipGranted();
            }
            record.publish();
        });
        return record;
    }

    private ServiceRecord find(String name) {
        ServiceRecord service = (name != null) ? this.services.get(name) : null;
        if (service == null) {
            throw new NoSuchServiceException(name);
        }
        return service;
    }

    /** The engine as its services' state machines see it ({@link ServiceHost}). */
    private final class Host implements ServiceHost {

        @Override
        public ControlScheduler scheduler() {
            return SupervisorEngine.this.scheduler();
        }

        @Override
        public RandomGenerator random() {
            return SupervisorEngine.this.random();
        }

        @Override
        public boolean isSupervising() {
            return SupervisorEngine.this.supervising;
        }

        @Override
        public boolean isClosed() {
            return SupervisorEngine.this.isClosed();
        }

        @Override
        public void post(ServiceRecord service, Runnable task) {
            SupervisorEngine.this.post(service, task);
        }

        @Override
        public ScheduledTask schedule(ServiceRecord service, Runnable task, Duration delay) {
            return SupervisorEngine.this.schedule(service, task, delay);
        }

        @Override
        public ScheduledTask scheduleNanos(ServiceRecord service, Runnable task, long delayNanos) {
            return SupervisorEngine.this.scheduleNanos(service, task, delayNanos);
        }

        @Override
        public Calls calls() {
            return SupervisorEngine.this.calls;
        }

        @Override
        public void launchRun(String name, Runnable run) {
            SupervisorEngine.this.launchRun(name, run);
        }

        @Override
        public ServiceTopology topology() {
            return SupervisorEngine.this.topology;
        }

        @Override
        public Groups groups() {
            return SupervisorEngine.this.groups;
        }

        @Override
        public ServiceRecord record(String name) {
            return SupervisorEngine.this.record(name);
        }

        @Override
        public void emit(ServiceRecord service, SupervisionEvent event, HistoryEntry.Type type, String detail) {
            SupervisorEngine.this.emit(service, event, type, detail);
        }

        @Override
        public void escalate(String name, CapturedFailure cause) {
            SupervisorEngine.this.escalate(name, cause);
        }

        @Override
        public void stepDown(String name, String lock, Duration outFor) {
            SupervisorEngine.this.stepDown(name, lock, outFor);
        }

        @Override
        public FailureClassifiers classifiers() {
            return SupervisorEngine.this.classifiers;
        }
    }

    /**
     * Starts the thread that runs a {@link SupervisedService}; the production one starts a daemon platform
     * thread named {@link #threadName after the service}.
     */
    @FunctionalInterface
    public interface RunLauncher {

        /**
         * Starts one run of a service: calls {@code run} once, on a thread of its own that nothing else uses
         * until {@code run} returns (stopping the service interrupts that thread), and returns without
         * waiting for it. Called on the control thread, so it must not block. Throwing {@link
         * RejectedExecutionException} refuses the run, which counts as a failed start.
         */
        void launch(String serviceName, Runnable run);

        /** The name of the thread that runs a service: {@code rustrade-supervisor-<service>}. */
        static String threadName(String serviceName) {
            return "rustrade-supervisor-" + serviceName;
        }
    }

    /**
     * Wraps the code of a service that the supervisor runs — each {@code start()}, {@code stop()} and
     * {@code isRunning()} call into a lifecycle service, its first start included, and each run of a run
     * loop — to give it a context: a logging context naming the service, an application's {@code
     * TaskDecorator}. Called on the thread that runs the code, right before it runs, never on the control
     * thread; what it returns is run there at once.
     *
     * <p>A wrapper is user code, and supervision does not depend on it: the code it is given runs at most
     * once, and only on that thread (run again or elsewhere, it does nothing); when {@code wrap} throws or
     * returns {@code null}, or what it returns throws or returns without running the code, the code runs
     * without it, and a warning says so; the code's outcome — what it threw, or that it returned — is what
     * supervision sees, whatever the wrapper did with it. A {@link VirtualMachineError} from a wrapper fails
     * the call.
     */
    @FunctionalInterface
    public interface TaskWrapper {

        /**
         * Wraps the code of a service.
         *
         * @param serviceName the service the code belongs to
         * @param task the code; throws what the code threw, which the returned task should let through
         * @return what runs instead, and runs {@code task} once on the calling thread
         */
        Runnable wrap(String serviceName, Runnable task);
    }

    /** Settings of a {@link SupervisorEngine}; every one has a production default. */
    public static final class Builder {

        private ControlScheduler scheduler;

        private ExecutorService calls;

        private RunLauncher runs;

        private Executor events;

        private Executor internalEvents;

        private RandomGenerator random;

        private Executor answers;

        private Escalation escalation = Escalation.NONE;

        private FailureClassifiers classifiers = FailureClassifiers.NONE;

        private Duration watchdogInterval = Duration.ofSeconds(1);

        private int historySize = 100;

        private final List<SupervisionListener> listeners = new ArrayList<>();

        private final List<TaskWrapper> wrappers = new ArrayList<>();

        private java.util.function.Function<String, ServiceOptions> registrationOptions =
                name -> ServiceOptions.defaults();

        private Builder() {}

        /** The options of a service registered at run time without options of its own, by its name. */
        public Builder registrationOptions(java.util.function.Function<String, ServiceOptions> registrationOptions) {
            this.registrationOptions =
                    Objects.requireNonNull(registrationOptions, "registrationOptions must not be null");
            return this;
        }

        /** The control thread and clocks; by default a {@link ThreadedControlScheduler} on the system clocks. */
        public Builder scheduler(ControlScheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
            return this;
        }

        /**
         * Runs lifecycle services' calls; by default a pool of four daemon threads that grows for calls that
         * are stuck or slow ({@link Calls}). An executor given here is never resized.
         */
        public Builder callExecutor(ExecutorService calls) {
            this.calls = Objects.requireNonNull(calls, "calls must not be null");
            return this;
        }

        /**
         * Adds a wrapper around the code of services ({@link TaskWrapper}); by default there is none. Each
         * wrapper added goes around those added before: the first is the innermost. A wrapper that fails is
         * left out of that call alone, while the wrappers around it still apply.
         */
        public Builder taskWrapper(TaskWrapper wrapper) {
            this.wrappers.add(Objects.requireNonNull(wrapper, "wrapper must not be null"));
            return this;
        }

        /** Starts run-loop threads; by default a daemon thread per run, named after the service. */
        public Builder runLauncher(RunLauncher runs) {
            this.runs = Objects.requireNonNull(runs, "runs must not be null");
            return this;
        }

        /**
         * Delivers events to listeners, one at a time and in order; by default one daemon thread. Given, it
         * delivers to the internal listeners ({@link #addInternalListener}) too, unless {@link
         * #internalEventExecutor} gives them another: then a listener that blocks holds up every listener.
         */
        public Builder eventExecutor(Executor events) {
            this.events = Objects.requireNonNull(events, "events must not be null");
            return this;
        }

        /**
         * Delivers events to the internal listeners ({@link #addInternalListener}), one at a time and in
         * order; by default a daemon thread of their own, or, with {@link #eventExecutor}, that executor.
         */
        Builder internalEventExecutor(Executor internalEvents) {
            this.internalEvents = Objects.requireNonNull(internalEvents, "internalEvents must not be null");
            return this;
        }

        /** Where answers to {@code whenResolved} are completed; for tests on virtual time, which want them at once. */
        Builder answerExecutor(Executor answers) {
            this.answers = Objects.requireNonNull(answers, "answers must not be null");
            return this;
        }

        /** The source of jitter. */
        Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random must not be null");
            return this;
        }

        /**
         * Adds a classifier that may hold a service's failure fatal ({@link FailureClassifier}), asked after
         * those added before; {@code name} is how the history names it.
         */
        public Builder failureClassifier(String name, FailureClassifier classifier) {
            Objects.requireNonNull(name, "name must not be null");
            Objects.requireNonNull(classifier, "classifier must not be null");
            this.classifiers = this.classifiers.and(name, classifier);
            return this;
        }

        /** What happens when a circuit with {@code on-open: shutdown} opens; by default nothing but a log. */
        public Builder escalation(Escalation escalation) {
            this.escalation = Objects.requireNonNull(escalation, "escalation must not be null");
            return this;
        }

        /** How often running lifecycle services are asked whether they still run; zero turns polling off. */
        public Builder watchdogInterval(Duration watchdogInterval) {
            Objects.requireNonNull(watchdogInterval, "watchdogInterval must not be null");
            SettingRules.requireNotNegative("watchdog-interval", watchdogInterval);
            this.watchdogInterval = watchdogInterval;
            return this;
        }

        /**
         * How many recent events are kept per service: from 0 (none) to {@value #MAX_EVENT_HISTORY_SIZE};
         * 100 by default.
         */
        public Builder eventHistorySize(int historySize) {
            SettingRules.requireNotNegative("events.history-size", historySize);
            SettingRules.requireAtMost("events.history-size", historySize, MAX_EVENT_HISTORY_SIZE);
            this.historySize = historySize;
            return this;
        }

        /** Adds a listener, as {@link SupervisorEngine#addListener} does. */
        Builder listener(SupervisionListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
            return this;
        }

        public SupervisorEngine build() {
            return new SupervisorEngine(this);
        }
    }
}
