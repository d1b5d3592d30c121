package io.rustrade.supervisor.core;

import java.time.Instant;

/**
 * The supervisor's control thread and its clocks: every change of service state runs as a task here,
 * one at a time, in the order posted.
 *
 * <p>Tasks posted from one thread run in the order posted; a task scheduled with a delay runs no earlier
 * than the delay after it was scheduled. Implementations: {@link ThreadedControlScheduler} in production,
 * a virtual one in tests that runs tasks only when the test advances time.
 */
public interface ControlScheduler {

    /** Runs the task on the control thread as soon as the tasks before it have run. */
    void execute(Runnable task);

    /** Runs the task on the control thread after the delay, unless cancelled first. */
    ScheduledTask schedule(Runnable task, long delayNanos);

    /** The monotonic clock that delays are measured on. */
    NanoClock clock();

    /** The wall-clock time, for the instants shown to people. */
    Instant now();
}
