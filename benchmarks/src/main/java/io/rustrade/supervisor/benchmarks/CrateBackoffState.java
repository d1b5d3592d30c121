package io.rustrade.supervisor.benchmarks;

import io.rustrade.supervisor.core.NanoClock;
import java.time.Duration;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The baseline of the decision benchmark: a faithful Java port of {@code BackoffState} of the Rust crate
 * rustrade-supervisor 0.3.0 ({@code backoff.rs}), the algorithm the supervisor's core replaced. It is
 * here only to be measured against; nothing in the supervisor uses it.
 *
 * <p>Ported statement by statement, defects included (they are the point of comparison, not of use):
 *
 * <ul>
 *   <li>every failure timestamp is kept in a growable array, as the crate's {@code Vec<Instant>}, and each
 *       failure first appends, then prunes the whole array to the window ({@code Vec::retain}): O(n) per
 *       failure, n being the failures inside the window;
 *   <li>the circuit opens when the failures left reach {@code max_retries}; the tripping failure stays in
 *       the list;
 *   <li>the exponential ceiling is {@code min(max, base × 2^attempt)} in whole milliseconds (so the first
 *       retry waits up to 2 × base), then full jitter draws uniformly in {@code [0, ceiling]} milliseconds.
 * </ul>
 *
 * <p>The crate read {@code Instant::now()} and a thread-local generator; here the clock and the generator
 * are injected, as for the core, so that both run on the same virtual time and the same randomness. Not
 * thread-safe, as the original.
 */
public final class CrateBackoffState {

    private final long baseDelayMillis;

    private final long maxDelayMillis;

    private final long cooldownPeriodNanos;

    private final int maxRetries;

    private final long windowNanos;

    private final NanoClock clock;

    private final RandomGenerator random;

    /** {@code u32} in the crate, saturating: kept in a {@code long} capped at {@code u32::MAX}. */
    private long attempt;

    /** The crate's {@code failure_timestamps: Vec<Instant>}: {@code size} slots in use. */
    private long[] failureTimestamps = new long[0];

    private int size;

    private boolean hasLastStart;

    private long lastStart;

    /**
     * @param baseDelay the crate's {@code base_delay}
     * @param maxDelay the crate's {@code max_delay}
     * @param cooldownPeriod the crate's {@code cooldown_period}
     * @param maxRetries the crate's {@code max_retries}; 0 disables the circuit breaker
     * @param window the crate's {@code circuit_breaker_window}
     * @param clock stands for {@code Instant::now()}
     * @param random stands for {@code rand::rng()}
     */
    public CrateBackoffState(
            Duration baseDelay,
            Duration maxDelay,
            Duration cooldownPeriod,
            int maxRetries,
            Duration window,
            NanoClock clock,
            RandomGenerator random) {
        this.baseDelayMillis = baseDelay.toMillis();
        this.maxDelayMillis = maxDelay.toMillis();
        this.cooldownPeriodNanos = cooldownPeriod.toNanos();
        this.maxRetries = maxRetries;
        this.windowNanos = window.toNanos();
        this.clock = clock;
        this.random = random;
    }

    /** {@code record_start}. */
    public void recordStart() {
        this.hasLastStart = true;
        this.lastStart = this.clock.nanoTime();
    }

    /** {@code maybe_reset_on_cooldown}. */
    public void maybeResetOnCooldown() {
        if (this.hasLastStart && this.clock.nanoTime() - this.lastStart >= this.cooldownPeriodNanos) {
            this.attempt = 0;
            this.size = 0;
        }
    }

    /** {@code next_backoff}: records a failure and computes the next action. */
    public Action nextBackoff() {
        long now = this.clock.nanoTime();

        push(now);
        this.attempt = Math.min(this.attempt + 1, 0xFFFF_FFFFL);

        if (this.maxRetries > 0) {
            // self.failure_timestamps.retain(|ts| *ts >= window_start), window_start = now - window
            int kept = 0;
            for (int i = 0; i < this.size; i++) {
                long ts = this.failureTimestamps[i];
                if (now - ts <= this.windowNanos) {
                    this.failureTimestamps[kept++] = ts;
                }
            }
            this.size = kept;

            if (this.size >= this.maxRetries) {
                return new Action.CircuitOpen(this.size, this.maxRetries);
            }
        }

        long expDelayMillis = computeExponentialDelayMillis();
        return new Action.Retry(addJitter(Duration.ofMillis(expDelayMillis), this.random));
    }

    /** {@code reset}. */
    public void reset() {
        this.attempt = 0;
        this.size = 0;
        this.hasLastStart = false;
    }

    /** {@code attempt}. */
    public long attempt() {
        return this.attempt;
    }

    /** {@code recent_failures}: the length of the list, pruned at the last failure only. */
    public int recentFailures() {
        return this.size;
    }

    /** {@code compute_exponential_delay}: {@code min(cap, base * 2^attempt)} in milliseconds, saturating. */
    private long computeExponentialDelayMillis() {
        long shift = Math.min(this.attempt, 62);
        long factor = 1L << shift;
        long expMillis = (this.baseDelayMillis != 0 && factor > Long.MAX_VALUE / this.baseDelayMillis)
                ? Long.MAX_VALUE
                : this.baseDelayMillis * factor;
        return Math.min(expMillis, this.maxDelayMillis);
    }

    /** {@code add_jitter}: full jitter, uniform in {@code [0, base]} whole milliseconds. */
    public static Duration addJitter(Duration base, RandomGenerator random) {
        if (base.isZero()) {
            return base;
        }
        long baseMillis = base.toMillis();
        long jitterMillis = random.nextLong(0, baseMillis + 1);
        return Duration.ofMillis(jitterMillis);
    }

    /** {@code Vec::push}: amortised doubling, as Rust's vector grows. */
    private void push(long timestamp) {
        if (this.size == this.failureTimestamps.length) {
            this.failureTimestamps =
                    Arrays.copyOf(this.failureTimestamps, Math.max(4, 2 * this.failureTimestamps.length));
        }
        this.failureTimestamps[this.size++] = timestamp;
    }

    /** The crate's {@code BackoffAction}. */
    public sealed interface Action {

        /** Wait for the delay, then retry. */
        record Retry(Duration delay) implements Action {}

        /** Too many failures inside the window: stop retrying. */
        record CircuitOpen(int failures, int maxRetries) implements Action {}
    }
}
