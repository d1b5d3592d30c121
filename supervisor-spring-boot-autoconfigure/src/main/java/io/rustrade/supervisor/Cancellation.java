package io.rustrade.supervisor;

import java.time.Duration;

/**
 * Tells a {@link SupervisedService} that it has been asked to stop.
 *
 * <p>Cancellation is signalled once and never withdrawn; the service's thread is interrupted at the same
 * moment, so blocking calls that honour interruption end too. Thread-safe.
 */
public interface Cancellation {

    /** Whether the service has been asked to stop. */
    boolean isCancelled();

    /**
     * Waits until the service is asked to stop or the timeout elapses, whichever comes first: a
     * cancellable {@code sleep} for run loops.
     *
     * @param timeout the longest wait; zero or negative does not wait
     * @return {@code true} when cancelled (also if cancelled before the call), {@code false} on timeout
     */
    boolean await(Duration timeout);
}
