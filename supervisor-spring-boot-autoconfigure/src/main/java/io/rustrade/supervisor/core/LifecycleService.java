package io.rustrade.supervisor.core;

/**
 * A service started and stopped by calls, as a Spring {@code SmartLifecycle} bean is; the supervisor's
 * view of it, free of Spring.
 *
 * <p>The supervisor calls these methods on its worker threads, never two at once for the same service,
 * and bounds {@link #start()} and {@link #stop()} by the service's timeouts (interrupting the calling
 * thread when one is exceeded).
 */
public interface LifecycleService {

    /** Starts the service; throwing is a failure. */
    void start() throws Exception;

    /** Stops the service and returns when it has stopped. */
    void stop() throws Exception;

    /** Whether the service runs; {@code false} while the supervisor holds it running is an unexpected stop. */
    boolean isRunning();
}
