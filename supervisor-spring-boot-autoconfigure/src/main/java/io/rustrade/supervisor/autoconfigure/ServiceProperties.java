package io.rustrade.supervisor.autoconfigure;

import io.rustrade.supervisor.CircuitOpenAction;
import io.rustrade.supervisor.Jitter;
import io.rustrade.supervisor.RestartPolicy;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Settings of one service, under {@code rustrade.supervisor.services.<name>}.
 *
 * <p>Every value left {@code null} is inherited from the top-level value of the same name in {@link
 * SupervisorProperties}, field by field: {@code services.feed.backoff.max-delay=5s} keeps the top-level
 * {@code backoff.base-delay}. A {@code fatal-exceptions} list given here replaces the top-level one.
 */
public class ServiceProperties {

    /** Whether this service is supervised. */
    private @Nullable Boolean enabled;

    /** Which ends of a run lead to a restart of this service. */
    private @Nullable RestartPolicy restart;

    /** Longest wait for this service's start() to return; at least 1ms. */
    private @Nullable Duration startTimeout;

    /** Longest wait for this service's stop() to return; at least 1ms. */
    private @Nullable Duration stopTimeout;

    /** Fully qualified names of exception classes that are never retried for this service. */
    private @Nullable List<String> fatalExceptions;

    /**
     * Whether the supervised services that depend on this service are stopped when it fails, is restarted
     * or is stopped, and started again after it.
     */
    private @Nullable Boolean restartDependents;

    /**
     * Whether the service runs on exactly one instance of the application at a time: the one that holds its
     * lock (cluster.lock-prefix and the service name) in the application's LockRegistry. STANDBY elsewhere.
     */
    private @Nullable Boolean singleton;

    private final Backoff backoff = new Backoff();

    private final CircuitBreaker circuitBreaker = new CircuitBreaker();

    public @Nullable Boolean getEnabled() {
        return this.enabled;
    }

    public void setEnabled(@Nullable Boolean enabled) {
        this.enabled = enabled;
    }

    public @Nullable RestartPolicy getRestart() {
        return this.restart;
    }

    public void setRestart(@Nullable RestartPolicy restart) {
        this.restart = restart;
    }

    public @Nullable Duration getStartTimeout() {
        return this.startTimeout;
    }

    public void setStartTimeout(@Nullable Duration startTimeout) {
        this.startTimeout = startTimeout;
    }

    public @Nullable Duration getStopTimeout() {
        return this.stopTimeout;
    }

    public void setStopTimeout(@Nullable Duration stopTimeout) {
        this.stopTimeout = stopTimeout;
    }

    public @Nullable List<String> getFatalExceptions() {
        return this.fatalExceptions;
    }

    public void setFatalExceptions(@Nullable List<String> fatalExceptions) {
        this.fatalExceptions = fatalExceptions;
    }

    public @Nullable Boolean getRestartDependents() {
        return this.restartDependents;
    }

    public void setRestartDependents(@Nullable Boolean restartDependents) {
        this.restartDependents = restartDependents;
    }

    public @Nullable Boolean getSingleton() {
        return this.singleton;
    }

    public void setSingleton(@Nullable Boolean singleton) {
        this.singleton = singleton;
    }

    public Backoff getBackoff() {
        return this.backoff;
    }

    public CircuitBreaker getCircuitBreaker() {
        return this.circuitBreaker;
    }

    /** Backoff settings of one service; {@code null} inherits the top-level value. */
    public static class Backoff {

        /** Ceiling of this service's first retry delay. */
        private @Nullable Duration baseDelay;

        /** Cap of this service's retry delays. */
        private @Nullable Duration maxDelay;

        /** How this service's retry delays are drawn below their ceiling. */
        private @Nullable Jitter jitter;

        /** Healthy run time after which this service's failure history is forgotten. */
        private @Nullable Duration cooldownPeriod;

        public @Nullable Duration getBaseDelay() {
            return this.baseDelay;
        }

        public void setBaseDelay(@Nullable Duration baseDelay) {
            this.baseDelay = baseDelay;
        }

        public @Nullable Duration getMaxDelay() {
            return this.maxDelay;
        }

        public void setMaxDelay(@Nullable Duration maxDelay) {
            this.maxDelay = maxDelay;
        }

        public @Nullable Jitter getJitter() {
            return this.jitter;
        }

        public void setJitter(@Nullable Jitter jitter) {
            this.jitter = jitter;
        }

        public @Nullable Duration getCooldownPeriod() {
            return this.cooldownPeriod;
        }

        public void setCooldownPeriod(@Nullable Duration cooldownPeriod) {
            this.cooldownPeriod = cooldownPeriod;
        }
    }

    /** Circuit-breaker settings of one service; {@code null} inherits the top-level value. */
    public static class CircuitBreaker {

        /** Failures inside the window that open this service's circuit; 0 disables it. */
        private @Nullable Integer maxFailures;

        /** How long a failure of this service is remembered. */
        private @Nullable Duration window;

        /** What happens once this service's circuit has opened. */
        private @Nullable CircuitOpenAction onOpen;

        /** First wait before a half-open probe start of this service. */
        private @Nullable Duration openDuration;

        /** Cap of this service's open period, which doubles after each failed probe. */
        private @Nullable Duration maxOpenDuration;

        public @Nullable Integer getMaxFailures() {
            return this.maxFailures;
        }

        public void setMaxFailures(@Nullable Integer maxFailures) {
            this.maxFailures = maxFailures;
        }

        public @Nullable Duration getWindow() {
            return this.window;
        }

        public void setWindow(@Nullable Duration window) {
            this.window = window;
        }

        public @Nullable CircuitOpenAction getOnOpen() {
            return this.onOpen;
        }

        public void setOnOpen(@Nullable CircuitOpenAction onOpen) {
            this.onOpen = onOpen;
        }

        public @Nullable Duration getOpenDuration() {
            return this.openDuration;
        }

        public void setOpenDuration(@Nullable Duration openDuration) {
            this.openDuration = openDuration;
        }

        public @Nullable Duration getMaxOpenDuration() {
            return this.maxOpenDuration;
        }

        public void setMaxOpenDuration(@Nullable Duration maxOpenDuration) {
            this.maxOpenDuration = maxOpenDuration;
        }
    }
}
