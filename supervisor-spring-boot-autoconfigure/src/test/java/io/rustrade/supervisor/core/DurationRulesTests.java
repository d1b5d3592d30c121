package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.core.SeededCases.Draw;
import io.rustrade.supervisor.core.SeededCases.Property;
import io.rustrade.supervisor.core.internal.Durations;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link Durations}: a formatted duration reads back as the same duration in the largest unit
 * that holds it exactly; a described one is rounded into the unit a person reads best; nanosecond
 * arithmetic saturates instead of overflowing. Properties are checked on seeded cases (see {@link
 * SeededCases}).
 */
class DurationRulesTests {

    private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);

    /** The most whole seconds whose nanoseconds a {@code long} surely holds. */
    private static final long SECONDS_IN_RANGE = Long.MAX_VALUE / 1_000_000_000L;

    /** The units of the short form, smallest first, with their length in nanoseconds. */
    private static final List<String> UNITS = List.of("ns", "us", "ms", "s", "m", "h", "d");

    private static final List<BigInteger> UNIT_NANOS = List.of(
            BigInteger.ONE,
            BigInteger.valueOf(1_000L),
            BigInteger.valueOf(1_000_000L),
            NANOS_PER_SECOND,
            NANOS_PER_SECOND.multiply(BigInteger.valueOf(60)),
            NANOS_PER_SECOND.multiply(BigInteger.valueOf(3_600)),
            NANOS_PER_SECOND.multiply(BigInteger.valueOf(86_400)));

    private static final Pattern SHORT_FORM = Pattern.compile("(-?)(\\d+)(ns|us|ms|s|m|h|d)");

    @Property
    void aFormattedDurationReadsBackAsTheSameDurationInTheLargestExactUnit(long seed) {
        SeededCases.check(seed, SeededCases.CASES, draw -> {
            Duration duration = duration(draw);
            String formatted = draw.note("formatted", Durations.format(duration));

            Matcher shortForm = SHORT_FORM.matcher(formatted);
            if (!shortForm.matches()) {
                // Only a duration whose nanoseconds a long cannot hold is left in ISO-8601 form.
                assertThat(Duration.parse(formatted)).isEqualTo(duration);
                assertThat(Math.abs((double) duration.getSeconds())).isGreaterThanOrEqualTo(SECONDS_IN_RANGE);
                return;
            }
            int unit = UNITS.indexOf(shortForm.group(3));
            BigInteger amount = new BigInteger(shortForm.group(2));
            BigInteger nanos = amount.multiply(UNIT_NANOS.get(unit));
            assertThat(shortForm.group(1).isEmpty() ? nanos : nanos.negate()).isEqualTo(nanosOf(duration));
            if (amount.signum() == 0) {
                assertThat(formatted).isEqualTo("0s");
            } else if (unit + 1 < UNITS.size()) {
                assertThat(nanos.mod(UNIT_NANOS.get(unit + 1)))
                        .as("%s is a whole number of %s", formatted, UNITS.get(unit + 1))
                        .isNotEqualTo(BigInteger.ZERO);
            }
        });
    }

    @Test
    void everyUnitOfTheShortFormIsUsedWhereItIsTheLargestExactOne() {
        assertThat(Durations.format(Duration.ofNanos(1_500_000))).isEqualTo("1500us");
        assertThat(Durations.format(Duration.ofNanos(-2_000))).isEqualTo("-2us");
        assertThat(Durations.format(Duration.ofNanos(1_000_001))).isEqualTo("1000001ns");
        assertThat(Durations.format(Duration.ofSeconds(3_630))).isEqualTo("3630s");
        assertThat(Durations.format(Duration.ofMinutes(-90))).isEqualTo("-90m");
        assertThat(Durations.format(Duration.ofHours(36))).isEqualTo("36h");
    }

    @Test
    void theLongestAndShortestDurationsAreFormattedInIsoForm() {
        Duration longest = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
        Duration shortest = Duration.ofSeconds(Long.MIN_VALUE);

        assertThat(Durations.format(longest)).isEqualTo(longest.toString());
        assertThat(Durations.format(shortest)).isEqualTo(shortest.toString());
        assertThat(Durations.format(longest.negated())).isEqualTo("-" + longest);
    }

    @Test
    void measuredDurationsAreDescribedInTheLargestUnitTheyReach() {
        assertThat(Durations.describe(Duration.ofNanos(999))).isEqualTo("999ns");
        assertThat(Durations.describe(Duration.ofNanos(1_000))).isEqualTo("1us");
        assertThat(Durations.describe(Duration.ofMillis(1))).isEqualTo("1ms");
        assertThat(Durations.describe(Duration.ofSeconds(10))).isEqualTo("10s");
        assertThat(Durations.describe(Duration.ofSeconds(60))).isEqualTo("1m");
        assertThat(Durations.describe(Duration.ofMillis(60_499))).isEqualTo("1m");
        assertThat(Durations.describe(Duration.ofMillis(60_500))).isEqualTo("1m1s");
    }

    @Test
    void longDurationsAreDescribedWithoutTheirEmptyUnits() {
        assertThat(Durations.describe(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(Durations.describe(Duration.ofSeconds(3_630))).isEqualTo("1h30s");
        assertThat(Durations.describe(Duration.ofMinutes(7))).isEqualTo("7m");
        assertThat(Durations.describe(Duration.ofSeconds(-3_661))).isEqualTo("-1h1m1s");
    }

    @Property
    void aDurationIsInNanosecondsExactlyWithinTheRangeAndSaturatedBeyondIt(long seed) {
        SeededCases.check(seed, SeededCases.CASES, draw -> {
            Duration duration = duration(draw);
            BigInteger exact = nanosOf(duration);

            long nanos = Durations.toNanosSaturated(duration);

            assertThat(nanos).isEqualTo(exact.max(LONG_MIN).min(LONG_MAX).longValueExact());
        });
    }

    @Test
    void durationsAreExactUpToTheEndsOfTheNanosecondRangeAndSaturateBeyond() {
        assertThat(Durations.toNanosSaturated(Duration.ofNanos(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
        assertThat(Durations.toNanosSaturated(Duration.ofNanos(Long.MAX_VALUE).plusNanos(1)))
                .isEqualTo(Long.MAX_VALUE);
        assertThat(Durations.toNanosSaturated(Duration.ofSeconds(SECONDS_IN_RANGE)))
                .isEqualTo(SECONDS_IN_RANGE * 1_000_000_000L);
        assertThat(Durations.toNanosSaturated(Duration.ofSeconds(-SECONDS_IN_RANGE)))
                .isEqualTo(-SECONDS_IN_RANGE * 1_000_000_000L);
        assertThat(Durations.toNanosSaturated(Duration.ofNanos(Long.MIN_VALUE))).isEqualTo(Long.MIN_VALUE);
        assertThat(Durations.toNanosSaturated(Duration.ofNanos(Long.MIN_VALUE).minusNanos(1)))
                .isEqualTo(Long.MIN_VALUE);
    }

    @Property
    void sumsAndTriplesOfNanosecondsSaturateInsteadOfOverflowing(long seed) {
        SeededCases.check(seed, SeededCases.CASES, draw -> {
            long a = draw.longIn("a", 0, Long.MAX_VALUE);
            long b = draw.longIn("b", 0, Long.MAX_VALUE);

            assertThat(Durations.addSaturated(a, b))
                    .isEqualTo(saturated(BigInteger.valueOf(a).add(BigInteger.valueOf(b))));
            assertThat(Durations.tripleSaturated(a))
                    .isEqualTo(saturated(BigInteger.valueOf(a).multiply(BigInteger.valueOf(3))));
        });
    }

    @Test
    void sumsAndTriplesSaturateExactlyWhereTheyLeaveTheRange() {
        assertThat(Durations.addSaturated(0, 0)).isZero();
        assertThat(Durations.addSaturated(Long.MAX_VALUE - 1, 1)).isEqualTo(Long.MAX_VALUE);
        assertThat(Durations.addSaturated(Long.MAX_VALUE, 1)).isEqualTo(Long.MAX_VALUE);
        assertThat(Durations.tripleSaturated(Long.MAX_VALUE / 3)).isEqualTo(Long.MAX_VALUE / 3 * 3);
        assertThat(Durations.tripleSaturated(Long.MAX_VALUE / 3 + 1)).isEqualTo(Long.MAX_VALUE);
    }

    private static long saturated(BigInteger value) {
        return value.min(LONG_MAX).longValueExact();
    }

    private static BigInteger nanosOf(Duration duration) {
        return BigInteger.valueOf(duration.getSeconds())
                .multiply(NANOS_PER_SECOND)
                .add(BigInteger.valueOf(duration.getNano()));
    }

    /**
     * A duration of every magnitude and sign: a whole number of some unit, that plus or minus a nanosecond,
     * or any seconds and nanoseconds, the ends of the range included.
     */
    private static Duration duration(Draw draw) {
        Duration duration = switch (draw.branch(3)) {
            case 0 -> {
                int unit = UNITS.indexOf(draw.oneOf("unit", UNITS.toArray(new String[0])));
                long most = LONG_MAX.divide(UNIT_NANOS.get(unit))
                        .min(BigInteger.valueOf(Long.MAX_VALUE / 86_400))
                        .longValueExact();
                BigInteger nanos =
                        BigInteger.valueOf(draw.longIn("amount", 0, most)).multiply(UNIT_NANOS.get(unit));
                yield durationOf(nanos.add(BigInteger.valueOf(draw.longIn("plus nanos", -1, 1))));
            }
            case 1 ->
                Duration.ofSeconds(draw.longIn("seconds", 0, Long.MAX_VALUE), draw.longIn("nanos", 0, 999_999_999));
            default ->
                Duration.ofSeconds(
                        draw.longIn("seconds near the end of the range", SECONDS_IN_RANGE - 2, SECONDS_IN_RANGE + 2),
                        draw.longIn("nanos", 0, 999_999_999));
        };
        if (draw.oneOf("negative", true, false)) {
            // The most negative duration has no positive counterpart: draw it as it is.
            duration = (draw.branch(50) == 0) ? Duration.ofSeconds(Long.MIN_VALUE) : duration.negated();
        }
        return draw.note("duration", duration);
    }

    private static Duration durationOf(BigInteger nanos) {
        BigInteger[] secondsAndNanos = nanos.divideAndRemainder(NANOS_PER_SECOND);
        return Duration.ofSeconds(secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValueExact());
    }
}
