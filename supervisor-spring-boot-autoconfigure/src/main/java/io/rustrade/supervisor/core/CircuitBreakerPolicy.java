package io.rustrade.supervisor.core;

import io.rustrade.supervisor.CircuitOpenAction;
import io.rustrade.supervisor.core.internal.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * When a service that keeps failing stops being restarted, and what happens then.
 *
 * <p>Failures are remembered for {@code window}; the failure that makes the count inside the window reach
 * {@code max-failures} opens the circuit instead of scheduling a restart. Immutable; built with {@link
 * #builder()} or copied and changed with {@link #toBuilder()}. The defaults and the rules {@link
 * Builder#build()} enforces:
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th><th>rule</th></tr>
 *   <tr><td>{@code max-failures}</td><td>10</td><td>not negative; {@code 0} disables the breaker</td></tr>
 *   <tr><td>{@code window}</td><td>10m</td><td>greater than 0 while {@code max-failures} is above 0</td></tr>
 *   <tr><td>{@code on-open}</td><td>{@link CircuitOpenAction#STOP}</td><td>not null</td></tr>
 *   <tr><td>{@code open-duration}</td><td>5m</td><td>greater than 0; the first wait before a half-open
 *       probe</td></tr>
 *   <tr><td>{@code max-open-duration}</td><td>1h</td><td>at least {@code open-duration}; the cap of the
 *       doubling open period</td></tr>
 * </table>
 *
 * <p>A {@code null} argument throws {@link NullPointerException}; an out-of-range value throws {@link
 * InvalidSettingException} naming the setting.
 */
public final class CircuitBreakerPolicy {

    static final int DEFAULT_MAX_FAILURES = 10;

    static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);

    static final Duration DEFAULT_OPEN_DURATION = Duration.ofMinutes(5);

    static final Duration DEFAULT_MAX_OPEN_DURATION = Duration.ofHours(1);

    private static final CircuitBreakerPolicy DEFAULTS = builder().build();

    private final int maxFailures;

    private final Duration window;

    private final CircuitOpenAction onOpen;

    private final Duration openDuration;

    private final Duration maxOpenDuration;

    private final long windowNanos;

    private CircuitBreakerPolicy(Builder builder) {
        this.maxFailures = builder.maxFailures;
        this.window = builder.window;
        this.onOpen = builder.onOpen;
        this.openDuration = builder.openDuration;
        this.maxOpenDuration = builder.maxOpenDuration;
        this.windowNanos = Durations.toNanosSaturated(this.window);
    }

    /** The policy with every default. */
    public static CircuitBreakerPolicy defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this policy's values. */
    public Builder toBuilder() {
        return new Builder()
                .maxFailures(this.maxFailures)
                .window(this.window)
                .onOpen(this.onOpen)
                .openDuration(this.openDuration)
                .maxOpenDuration(this.maxOpenDuration);
    }

    /** The failure count inside the window that opens the circuit; {@code 0} when the breaker is off. */
    public int maxFailures() {
        return this.maxFailures;
    }

    /** How long a failure is remembered. */
    public Duration window() {
        return this.window;
    }

    /** What happens once the circuit has opened. */
    public CircuitOpenAction onOpen() {
        return this.onOpen;
    }

    /** The first wait before a half-open probe. */
    public Duration openDuration() {
        return this.openDuration;
    }

    /** The cap of the doubling open period. */
    public Duration maxOpenDuration() {
        return this.maxOpenDuration;
    }

    /** Whether the breaker can open at all ({@code max-failures} above 0). */
    public boolean isEnabled() {
        return this.maxFailures > 0;
    }

    long windowNanos() {
        return this.windowNanos;
    }

    /**
     * How long the circuit stays open before a half-open probe, {@code min(max-open-duration,
     * open-duration × 2^(openings−1))}: each probe that fails doubles the wait.
     *
     * @param openings how many times in a row the circuit has opened without closing, 1 the first time
     *     (values below 1 count as 1)
     */
    Duration openDuration(int openings) {
        int doublings = Math.max(openings, 1) - 1;
        long open = Durations.toNanosSaturated(this.openDuration);
        long cap = Durations.toNanosSaturated(this.maxOpenDuration);
        if (doublings >= Long.SIZE - 1 || open > (cap >> doublings)) {
            return this.maxOpenDuration;
        }
        return Duration.ofNanos(open << doublings);
    }

    @Override
    public boolean equals(Object other) {
        return (other instanceof CircuitBreakerPolicy that)
                && this.maxFailures == that.maxFailures
                && this.window.equals(that.window)
                && this.onOpen == that.onOpen
                && this.openDuration.equals(that.openDuration)
                && this.maxOpenDuration.equals(that.maxOpenDuration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(this.maxFailures, this.window, this.onOpen, this.openDuration, this.maxOpenDuration);
    }

    @Override
    public String toString() {
        return "CircuitBreakerPolicy[max-failures=" + this.maxFailures + ", window=" + Durations.format(this.window)
                + ", on-open=" + this.onOpen + ", open-duration=" + Durations.format(this.openDuration)
                + ", max-open-duration=" + Durations.format(this.maxOpenDuration) + "]";
    }

    /** Collects the settings of a {@link CircuitBreakerPolicy}; {@link #build()} validates them. */
    public static final class Builder {

        private int maxFailures = DEFAULT_MAX_FAILURES;

        private Duration window = DEFAULT_WINDOW;

        private CircuitOpenAction onOpen = CircuitOpenAction.STOP;

        private Duration openDuration = DEFAULT_OPEN_DURATION;

        private Duration maxOpenDuration = DEFAULT_MAX_OPEN_DURATION;

        private Builder() {}

        /** Sets the failure count inside the window that opens the circuit; {@code 0} disables it. */
        public Builder maxFailures(int maxFailures) {
            this.maxFailures = maxFailures;
            return this;
        }

        /** Sets how long a failure is remembered; must be greater than 0 while the breaker is on. */
        public Builder window(Duration window) {
            this.window = Objects.requireNonNull(window, "window must not be null");
            return this;
        }

        /** Sets what happens once the circuit has opened. */
        public Builder onOpen(CircuitOpenAction onOpen) {
            this.onOpen = Objects.requireNonNull(onOpen, "onOpen must not be null");
            return this;
        }

        /** Sets the first wait before a half-open probe; must be greater than 0. */
        public Builder openDuration(Duration openDuration) {
            this.openDuration = Objects.requireNonNull(openDuration, "openDuration must not be null");
            return this;
        }

        /** Sets the cap of the doubling open period; must be at least the open duration. */
        public Builder maxOpenDuration(Duration maxOpenDuration) {
            this.maxOpenDuration = Objects.requireNonNull(maxOpenDuration, "maxOpenDuration must not be null");
            return this;
        }

        /**
         * Validates the settings and builds the policy.
         *
         * @throws InvalidSettingException naming the first setting that breaks its rule
         */
        public CircuitBreakerPolicy build() {
            SettingRules.requireNotNegative("max-failures", this.maxFailures);
            if (this.maxFailures > 0 && (this.window.isNegative() || this.window.isZero())) {
                throw new InvalidSettingException(
                        "window", this.window, "must be greater than 0 while 'max-failures' is above 0");
            }
            SettingRules.requirePositive("open-duration", this.openDuration);
            if (this.maxOpenDuration.compareTo(this.openDuration) < 0) {
                throw new InvalidSettingException(
                        "max-open-duration",
                        this.maxOpenDuration,
                        "must be at least 'open-duration' (" + Durations.format(this.openDuration) + ")");
            }
            return new CircuitBreakerPolicy(this);
        }
    }
}
