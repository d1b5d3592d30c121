package io.rustrade.supervisor;

/** A lifecycle service reported {@code isRunning() == false} while the supervisor held it running. */
public class UnexpectedStopException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnexpectedStopException(String service) {
        super("Service '" + service + "' stopped unexpectedly: isRunning() returned false");
    }
}
