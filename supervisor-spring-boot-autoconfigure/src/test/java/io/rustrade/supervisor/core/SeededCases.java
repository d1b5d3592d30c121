package io.rustrade.supervisor.core;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property tests on many random cases, all drawn from one seed that the report shows.
 *
 * <p>A method annotated {@link Property} takes the seed as its only parameter and hands it to {@link
 * #check(long, int, Consumer)}, which draws the cases from it. Each run draws a fresh seed, shown in the
 * test's display name ({@code seed 8431…}); a failing case also names the seed and its inputs.
 *
 * <p><b>Replay:</b> set the system property {@value #SEED_PROPERTY} to the reported seed, for example
 * {@code ./mvnw -pl supervisor-spring-boot-autoconfigure test -Dtest=BackoffPropertiesTests
 * -Drustrade.test.seed=8431}; the same seed draws the same cases.
 */
final class SeededCases {

    /** The system property that fixes the seed, to replay a failing run. */
    static final String SEED_PROPERTY = "rustrade.test.seed";

    /** Cases per property unless it says otherwise. */
    static final int CASES = 1_000;

    private SeededCases() {}

    /** A property test: run once, with the seed of this run as its {@code long} parameter. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.rustrade.supervisor.core.SeededCases#seed")
    @interface Property {}

    /** The seed of this run: {@value #SEED_PROPERTY} when set, otherwise a fresh one. */
    static Stream<Long> seed() {
        String fixed = System.getProperty(SEED_PROPERTY, "").strip();
        if (fixed.isEmpty()) {
            return Stream.of(new SplittableRandom().nextLong());
        }
        try {
            return Stream.of(Long.parseLong(fixed));
        } catch (NumberFormatException ex) {
            // A mistyped seed must not silently turn a replay into a fresh run.
            throw new IllegalArgumentException(SEED_PROPERTY + " must be a whole number, not '" + fixed + "'", ex);
        }
    }

    /**
     * Checks a property on {@code cases} cases drawn from {@code seed}; a failing case is reported with
     * the seed, its number and every input it drew.
     */
    static void check(long seed, int cases, Consumer<Draw> property) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 1; i <= cases; i++) {
            Draw draw = new Draw(random.split());
            try {
                property.accept(draw);
            } catch (AssertionError | RuntimeException ex) {
                throw new AssertionError(
                        "case " + i + " of seed " + seed + " failed for " + draw.inputs + ":\n" + ex.getMessage(), ex);
            }
        }
    }

    /**
     * The inputs of one case. Every draw is named and remembered for the failure report. Draws favour
     * the bounds of their range (and 0) and small offsets from the lower bound, where rules tend to
     * break, besides drawing uniformly.
     */
    static final class Draw {

        private final SplittableRandom random;

        private final StringJoiner inputs = new StringJoiner(", ", "[", "]");

        private Draw(SplittableRandom random) {
            this.random = random;
        }

        /** A value in {@code [min, max]}, both inclusive. */
        long longIn(String name, long min, long max) {
            return note(name, longIn(min, max));
        }

        /** A value in {@code [min, max]}, both inclusive. */
        int intIn(String name, int min, int max) {
            return note(name, (int) longIn(min, max));
        }

        /** A list of at most {@code maxSize} values, each in {@code [min, max]}. */
        List<Long> longsIn(String name, int maxSize, long min, long max) {
            int size = (int) longIn(0, maxSize);
            List<Long> values = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                values.add(longIn(min, max));
            }
            return note(name, values);
        }

        /** One of the values, each as likely. */
        @SafeVarargs
        final <T> T oneOf(String name, T... values) {
            return note(name, values[this.random.nextInt(values.length)]);
        }

        /**
         * Which of {@code alternatives} ways to draw an input to take, each as likely; not reported, since
         * each way names what it draws.
         */
        int branch(int alternatives) {
            return this.random.nextInt(alternatives);
        }

        /** Reports a value computed or chosen without a draw, and returns it. */
        <T> T note(String name, T value) {
            this.inputs.add(name + "=" + value);
            return value;
        }

        private long longIn(long min, long max) {
            if (min > max) {
                throw new IllegalArgumentException("empty range [" + min + ", " + max + "]");
            }
            return switch (this.random.nextInt(8)) {
                case 0 -> edge(min, max);
                case 1, 2, 3 -> nearMin(min, max);
                default -> uniform(min, max);
            };
        }

        private long edge(long min, long max) {
            List<Long> edges = new ArrayList<>(List.of(min, max));
            if (min < max) {
                edges.add(min + 1);
                edges.add(max - 1);
            }
            if (min < 0 && max > 0) {
                edges.add(0L);
            }
            return edges.get(this.random.nextInt(edges.size()));
        }

        /** {@code min} plus an offset of a random bit length, so that every order of magnitude is drawn. */
        private long nearMin(long min, long max) {
            long span = max - min;
            if (span < 0) {
                span = Long.MAX_VALUE; // the range is wider than a long; stay within its lower part
            }
            int bits = this.random.nextInt(Long.SIZE);
            long limit = (bits >= Long.SIZE - 1) ? span : Math.min(span, (1L << bits) - 1);
            return min + uniform(0, limit);
        }

        private long uniform(long min, long max) {
            if (max < Long.MAX_VALUE) {
                return this.random.nextLong(min, max + 1);
            }
            if (min > Long.MIN_VALUE) {
                // max + 1 would overflow: draw from [min - 1, max) instead, which is as wide.
                return this.random.nextLong(min - 1, max) + 1;
            }
            return this.random.nextLong();
        }
    }
}
