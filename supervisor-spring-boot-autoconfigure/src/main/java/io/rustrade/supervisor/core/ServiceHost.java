package io.rustrade.supervisor.core;

import io.rustrade.supervisor.HistoryEntry;
import io.rustrade.supervisor.core.internal.CapturedFailure;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * What a service's state machine ({@link ServiceRecord}) and the groups' bookkeeping ({@link Groups}) need
 * from the engine, and nothing more: its threads and clocks, its other services, and where events and
 * hand-backs go. Every method is called on the control thread, except {@link #post}, {@link #isClosed} and
 * {@link #classifiers}, which calls' threads use to hand an outcome back.
 */
interface ServiceHost {

    /** The control thread and its clocks. */
    ControlScheduler scheduler();

    /** The source of jitter. */
    RandomGenerator random();

    /** Whether supervision is on (between the application's start and its close or stop). */
    boolean isSupervising();

    /** Whether the engine has begun to close: from then on, nothing is sure to handle a call that returns. */
    boolean isClosed();

    /** Runs a task for a service on the control thread, then republishes its snapshot. */
    void post(ServiceRecord service, Runnable task);

    /** Runs a task for a service on the control thread after the delay, then republishes its snapshot. */
    ScheduledTask schedule(ServiceRecord service, Runnable task, Duration delay);

    /** As {@link #schedule}, with the delay in nanoseconds. */
    ScheduledTask scheduleNanos(ServiceRecord service, Runnable task, long delayNanos);

    /** The threads of lifecycle services' calls. */
    Calls calls();

    /** Starts a run of a run-loop service on a thread of its own. */
    void launchRun(String name, Runnable run);

    /** How services are tied together ({@code groups}, dependencies). */
    ServiceTopology topology();

    /** Takes tied services down and back up. */
    Groups groups();

    /** The record of a service, or null when none has the name. */
    ServiceRecord record(String name);

    /** Records the event in the service's history (when it has a type) and tells the listeners. */
    void emit(ServiceRecord service, SupervisionEvent event, HistoryEntry.Type type, String detail);

    /** A circuit with {@code on-open: shutdown} opened: escalates to what supervises the process. */
    void escalate(String name, CapturedFailure cause);

    /** A singleton has stopped here and gives its leadership up. */
    void stepDown(String name, String lock, Duration outFor);

    /** The application's failure classifiers; asked on the thread that saw a failure, never this one. */
    FailureClassifiers classifiers();
}
