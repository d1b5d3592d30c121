package io.rustrade.supervisor.benchmarks;

import io.rustrade.supervisor.core.BackoffDecision;
import io.rustrade.supervisor.core.BackoffPolicy;
import io.rustrade.supervisor.core.BackoffState;
import io.rustrade.supervisor.core.CircuitBreakerPolicy;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of recording one failure and getting the decision (retry after a delay, or open the circuit):
 * the core's {@link BackoffState#recordFailure()} against {@link CrateBackoffState#nextBackoff()}, the
 * crate's algorithm, for {@code max-failures} 10 and 10,000, in the same run.
 *
 * <p>Scenario: a service that fails steadily just below the rate that trips its breaker. Virtual time
 * advances by {@code window / (max-failures − 1)} (plus 1 ns) before each failure, so the window always
 * holds {@code max-failures − 1} failures: every decision is a retry, the crate's list holds (and scans)
 * all of them, and the core's ring is full. Both use the default backoff (100 ms base, 60 s cap, full
 * jitter), a 10-minute window and a {@link SplittableRandom}, the core's default generator.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class DecisionBenchmark {

    private static final Duration WINDOW = Duration.ofMinutes(10);

    @Param({"10", "10000"})
    int maxFailures;

    /** The virtual clock both states read. */
    long now;

    long step;

    BackoffState core;

    CrateBackoffState crate;

    @Setup(Level.Trial)
    public void setUp() {
        this.step = WINDOW.toNanos() / (this.maxFailures - 1) + 1;
        BackoffPolicy backoff = BackoffPolicy.defaults();
        this.core = new BackoffState(
                backoff,
                CircuitBreakerPolicy.builder()
                        .maxFailures(this.maxFailures)
                        .window(WINDOW)
                        .build(),
                () -> this.now,
                new SplittableRandom(42));
        this.crate = new CrateBackoffState(
                backoff.baseDelay(),
                backoff.maxDelay(),
                backoff.cooldownPeriod(),
                this.maxFailures,
                WINDOW,
                () -> this.now,
                new SplittableRandom(42));
        // Reach the steady state: the window full of failures.
        for (int i = 0; i < 2 * this.maxFailures; i++) {
            this.now += this.step;
            requireRetry(this.core.recordFailure());
            requireRetry(this.crate.nextBackoff());
        }
    }

    @Benchmark
    public BackoffDecision core() {
        this.now += this.step;
        return this.core.recordFailure();
    }

    @Benchmark
    public CrateBackoffState.Action crate() {
        this.now += this.step;
        return this.crate.nextBackoff();
    }

    private static void requireRetry(Object decision) {
        if (!(decision instanceof BackoffDecision.Retry) && !(decision instanceof CrateBackoffState.Action.Retry)) {
            throw new IllegalStateException("The scenario must stay below the trip rate, but got " + decision);
        }
    }
}
