package io.rustrade.supervisor;

/**
 * A lifecycle service's {@code isRunning()}, asked by the watchdog, did not return within its {@code
 * start-timeout}: the poll was abandoned and counts as a failure of the service.
 */
public class WatchdogTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public WatchdogTimeoutException(String message) {
        super(message);
    }
}
