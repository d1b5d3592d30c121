package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

/**
 * How the storage of {@link FailureWindow} follows the failures inside the window: it doubles when full, up
 * to the capacity, is cut to twice what it holds when that falls to a quarter, and is released when it holds
 * nothing. Checked on examples and against a model on seeded histories (see {@link SeededCases}).
 */
class FailureWindowStorageRulesTests {

    private static final int INITIAL_SLOTS = 16;

    @Test
    void storageIsCutToTwiceWhatItHoldsWhenThatFallsToAQuarter() {
        FailureWindow window = new FailureWindow(Integer.MAX_VALUE, 100);
        for (int i = 0; i < 48; i++) {
            window.recordAndCheckFull(0);
        }
        for (int i = 0; i < 16; i++) {
            window.recordAndCheckFull(50);
        }
        assertThat(window.slotCount()).isEqualTo(64);

        assertThat(window.countInside(101)).isEqualTo(16);

        assertThat(window.slotCount()).isEqualTo(32);
    }

    @Test
    void storageIsKeptWhileMoreThanAQuarterOfItIsHeld() {
        FailureWindow window = new FailureWindow(Integer.MAX_VALUE, 100);
        for (int i = 0; i < 64; i++) {
            window.recordAndCheckFull(i);
        }
        assertThat(window.slotCount()).isEqualTo(64);

        assertThat(window.countInside(110)).isEqualTo(54);
        assertThat(window.slotCount()).isEqualTo(64);

        assertThat(window.countInside(147)).isEqualTo(17);
        assertThat(window.slotCount()).isEqualTo(64);
    }

    @SeededCases.Property
    void storageFollowsTheFailuresInsideTheWindow(long seed) {
        SeededCases.check(seed, SeededCases.CASES, draw -> {
            int capacity = draw.intIn("capacity", 1, 200);
            long windowNanos = draw.longIn("window nanos", 0, 50);
            int steps = draw.intIn("steps", 1, 400);
            FailureWindow window = new FailureWindow(capacity, windowNanos);
            Deque<Long> inside = new ArrayDeque<>();
            int slots = 0;
            long now = 0;

            for (int step = 1; step <= steps; step++) {
                // Bursts of failures at one time, and quiet spells that let many leave at once.
                now += (draw.branch(10) == 0) ? draw.longIn("quiet", 0, 60) : draw.longIn("gap", 0, 1);
                int before = inside.size();
                while (!inside.isEmpty() && now - inside.peekFirst() > windowNanos) {
                    inside.removeFirst();
                }
                if (inside.isEmpty()) {
                    slots = 0;
                } else if (inside.size() < before && slots > INITIAL_SLOTS && inside.size() <= slots / 4) {
                    slots = Math.max(INITIAL_SLOTS, 2 * inside.size());
                }
                if (draw.branch(4) == 0) {
                    assertThat(window.countInside(now))
                            .as("held at step %d", step)
                            .isEqualTo(inside.size());
                } else {
                    if (inside.size() == capacity) {
                        inside.removeFirst();
                    }
                    if (inside.size() == slots) {
                        slots = (int) Math.min(capacity, Math.max(INITIAL_SLOTS, 2L * slots));
                    }
                    inside.addLast(now);
                    assertThat(window.recordAndCheckFull(now))
                            .as("full at step %d", step)
                            .isEqualTo(inside.size() == capacity);
                }
                assertThat(window.slotCount()).as("slots at step %d", step).isEqualTo(slots);
                assertThat(slots)
                        .as("slots at step %d", step)
                        .isLessThanOrEqualTo(Math.max(INITIAL_SLOTS, 4 * inside.size()));
            }
        });
    }
}
