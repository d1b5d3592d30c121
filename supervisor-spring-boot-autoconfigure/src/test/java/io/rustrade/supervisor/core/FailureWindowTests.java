package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FailureWindowTests {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void theWindowIsFullOnTheNthFailureInsideIt() {
        FailureWindow window = new FailureWindow(3, 10 * MS);

        assertThat(window.recordAndCheckFull(0)).isFalse();
        assertThat(window.recordAndCheckFull(5 * MS)).isFalse();
        assertThat(window.recordAndCheckFull(10 * MS)).isTrue();
        assertThat(window.recordAndCheckFull(21 * MS)).isFalse();
        assertThat(window.countInside(21 * MS)).isEqualTo(1);
    }

    @Test
    void failuresOlderThanTheWindowAreNotKept() {
        FailureWindow window = new FailureWindow(Integer.MAX_VALUE, MS);

        for (long i = 0; i < 1_000_000; i++) {
            window.recordAndCheckFull(i * 2 * MS);
        }

        assertThat(window.countInside(1_999_998 * MS)).isEqualTo(1);
        assertThat(window.slotCount()).isLessThanOrEqualTo(16);
    }

    @Test
    void storageShrinksAsFailuresLeaveTheWindow() {
        FailureWindow window = new FailureWindow(Integer.MAX_VALUE, 1000 * MS);
        for (int i = 0; i < 10_000; i++) {
            window.recordAndCheckFull(0);
        }
        for (int i = 0; i < 100; i++) {
            window.recordAndCheckFull(500 * MS);
        }
        assertThat(window.slotCount()).isGreaterThanOrEqualTo(10_100);

        assertThat(window.countInside(1200 * MS)).isEqualTo(100);
        assertThat(window.slotCount()).isLessThanOrEqualTo(4 * 100);

        assertThat(window.countInside(1600 * MS)).isZero();
        assertThat(window.slotCount()).isZero();
    }

    @Test
    void atMostCapacityFailuresAreKept() {
        FailureWindow window = new FailureWindow(5, 1000 * MS);

        for (int i = 0; i < 1000; i++) {
            window.recordAndCheckFull(i * MS);
        }

        assertThat(window.countInside(1000 * MS)).isEqualTo(5);
        assertThat(window.slotCount()).isEqualTo(5);
    }

    @Test
    void theNextExpiryIsWhenTheOldestFailureInsideLeaves() {
        FailureWindow window = new FailureWindow(10, 10 * MS);
        window.recordAndCheckFull(0);
        window.recordAndCheckFull(4 * MS);

        assertThat(window.nanosUntilNextExpiry(6 * MS)).isEqualTo(4 * MS + 1);
        assertThat(window.nanosUntilNextExpiry(11 * MS)).isEqualTo(3 * MS + 1);
        assertThat(window.nanosUntilNextExpiry(15 * MS)).isEqualTo(-1);
    }

    @Test
    void clearingReleasesTheStorage() {
        FailureWindow window = new FailureWindow(100, 1000 * MS);
        for (int i = 0; i < 50; i++) {
            window.recordAndCheckFull(0);
        }

        window.clear();

        assertThat(window.countInside(0)).isZero();
        assertThat(window.slotCount()).isZero();
    }
}
