package io.rustrade.supervisor.core;

import io.rustrade.supervisor.Jitter;
import io.rustrade.supervisor.core.internal.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * How long a failed service waits before it is restarted, and when its failure history is forgotten.
 *
 * <p>Immutable; built with {@link #builder()} or copied and changed with {@link #toBuilder()}. The
 * defaults and the rules {@link Builder#build()} enforces:
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th><th>rule</th></tr>
 *   <tr><td>{@code base-delay}</td><td>100ms</td><td>greater than 0; the ceiling of the first retry delay</td></tr>
 *   <tr><td>{@code max-delay}</td><td>60s</td><td>at least {@code base-delay}; the cap of every delay</td></tr>
 *   <tr><td>{@code jitter}</td><td>{@link Jitter#FULL}</td><td>not null</td></tr>
 *   <tr><td>{@code cooldown-period}</td><td>5m</td><td>not negative; a run at least this long clears the
 *       failure history</td></tr>
 * </table>
 *
 * <p>The delay before retry number {@code attempt} (1 for the first failure) is drawn by the {@link
 * Jitter} from {@code ceiling = min(max-delay, base-delay × 2^(attempt−1))}. A {@code null} argument
 * throws {@link NullPointerException}; an out-of-range value throws {@link InvalidSettingException}
 * naming the setting.
 */
public final class BackoffPolicy {

    static final Duration DEFAULT_BASE_DELAY = Duration.ofMillis(100);

    static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(60);

    static final Duration DEFAULT_COOLDOWN_PERIOD = Duration.ofMinutes(5);

    private static final BackoffPolicy DEFAULTS = builder().build();

    private final Duration baseDelay;

    private final Duration maxDelay;

    private final Jitter jitter;

    private final Duration cooldownPeriod;

    private final long baseDelayNanos;

    private final long maxDelayNanos;

    private final long cooldownPeriodNanos;

    private BackoffPolicy(Builder builder) {
        this.baseDelay = builder.baseDelay;
        this.maxDelay = builder.maxDelay;
        this.jitter = builder.jitter;
        this.cooldownPeriod = builder.cooldownPeriod;
        this.baseDelayNanos = Durations.toNanosSaturated(this.baseDelay);
        this.maxDelayNanos = Durations.toNanosSaturated(this.maxDelay);
        this.cooldownPeriodNanos = Durations.toNanosSaturated(this.cooldownPeriod);
    }

    /** The policy with every default. */
    public static BackoffPolicy defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this policy's values. */
    public Builder toBuilder() {
        return new Builder()
                .baseDelay(this.baseDelay)
                .maxDelay(this.maxDelay)
                .jitter(this.jitter)
                .cooldownPeriod(this.cooldownPeriod);
    }

    /** The ceiling of the first retry delay. */
    public Duration baseDelay() {
        return this.baseDelay;
    }

    /** The cap of every delay. */
    public Duration maxDelay() {
        return this.maxDelay;
    }

    /** How a delay is drawn below its ceiling. */
    public Jitter jitter() {
        return this.jitter;
    }

    /** The run time after which a failure or completion first clears the failure history. */
    public Duration cooldownPeriod() {
        return this.cooldownPeriod;
    }

    long baseDelayNanos() {
        return this.baseDelayNanos;
    }

    long maxDelayNanos() {
        return this.maxDelayNanos;
    }

    long cooldownPeriodNanos() {
        return this.cooldownPeriodNanos;
    }

    /**
     * The exponential ceiling for an attempt, {@code min(max-delay, base-delay × 2^(attempt−1))}, in
     * nanoseconds; computed without overflow for any attempt.
     *
     * @param attempt the consecutive failure count, 1 for the first failure (values below 1 count as 1)
     */
    long ceilingNanos(int attempt) {
        int doublings = Math.max(attempt, 1) - 1;
        if (doublings >= Long.SIZE - 1 || this.baseDelayNanos > (this.maxDelayNanos >> doublings)) {
            return this.maxDelayNanos;
        }
        return this.baseDelayNanos << doublings;
    }

    /** The exponential ceiling for an attempt, as {@link #ceilingNanos(int)} but as a duration. */
    Duration ceiling(int attempt) {
        return Duration.ofNanos(ceilingNanos(attempt));
    }

    @Override
    public boolean equals(Object other) {
        return (other instanceof BackoffPolicy that)
                && this.baseDelay.equals(that.baseDelay)
                && this.maxDelay.equals(that.maxDelay)
                && this.jitter == that.jitter
                && this.cooldownPeriod.equals(that.cooldownPeriod);
    }

    @Override
    public int hashCode() {
        return Objects.hash(this.baseDelay, this.maxDelay, this.jitter, this.cooldownPeriod);
    }

    @Override
    public String toString() {
        return "BackoffPolicy[base-delay=" + Durations.format(this.baseDelay) + ", max-delay="
                + Durations.format(this.maxDelay) + ", jitter=" + this.jitter + ", cooldown-period="
                + Durations.format(this.cooldownPeriod) + "]";
    }

    /** Collects the settings of a {@link BackoffPolicy}; {@link #build()} validates them. */
    public static final class Builder {

        private Duration baseDelay = DEFAULT_BASE_DELAY;

        private Duration maxDelay = DEFAULT_MAX_DELAY;

        private Jitter jitter = Jitter.FULL;

        private Duration cooldownPeriod = DEFAULT_COOLDOWN_PERIOD;

        private Builder() {}

        /** Sets the ceiling of the first retry delay; must be greater than 0. */
        public Builder baseDelay(Duration baseDelay) {
            this.baseDelay = Objects.requireNonNull(baseDelay, "baseDelay must not be null");
            return this;
        }

        /** Sets the cap of every delay; must be at least the base delay. */
        public Builder maxDelay(Duration maxDelay) {
            this.maxDelay = Objects.requireNonNull(maxDelay, "maxDelay must not be null");
            return this;
        }

        /** Sets how a delay is drawn below its ceiling. */
        public Builder jitter(Jitter jitter) {
            this.jitter = Objects.requireNonNull(jitter, "jitter must not be null");
            return this;
        }

        /** Sets the run time after which the failure history is forgotten; must not be negative. */
        public Builder cooldownPeriod(Duration cooldownPeriod) {
            this.cooldownPeriod = Objects.requireNonNull(cooldownPeriod, "cooldownPeriod must not be null");
            return this;
        }

        /**
         * Validates the settings and builds the policy.
         *
         * @throws InvalidSettingException naming the first setting that breaks its rule
         */
        public BackoffPolicy build() {
            SettingRules.requirePositive("base-delay", this.baseDelay);
            if (this.maxDelay.compareTo(this.baseDelay) < 0) {
                throw new InvalidSettingException(
                        "max-delay",
                        this.maxDelay,
                        "must be at least 'base-delay' (" + Durations.format(this.baseDelay) + ")");
            }
            SettingRules.requireNotNegative("cooldown-period", this.cooldownPeriod);
            return new BackoffPolicy(this);
        }
    }
}
