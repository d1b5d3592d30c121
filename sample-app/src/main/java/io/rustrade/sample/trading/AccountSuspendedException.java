package io.rustrade.sample.trading;

/**
 * The venue suspended the trading account: retrying cannot help until people act, so the sample lists it
 * in {@code rustrade.supervisor.fatal-exceptions} and a service failing with it is {@code FAILED} at once.
 */
public class AccountSuspendedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AccountSuspendedException(String message) {
        super(message);
    }
}
