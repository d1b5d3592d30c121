package io.rustrade.supervisor.core;

import java.time.Duration;

/** What to do after a failure: retry after a delay, or stop retrying because the circuit opened. */
public sealed interface BackoffDecision permits BackoffDecision.Retry, BackoffDecision.CircuitOpen {

    /**
     * Restart the service after {@code delay}.
     *
     * @param delay the wait before the restart, within {@code [0, max-delay]}
     */
    record Retry(Duration delay) implements BackoffDecision {}

    /**
     * The circuit opened: too many failures inside the window, no restart is scheduled.
     *
     * @param failures the failures inside the window, the one that tripped the breaker included
     * @param maxFailures the configured {@code max-failures}
     */
    record CircuitOpen(int failures, int maxFailures) implements BackoffDecision {}
}
