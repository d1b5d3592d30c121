package io.rustrade.supervisor;

/** A lifecycle service's {@code start()} did not return within its {@code start-timeout}. */
public class StartTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StartTimeoutException(String message) {
        super(message);
    }
}
