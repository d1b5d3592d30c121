package io.rustrade.supervisor.core;

/**
 * What the supervisor does when a circuit with {@code on-open: shutdown} opens: hand the problem to
 * whatever supervises the process. The Spring integration closes the application context and exits the
 * JVM with status 1.
 */
@FunctionalInterface
public interface Escalation {

    /** An escalation that only logs: for plain-Java use and tests. */
    Escalation NONE = (service, cause) -> {};

    /**
     * Escalates; called on a thread of its own (never the control thread), once per opening.
     *
     * @param service the service whose circuit opened
     * @param cause the failure that opened it
     */
    void escalate(String service, Throwable cause);
}
