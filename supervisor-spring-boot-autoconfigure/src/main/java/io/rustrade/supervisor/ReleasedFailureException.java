package io.rustrade.supervisor;

/**
 * Stands in for a failure's exception in a failure event ({@code ServiceFailedEvent}, or the core's {@code
 * SupervisionEvent.Failed}) that waited for delivery behind too many other failures: the supervisor let go
 * of the original, so that what waits for a listener that is behind holds nothing of the user's. Listeners
 * that keep up get the original.
 *
 * <p>It tells what the supervisor captured of the original: its {@link #getMessage() message} is the
 * original's one-line description — its class name, then its message cut to 500 characters — and {@link
 * #originalClassName()} its class name. It has no stack trace, no cause and no suppressed exceptions.
 */
public final class ReleasedFailureException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String originalClassName;

    /**
     * @param originalClassName the class name of the exception this one stands in for
     * @param description the original's one-line description, as the supervisor captured it
     */
    public ReleasedFailureException(String originalClassName, String description) {
        // No stack trace: the control thread's own would tell nothing, and filling it in costs.
        super(description, null, false, false);
        this.originalClassName = originalClassName;
    }

    /** The class name of the exception this one stands in for. */
    public String originalClassName() {
        return this.originalClassName;
    }
}
