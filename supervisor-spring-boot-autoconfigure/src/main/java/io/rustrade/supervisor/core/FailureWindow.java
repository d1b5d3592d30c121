package io.rustrade.supervisor.core;

import io.rustrade.supervisor.core.internal.Durations;

/**
 * The timestamps of the failures inside the circuit-breaker window, at most {@code capacity} of them, in a
 * ring buffer that grows and shrinks with them: it answers "have {@code capacity} failures happened within
 * the window?" in amortised constant time.
 *
 * <p>Invariants, after every call that is given the time {@code now}:
 *
 * <ul>
 *   <li>every timestamp held is inside the window: a failure at {@code t} is inside it at {@code now}
 *       while {@code now - t <= window}; older ones are dropped, oldest first;
 *   <li>at most {@code capacity} timestamps are held: only the newest {@code capacity} can decide whether
 *       the circuit opens, so the oldest makes room for a new one;
 *   <li>the ring holds no slots when it holds no failure, and otherwise at most {@code max(}{@value
 *       #INITIAL_SLOTS}{@code , 4 × held)} slots: it doubles when full (up to the capacity) and is cut to
 *       twice what it holds when that falls to a quarter.
 * </ul>
 *
 * <p>So memory follows the failures inside the window, whatever {@code max-failures} is, and each timestamp
 * is added once and dropped once; a resize copies what is held, and is paid for by the additions or drops
 * since the last one: every call costs O(1) amortised, where keeping and pruning every timestamp cost O(n)
 * per failure. Timestamps must be recorded, and times given, in non-decreasing order. Not thread-safe.
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
        dropExpired(nowNanos);
        if (this.size == this.capacity) {
            this.head = next(this.head);
            this.size--;
        }
        if (this.size == this.slots.length) {
            resize((int) Math.min(this.capacity, Math.max(INITIAL_SLOTS, 2L * this.slots.length)));
        }
        this.slots[index(this.size)] = nowNanos;
        this.size++;
        return this.size == this.capacity;
    }

    /** How many failures are inside the window at {@code now}: at most the capacity. */
    int countInside(long nowNanos) {
        dropExpired(nowNanos);
        return this.size;
    }

    /**
     * Nanoseconds from {@code now} until the oldest failure inside the window leaves it, or {@code -1}
     * when no failure is inside.
     */
    long nanosUntilNextExpiry(long nowNanos) {
        dropExpired(nowNanos);
        if (this.size == 0) {
            return -1;
        }
        long age = nowNanos - this.slots[this.head];
        return Durations.addSaturated(this.windowNanos - age, 1);
    }

    /** Forgets every failure and releases the storage. */
    void clear() {
        this.slots = NO_SLOTS;
        this.head = 0;
        this.size = 0;
    }

    /** How many slots the ring has: what it costs in memory. */
    int slotCount() {
        return this.slots.length;
    }

    private void dropExpired(long nowNanos) {
        while (this.size > 0 && !isInside(this.slots[this.head], nowNanos)) {
            this.head = next(this.head);
            this.size--;
        }
        if (this.size == 0) {
            clear();
        } else if (this.slots.length > INITIAL_SLOTS && this.size <= this.slots.length / 4) {
            resize(Math.max(INITIAL_SLOTS, 2 * this.size));
        }
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

    /** Moves what is held, oldest first, into a ring of {@code length} slots (at least {@code size}). */
    private void resize(int length) {
        long[] resized = new long[length];
        for (int i = 0; i < this.size; i++) {
            resized[i] = this.slots[index(i)];
        }
        this.slots = resized;
        this.head = 0;
    }
}
