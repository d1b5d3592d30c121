package io.rustrade.supervisor.core;

/** The handle of a task given to {@link ControlScheduler#schedule}: lets the task be called off. */
@FunctionalInterface
public interface ScheduledTask {

    /** A handle for nothing scheduled. */
    ScheduledTask NONE = () -> {};

    /** Calls the task off if it has not run yet; harmless after it ran or was called off. */
    void cancel();
}
