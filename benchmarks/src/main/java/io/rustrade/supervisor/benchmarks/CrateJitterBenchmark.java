package io.rustrade.supervisor.benchmarks;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one jitter draw of the crate ({@link CrateBackoffState#addJitter}, full jitter in whole
 * milliseconds), beside the core's {@code JitterBenchmark}, with the same ceiling and generator.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class CrateJitterBenchmark {

    Duration ceiling = Duration.ofMillis(1600);

    RandomGenerator random = new SplittableRandom(7);

    @Benchmark
    public Duration fullJitter() {
        return CrateBackoffState.addJitter(this.ceiling, this.random);
    }
}
