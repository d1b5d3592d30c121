package io.rustrade.supervisor.core;

import io.rustrade.supervisor.Jitter;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one jitter draw, {@link JitterDraw#delayNanos}, for each strategy. It lives in the core's
 * package (in the benchmarks module only) because the draw is package-private.
 *
 * <p>Inputs are those of the fifth consecutive failure with the default policy: ceiling 1.6 s, base
 * 100 ms, cap 60 s, previous delay 800 ms; the generator is a {@link SplittableRandom}, the engine's
 * default. The crate's draw is measured by {@code CrateJitterBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class JitterBenchmark {

    @Param({"FULL", "EQUAL", "DECORRELATED", "NONE"})
    Jitter jitter;

    long ceiling = 1_600_000_000L;

    long base = 100_000_000L;

    long max = 60_000_000_000L;

    long previous = 800_000_000L;

    RandomGenerator random = new SplittableRandom(7);

    @Benchmark
    public long draw() {
        return JitterDraw.delayNanos(this.jitter, this.ceiling, this.base, this.max, this.previous, this.random);
    }
}
