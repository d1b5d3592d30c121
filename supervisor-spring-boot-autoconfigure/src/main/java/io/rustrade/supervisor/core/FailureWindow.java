package io.rustrade.supervisor.core;

import java.util.Arrays;

/**
 * The timestamps of the last {@code capacity} failures, in a ring buffer, answering "have {@code
 * capacity} failures happened within the window?" in constant time.
 *
 * <p>Only the newest {@code capacity} failures can decide whether the circuit opens, so older ones are
 * overwritten: memory is bounded by the capacity (and grows to it only as failures arrive), and
 * recording a failure costs O(1) whatever the capacity, where keeping and pruning every timestamp cost
 * O(n). A failure at {@code t} is inside the window at {@code now} while {@code now - t <= window}.
 * Timestamps must be recorded in non-decreasing order. Not thread-safe.
 */
final class FailureWindow {

    private static final int INITIAL_SLOTS = 16;

    private static final long[] NO_SLOTS = new long[0];

    private final int capacity;

    private final long windowNanos;

    /** Ring of timestamps; {@code head} is the oldest, {@code size} are in use. */
    private long[] slots = NO_SLOTS;

    private int head;

    private int size;

    /**
     * @param capacity how many failures to remember, the breaker's {@code max-failures}; 0 remembers none
     * @param windowNanos how long a failure counts, in nanoseconds
     */
    FailureWindow(int capacity, long windowNanos) {
        this.capacity = capacity;
        this.windowNanos = windowNanos;
    }

    /**
     * Records a failure and tells whether the window now holds {@code capacity} failures, this one
     * included. Always {@code false} when the capacity is 0.
     */
    boolean recordAndCheckFull(long nowNanos) {
        if (this.capacity == 0) {
            return false;
        }
        if (this.size == this.capacity) {
            this.slots[this.head] = nowNanos;
            this.head = next(this.head);
        } else {
            ensureRoomForOneMore();
            this.slots[index(this.size)] = nowNanos;
            this.size++;
        }
        return this.size == this.capacity && isInside(this.slots[this.head], nowNanos);
    }

    /**
     * How many remembered failures are inside the window at {@code now}: at most the capacity. Binary
     * search over the ring, O(log capacity); used for read-outs, not on the failure path.
     */
    int countInside(long nowNanos) {
        return this.size - firstInside(nowNanos);
    }

    /**
     * Nanoseconds from {@code now} until the oldest failure inside the window leaves it, or {@code -1}
     * when no failure is inside.
     */
    long nanosUntilNextExpiry(long nowNanos) {
        int first = firstInside(nowNanos);
        if (first == this.size) {
            return -1;
        }
        long age = nowNanos - this.slots[index(first)];
        return Durations.addSaturated(this.windowNanos - age, 1);
    }

    /** The offset of the oldest failure inside the window ({@code size} when none is). */
    private int firstInside(long nowNanos) {
        // Timestamps are in order, so the ones inside the window are a suffix: find where it starts.
        int low = 0;
        int high = this.size;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (isInside(this.slots[index(mid)], nowNanos)) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low;
    }

    /** Forgets every failure; keeps the memory already allocated. */
    void clear() {
        this.head = 0;
        this.size = 0;
    }

    private boolean isInside(long failureNanos, long nowNanos) {
        return nowNanos - failureNanos <= this.windowNanos;
    }

    private int index(int offset) {
        int i = this.head + offset;
        return (i >= this.slots.length) ? i - this.slots.length : i;
    }

    private int next(int i) {
        return (i + 1 == this.slots.length) ? 0 : i + 1;
    }

    private void ensureRoomForOneMore() {
        if (this.size < this.slots.length) {
            return;
        }
        int grown = (int) Math.min(this.capacity, Math.max(INITIAL_SLOTS, 2L * this.slots.length));
        long[] larger = new long[grown];
        for (int i = 0; i < this.size; i++) {
            larger[i] = this.slots[index(i)];
        }
        this.slots = larger;
        this.head = 0;
    }

    @Override
    public String toString() {
        long[] inOrder = new long[this.size];
        for (int i = 0; i < this.size; i++) {
            inOrder[i] = this.slots[index(i)];
        }
        return "FailureWindow" + Arrays.toString(inOrder);
    }
}
