package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.Jitter;
import org.junit.jupiter.api.Test;

/** A draw is uniform over its whole range, both ends included, up to the largest delay a long holds. */
class JitterDrawTests {

    @Test
    void bothEndsOfARangeCanBeDrawn() {
        assertThat(JitterDraw.uniform(ExtremeRandom.LOWEST, 5, 9)).isEqualTo(5);
        assertThat(JitterDraw.uniform(ExtremeRandom.HIGHEST, 5, 9)).isEqualTo(9);
        assertThat(JitterDraw.uniform(ExtremeRandom.LOWEST, 7, 7)).isEqualTo(7);
        assertThat(JitterDraw.uniform(ExtremeRandom.HIGHEST, 7, 7)).isEqualTo(7);
    }

    @Test
    void bothEndsOfARangeThatEndsAtTheLargestLongCanBeDrawn() {
        assertThat(JitterDraw.uniform(ExtremeRandom.LOWEST, 0, Long.MAX_VALUE)).isZero();
        assertThat(JitterDraw.uniform(ExtremeRandom.HIGHEST, 0, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(JitterDraw.uniform(ExtremeRandom.LOWEST, Long.MAX_VALUE, Long.MAX_VALUE))
                .isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aFullJitterDelayCanBeAnythingFromZeroToTheCeiling() {
        assertThat(JitterDraw.delayNanos(Jitter.FULL, Long.MAX_VALUE, 1, Long.MAX_VALUE, 1, ExtremeRandom.LOWEST))
                .isZero();
        assertThat(JitterDraw.delayNanos(Jitter.FULL, Long.MAX_VALUE, 1, Long.MAX_VALUE, 1, ExtremeRandom.HIGHEST))
                .isEqualTo(Long.MAX_VALUE);
    }
}
