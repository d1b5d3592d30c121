package io.rustrade.supervisor;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The last {@code capacity} {@link HistoryEntry entries} of one service's history, oldest first: appended
 * to by the supervisor, read through immutable views that {@link ServiceSnapshot}s hold without copying.
 *
 * <p>A change appends; it never copies the history. Events are written into an array only past its last
 * used slot, so a range that a view covers is never written again: a view ({@link #recent()}) is an
 * immutable, random-access list over such a range, taken in O(1) and the same forever. When the array is
 * full, the last {@code capacity} events move to a new one, which happens at most once every {@code
 * capacity} appends: an append costs O(1) amortised.
 *
 * <p>Memory: the array grows on demand, by doubling, to at most {@code 2 × capacity} events (a service
 * with a short history, as most are, holds few); a view taken before a move keeps the old array alive only
 * as long as the view itself lives.
 *
 * <p>One thread appends (the supervisor's control thread); views may be read on any thread once they have
 * been safely published, as snapshots are.
 */
public final class ServiceHistory {

    private static final int INITIAL_SLOTS = 4;

    private static final HistoryEntry[] NO_SLOTS = new HistoryEntry[0];

    private final int capacity;

    /** Events in {@code [start, end)}; slots from {@code end} on have never been written. */
    private HistoryEntry[] events = NO_SLOTS;

    private int start;

    private int end;

    /** The view of the current events, shared until the next append; {@code null} when stale. */
    private View view;

    /** @param capacity how many recent events to keep; 0 keeps none */
    public ServiceHistory(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative but was " + capacity);
        }
        this.capacity = capacity;
    }

    /** Appends an event, forgetting the oldest when {@code capacity} are kept already. */
    public void add(HistoryEntry event) {
        Objects.requireNonNull(event, "event must not be null");
        if (this.capacity == 0) {
            return;
        }
        if (this.end == this.events.length) {
            moveToNewArray();
        }
        this.events[this.end++] = event;
        if (this.end - this.start > this.capacity) {
            this.start++;
        }
        this.view = null;
    }

    /** The events kept, oldest first: an immutable list that never changes, shared until the next append. */
    public List<HistoryEntry> recent() {
        if (this.view == null) {
            this.view = new View(this.events, this.start, this.end);
        }
        return this.view;
    }

    /** How many events an array of this history can hold now: what it costs in memory. */
    int slotCount() {
        return this.events.length;
    }

    /**
     * Moves the kept events to the start of a new array, leaving the full one to the views that hold it:
     * twice as large while below {@code 2 × capacity}, else as large.
     */
    private void moveToNewArray() {
        int size = this.end - this.start;
        int length = (int) Math.min(2L * this.capacity, Math.max(INITIAL_SLOTS, 2L * size));
        HistoryEntry[] moved = new HistoryEntry[length];
        System.arraycopy(this.events, this.start, moved, 0, size);
        this.events = moved;
        this.start = 0;
        this.end = size;
    }

    /** An immutable range of an array that nothing writes into any more. */
    static final class View extends AbstractList<HistoryEntry> implements RandomAccess {

        private final HistoryEntry[] events;

        private final int from;

        private final int to;

        private View(HistoryEntry[] events, int from, int to) {
            this.events = events;
            this.from = from;
            this.to = to;
        }

        @Override
        public HistoryEntry get(int index) {
            Objects.checkIndex(index, this.to - this.from);
            return this.events[this.from + index];
        }

        @Override
        public int size() {
            return this.to - this.from;
        }

        @Override
        public Object[] toArray() {
            return Arrays.copyOfRange(this.events, this.from, this.to, Object[].class);
        }
    }
}
