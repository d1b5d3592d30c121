package io.rustrade.supervisor.core;

import io.rustrade.supervisor.Jitter;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The restart history of one service: decides, at each failure, whether to retry and after how long, or
 * to open the circuit.
 *
 * <p>The rules, in the order {@link #recordFailure()} applies them:
 *
 * <ol>
 *   <li><b>Cooldown reset.</b> If the run that just ended lasted at least {@code cooldown-period} since
 *       its successful start ({@link #recordStart()}), {@code attempt} and the failure history are
 *       cleared first. A failure without a successful start since the last one (a start that threw)
 *       never resets.
 *   <li><b>Counting.</b> {@code attempt} grows by one (saturating at {@link Integer#MAX_VALUE}) and the
 *       failure is remembered for {@code window} — every failure, the one that trips the breaker too.
 *   <li><b>Circuit.</b> If the breaker is on and the failures inside the window reach {@code
 *       max-failures}, the decision is {@link BackoffDecision.CircuitOpen}.
 *   <li><b>Delay.</b> Otherwise the decision is {@link BackoffDecision.Retry} after a delay drawn by the
 *       policy's {@link Jitter} below {@code min(max-delay, base-delay × 2^(attempt−1))}, at nanosecond
 *       resolution.
 * </ol>
 *
 * <p>Each failure costs O(1) time and memory whatever {@code max-failures} is. Time and randomness are
 * injected. Not thread-safe: the supervisor confines each instance to its control thread.
 */
public final class BackoffState {

    private final BackoffPolicy backoff;

    private final CircuitBreakerPolicy circuitBreaker;

    private final NanoClock clock;

    private final RandomGenerator random;

    private final FailureWindow failures;

    private int attempt;

    private boolean running;

    private long startedAtNanos;

    private long previousDelayNanos;

    private long lastDelayNanos;

    /**
     * @param backoff how delays grow and when history is forgotten
     * @param circuitBreaker when retrying stops
     * @param clock the monotonic time source
     * @param random the source of jitter
     */
    public BackoffState(
            BackoffPolicy backoff, CircuitBreakerPolicy circuitBreaker, NanoClock clock, RandomGenerator random) {
        this.backoff = Objects.requireNonNull(backoff, "backoff must not be null");
        this.circuitBreaker = Objects.requireNonNull(circuitBreaker, "circuitBreaker must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.random = Objects.requireNonNull(random, "random must not be null");
        this.failures = new FailureWindow(circuitBreaker.maxFailures(), circuitBreaker.windowNanos());
        this.previousDelayNanos = backoff.baseDelayNanos();
    }

    /** Records that the service has started successfully: its run, and its cooldown, begin now. */
    void recordStart() {
        this.running = true;
        this.startedAtNanos = this.clock.nanoTime();
    }

    /**
     * Records a failure of the service and decides what follows.
     *
     * @return {@link BackoffDecision.Retry} with the delay before the restart, or {@link
     *     BackoffDecision.CircuitOpen} when this failure opened the circuit
     */
    public BackoffDecision recordFailure() {
        long now = this.clock.nanoTime();
        endRun(now);
        if (this.attempt < Integer.MAX_VALUE) {
            this.attempt++;
        }
        if (this.failures.recordAndCheckFull(now)) {
            return new BackoffDecision.CircuitOpen(
                    this.circuitBreaker.maxFailures(), this.circuitBreaker.maxFailures());
        }
        long ceiling = this.backoff.ceilingNanos(this.attempt);
        long delay = JitterDraw.delayNanos(
                this.backoff.jitter(),
                ceiling,
                this.backoff.baseDelayNanos(),
                this.backoff.maxDelayNanos(),
                this.previousDelayNanos,
                this.random);
        this.previousDelayNanos = delay;
        this.lastDelayNanos = delay;
        return new BackoffDecision.Retry(Duration.ofNanos(delay));
    }

    /**
     * Records that the service's run ended without failure (a run loop returned). Applies the cooldown
     * reset but counts nothing.
     *
     * @return whether the run lasted long enough to clear the failure history
     */
    boolean recordCompletion() {
        return endRun(this.clock.nanoTime());
    }

    /**
     * Forgets the history: attempt, failures and the last delay. A run under way goes on; its cooldown
     * still counts from its start.
     */
    void reset() {
        clearHistory();
        this.lastDelayNanos = 0;
    }

    /** How long the run under way has lasted, or {@code null} when none is. */
    Duration runTime() {
        return this.running ? Duration.ofNanos(this.clock.nanoTime() - this.startedAtNanos) : null;
    }

    /** Records that the run under way ended because it was stopped: neither a failure nor a completion. */
    void recordStop() {
        this.running = false;
    }

    /** Consecutive failures since the last reset: 0 before the first, 1 at the first. */
    int attempt() {
        return this.attempt;
    }

    /**
     * Failures inside the circuit-breaker window now, at most {@code max-failures}; always 0 while the
     * breaker is off, since then no failure needs remembering.
     */
    int recentFailures() {
        return this.failures.countInside(this.clock.nanoTime());
    }

    /** The slots of the failure window's ring: what the failures inside the window cost in memory. */
    int failureSlots() {
        return this.failures.slotCount();
    }

    /**
     * How long until {@link #recentFailures()} next drops, as the oldest failure leaves the window; empty
     * when no failure is inside it.
     */
    java.util.OptionalLong nanosUntilRecentFailuresDrop() {
        long nanos = this.failures.nanosUntilNextExpiry(this.clock.nanoTime());
        return (nanos < 0) ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(nanos);
    }

    /** The delay of the last {@link BackoffDecision.Retry}; zero before the first and after a reset. */
    Duration lastDelay() {
        return Duration.ofNanos(this.lastDelayNanos);
    }

    /** Ends the current run, if any, and clears the history if it lasted the cooldown period. */
    private boolean endRun(long now) {
        boolean cooledDown = this.running && now - this.startedAtNanos >= this.backoff.cooldownPeriodNanos();
        this.running = false;
        if (cooledDown) {
            clearHistory();
        }
        return cooledDown;
    }

    private void clearHistory() {
        this.attempt = 0;
        this.failures.clear();
        this.previousDelayNanos = this.backoff.baseDelayNanos();
    }
}
