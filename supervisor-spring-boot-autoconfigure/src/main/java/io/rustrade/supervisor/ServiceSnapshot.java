package io.rustrade.supervisor;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The state of one supervised service at one moment: immutable, safe to share between threads. Its events
 * are an immutable view of the service's {@link ServiceHistory}, taken without copying.
 *
 * @param name the service's unique name (its bean name for beans)
 * @param kind a {@code SmartLifecycle} bean or a {@link SupervisedService}
 * @param state where the service is in its life
 * @param restartPolicy which ends of a run lead to a restart
 * @param attempt consecutive failures since the last reset (0 before the first)
 * @param recentFailures failures inside the circuit-breaker window (at most {@code max-failures})
 * @param failures failures since the service was registered
 * @param restarts restarts begun since the service was registered: after a backoff, as a half-open probe,
 *     or on an operator's {@code restart}
 * @param circuit where the circuit breaker stands
 * @param startedAt when the current or last run started successfully; {@code null} before the first
 * @param nextRestartAt when the next restart (or half-open probe) is due; {@code null} when none is
 * @param lastFailure the most recent failure; {@code null} before the first
 * @param backoff the backoff settings in force
 * @param circuitBreaker the circuit-breaker settings in force
 * @param events the recent history, oldest first, at most {@code events.history-size} entries
 * @param group the group the service is a member of ({@code groups.<name>}); {@code null} when none
 * @param dependsOn the supervised services it depends on in the application context, direct ones, sorted
 * @param waitingFor while {@link ServiceState#WAITING} (or {@code STOPPING} to wait): the service it waits for;
 *     {@code null} otherwise
 */
public record ServiceSnapshot(
        String name,
        ServiceKind kind,
        ServiceState state,
        RestartPolicy restartPolicy,
        int attempt,
        int recentFailures,
        long failures,
        long restarts,
        CircuitState circuit,
        Instant startedAt,
        Instant nextRestartAt,
        LastFailure lastFailure,
        Backoff backoff,
        CircuitBreaker circuitBreaker,
        List<HistoryEntry> events,
        String group,
        List<String> dependsOn,
        String waitingFor,
        Singleton singleton) {

    /** Keeps a view of an {@link ServiceHistory} as it is, since it never changes; copies any other list. */
    public ServiceSnapshot {
        events = (events instanceof ServiceHistory.View) ? events : List.copyOf(events);
        dependsOn = (dependsOn != null) ? List.copyOf(dependsOn) : List.of();
    }

    /** A snapshot of a service that is not a cluster singleton. */
    public ServiceSnapshot(
            String name,
            ServiceKind kind,
            ServiceState state,
            RestartPolicy restartPolicy,
            int attempt,
            int recentFailures,
            long failures,
            long restarts,
            CircuitState circuit,
            Instant startedAt,
            Instant nextRestartAt,
            LastFailure lastFailure,
            Backoff backoff,
            CircuitBreaker circuitBreaker,
            List<HistoryEntry> events,
            String group,
            List<String> dependsOn,
            String waitingFor) {
        this(
                name,
                kind,
                state,
                restartPolicy,
                attempt,
                recentFailures,
                failures,
                restarts,
                circuit,
                startedAt,
                nextRestartAt,
                lastFailure,
                backoff,
                circuitBreaker,
                events,
                group,
                dependsOn,
                waitingFor,
                null);
    }

    /** A snapshot of a service that is in no group, depends on no supervised service and waits for none. */
    public ServiceSnapshot(
            String name,
            ServiceKind kind,
            ServiceState state,
            RestartPolicy restartPolicy,
            int attempt,
            int recentFailures,
            long failures,
            long restarts,
            CircuitState circuit,
            Instant startedAt,
            Instant nextRestartAt,
            LastFailure lastFailure,
            Backoff backoff,
            CircuitBreaker circuitBreaker,
            List<HistoryEntry> events) {
        this(
                name,
                kind,
                state,
                restartPolicy,
                attempt,
                recentFailures,
                failures,
                restarts,
                circuit,
                startedAt,
                nextRestartAt,
                lastFailure,
                backoff,
                circuitBreaker,
                events,
                null,
                List.of(),
                null,
                null);
    }

    /**
     * Where a cluster singleton's leadership stands on this instance.
     *
     * @param lock the name of the lock its election holds: {@code cluster.lock-prefix} and the service name
     * @param leader whether this instance holds it now: only then does the service run here
     * @param since when this instance last became leader or stopped being one; when it was registered,
     *     before the election first answered
     */
    public record Singleton(String lock, boolean leader, Instant since) {}

    /**
     * The most recent failure of a service.
     *
     * @param at when it was recorded
     * @param exception the class name of the cause
     * @param message the cause's message, possibly {@code null}
     */
    public record LastFailure(Instant at, String exception, String message) {}

    /**
     * The backoff settings of a service.
     *
     * @param baseDelay the ceiling of the first retry delay
     * @param maxDelay the cap of every delay
     * @param jitter how each delay is drawn below its ceiling
     * @param cooldownPeriod the healthy run time after which failure history is forgotten
     */
    public record Backoff(Duration baseDelay, Duration maxDelay, Jitter jitter, Duration cooldownPeriod) {}

    /**
     * The circuit-breaker settings of a service.
     *
     * @param maxFailures failures inside the window that open the circuit; 0 when disabled
     * @param window how long a failure is remembered
     * @param onOpen what happens once the circuit has opened
     * @param openDuration the first wait before a half-open probe
     * @param maxOpenDuration the cap of the doubling open period
     */
    public record CircuitBreaker(
            int maxFailures,
            Duration window,
            CircuitOpenAction onOpen,
            Duration openDuration,
            Duration maxOpenDuration) {}
}
