package io.rustrade.supervisor.core;

import io.rustrade.supervisor.CircuitOpenAction;
import io.rustrade.supervisor.RestartPolicy;
import io.rustrade.supervisor.core.internal.CapturedFailure;
import io.rustrade.supervisor.core.internal.Durations;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Everything that configures the supervision of one service. Immutable; built with {@link #builder()}.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th><th>rule</th></tr>
 *   <tr><td>{@code restart}</td><td>{@link RestartPolicy#ON_FAILURE}</td><td>not null</td></tr>
 *   <tr><td>{@code backoff}</td><td>{@link BackoffPolicy#defaults()}</td><td>not null</td></tr>
 *   <tr><td>{@code circuit-breaker}</td><td>{@link CircuitBreakerPolicy#defaults()}</td><td>not null</td></tr>
 *   <tr><td>{@code start-timeout}</td><td>30s</td><td>at least 1ms; longest wait for {@code start()}</td></tr>
 *   <tr><td>{@code stop-timeout}</td><td>30s</td><td>at least 1ms; longest wait for {@code stop()}</td></tr>
 *   <tr><td>{@code fatal-exceptions}</td><td>none</td><td>a failure whose cause chain holds an instance of
 *       one of these classes (subclasses included) is never retried</td></tr>
 * </table>
 *
 * <p>A timeout shorter than {@link #MIN_TIMEOUT} is refused: no {@code start()} or {@code stop()} can
 * return within it, so every start would fail and every stop be abandoned.
 */
public final class ServiceOptions {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** The shortest {@code start-timeout} and {@code stop-timeout} accepted. */
    static final Duration MIN_TIMEOUT = Duration.ofMillis(1);

    private static final ServiceOptions DEFAULTS = builder().build();

    private final RestartPolicy restartPolicy;

    private final BackoffPolicy backoff;

    private final CircuitBreakerPolicy circuitBreaker;

    private final Duration startTimeout;

    private final Duration stopTimeout;

    private final Set<Class<? extends Throwable>> fatalExceptions;

    private final String singletonLock;

    /**
     * Built on first use and then shared by every service on these options. A race builds it twice at
     * worst; the record is immutable, so any thread may read whichever copy it sees.
     */
    private SnapshotSettings snapshotSettings;

    private ServiceOptions(Builder builder) {
        this.restartPolicy = builder.restartPolicy;
        this.backoff = builder.backoff;
        this.circuitBreaker = builder.circuitBreaker;
        this.startTimeout = builder.startTimeout;
        this.stopTimeout = builder.stopTimeout;
        this.fatalExceptions = Set.copyOf(builder.fatalExceptions);
        this.singletonLock = builder.singletonLock;
    }

    /** The parts of a snapshot these options decide. */
    SnapshotSettings snapshotSettings() {
        SnapshotSettings settings = this.snapshotSettings;
        if (settings == null) {
            settings = SnapshotSettings.of(this);
            this.snapshotSettings = settings;
        }
        return settings;
    }

    /** The options with every default. */
    public static ServiceOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder()
                .restartPolicy(this.restartPolicy)
                .backoff(this.backoff)
                .circuitBreaker(this.circuitBreaker)
                .startTimeout(this.startTimeout)
                .stopTimeout(this.stopTimeout)
                .fatalExceptions(this.fatalExceptions)
                .singletonLock(this.singletonLock);
    }

    public RestartPolicy restartPolicy() {
        return this.restartPolicy;
    }

    public BackoffPolicy backoff() {
        return this.backoff;
    }

    public CircuitBreakerPolicy circuitBreaker() {
        return this.circuitBreaker;
    }

    public Duration startTimeout() {
        return this.startTimeout;
    }

    public Duration stopTimeout() {
        return this.stopTimeout;
    }

    public Set<Class<? extends Throwable>> fatalExceptions() {
        return this.fatalExceptions;
    }

    /**
     * The lock whose leadership a cluster singleton needs to run, or null for a service that runs wherever
     * it is supervised.
     */
    public String singletonLock() {
        return this.singletonLock;
    }

    /** Whether the service runs only on the instance that holds its leadership. */
    public boolean isSingleton() {
        return this.singletonLock != null;
    }

    /**
     * Whether the failure's cause chain holds an instance of a fatal exception class. The chain is read as
     * {@link CapturedFailure} reads it: a cycle or a throwing {@code getCause()} ends it.
     */
    boolean isFatal(CapturedFailure cause) {
        return cause.hasInChain(this.fatalExceptions);
    }

    @Override
    public boolean equals(Object other) {
        return (other instanceof ServiceOptions that)
                && this.restartPolicy == that.restartPolicy
                && this.backoff.equals(that.backoff)
                && this.circuitBreaker.equals(that.circuitBreaker)
                && this.startTimeout.equals(that.startTimeout)
                && this.stopTimeout.equals(that.stopTimeout)
                && this.fatalExceptions.equals(that.fatalExceptions)
                && Objects.equals(this.singletonLock, that.singletonLock);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                this.restartPolicy,
                this.backoff,
                this.circuitBreaker,
                this.startTimeout,
                this.stopTimeout,
                this.fatalExceptions,
                this.singletonLock);
    }

    @Override
    public String toString() {
        return "ServiceOptions[restart=" + this.restartPolicy.value() + ", " + this.backoff + ", "
                + this.circuitBreaker + ", start-timeout=" + Durations.format(this.startTimeout)
                + ", stop-timeout=" + Durations.format(this.stopTimeout) + ", fatal-exceptions="
                + this.fatalExceptions + ((this.singletonLock != null) ? ", singleton=" + this.singletonLock : "")
                + "]";
    }

    /** Collects the settings of {@link ServiceOptions}; {@link #build()} validates them. */
    public static final class Builder {

        private RestartPolicy restartPolicy = RestartPolicy.ON_FAILURE;

        private BackoffPolicy backoff = BackoffPolicy.defaults();

        private CircuitBreakerPolicy circuitBreaker = CircuitBreakerPolicy.defaults();

        private Duration startTimeout = DEFAULT_TIMEOUT;

        private Duration stopTimeout = DEFAULT_TIMEOUT;

        private final Set<Class<? extends Throwable>> fatalExceptions = new LinkedHashSet<>();

        private String singletonLock;

        private Builder() {}

        public Builder restartPolicy(RestartPolicy restartPolicy) {
            this.restartPolicy = Objects.requireNonNull(restartPolicy, "restartPolicy must not be null");
            return this;
        }

        public Builder backoff(BackoffPolicy backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff must not be null");
            return this;
        }

        public Builder circuitBreaker(CircuitBreakerPolicy circuitBreaker) {
            this.circuitBreaker = Objects.requireNonNull(circuitBreaker, "circuitBreaker must not be null");
            return this;
        }

        /** Sets the longest wait for {@code start()}; must be at least 1ms. */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout must not be null");
            return this;
        }

        /** Sets the longest wait for {@code stop()}; must be at least 1ms. */
        public Builder stopTimeout(Duration stopTimeout) {
            this.stopTimeout = Objects.requireNonNull(stopTimeout, "stopTimeout must not be null");
            return this;
        }

        /** Replaces the exception classes that are never retried. */
        public Builder fatalExceptions(Set<Class<? extends Throwable>> fatalExceptions) {
            Objects.requireNonNull(fatalExceptions, "fatalExceptions must not be null");
            this.fatalExceptions.clear();
            fatalExceptions.forEach(type ->
                    this.fatalExceptions.add(Objects.requireNonNull(type, "fatalExceptions must not contain null")));
            return this;
        }

        /**
         * Makes the service a cluster singleton that runs only while this instance holds the leadership of
         * {@code lock} ({@code STANDBY} otherwise); null makes it an ordinary service again.
         */
        public Builder singletonLock(String lock) {
            if (lock != null && lock.isBlank()) {
                throw new InvalidSettingException("singleton", lock, "needs a lock name that is not blank");
            }
            this.singletonLock = lock;
            return this;
        }

        /**
         * Validates the settings and builds the options.
         *
         * @throws InvalidSettingException naming the first setting that breaks its rule
         */
        public ServiceOptions build() {
            SettingRules.requireAtLeast("start-timeout", this.startTimeout, MIN_TIMEOUT);
            SettingRules.requireAtLeast("stop-timeout", this.stopTimeout, MIN_TIMEOUT);
            if (this.circuitBreaker.onOpen() == CircuitOpenAction.FAILOVER && this.singletonLock == null) {
                throw new InvalidSettingException(
                        "circuit-breaker.on-open",
                        CircuitOpenAction.FAILOVER.value(),
                        "may be failover only for a singleton service (services.<name>.singleton: true)");
            }
            return new ServiceOptions(this);
        }
    }
}
