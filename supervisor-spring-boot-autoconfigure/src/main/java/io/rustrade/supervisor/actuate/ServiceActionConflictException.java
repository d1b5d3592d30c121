package io.rustrade.supervisor.actuate;

/**
 * An operator command the service's situation forbids, such as {@code start} of a service that is {@code
 * WAITING} for another; over HTTP, a 409 whose body carries the message. The message says why, naming the
 * service the command would have to wait for.
 */
public class ServiceActionConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ServiceActionConflictException(String message) {
        super(message);
    }
}
