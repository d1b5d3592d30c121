package io.rustrade.supervisor.core;

/** A scheduled task that can be called off. */
@FunctionalInterface
public interface Cancellable {

    /** A handle for nothing scheduled. */
    Cancellable NONE = () -> {};

    /** Calls the task off if it has not run yet; harmless after it ran or was called off. */
    void cancel();
}
