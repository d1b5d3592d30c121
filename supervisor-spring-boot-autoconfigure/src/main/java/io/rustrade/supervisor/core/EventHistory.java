package io.rustrade.supervisor.core;

import io.rustrade.supervisor.ServiceEvent;
import java.util.List;

/**
 * The last {@code capacity} events of one service, oldest first. Confined to the control thread.
 *
 * <p>The ring grows on demand up to the capacity, so a service with a short history (most of them) does
 * not hold {@code events.history-size} empty slots.
 */
final class EventHistory {

    private static final int INITIAL_SLOTS = 4;

    private static final ServiceEvent[] NO_SLOTS = new ServiceEvent[0];

    private final int capacity;

    private ServiceEvent[] ring = NO_SLOTS;

    /** Where the next event goes; the oldest when the ring is full. */
    private int next;

    private int size;

    private List<ServiceEvent> view = List.of();

    EventHistory(int capacity) {
        this.capacity = capacity;
    }

    void add(ServiceEvent event) {
        if (this.capacity == 0) {
            return;
        }
        if (this.size == this.ring.length && this.size < this.capacity) {
            grow();
        }
        this.ring[this.next] = event;
        this.next = (this.next + 1 == this.ring.length) ? 0 : this.next + 1;
        this.size = Math.min(this.size + 1, this.ring.length);
        this.view = null;
    }

    /** An immutable copy, made once per change and shared by the snapshots until the next one. */
    List<ServiceEvent> toList() {
        if (this.view == null) {
            this.view = List.of(inOrder(this.size));
        }
        return this.view;
    }

    /** The events oldest first, in an array of the given length (at least {@code size}). */
    private ServiceEvent[] inOrder(int length) {
        ServiceEvent[] events = new ServiceEvent[length];
        int first = this.next - this.size;
        if (first >= 0) {
            System.arraycopy(this.ring, first, events, 0, this.size);
        } else {
            int tail = -first;
            System.arraycopy(this.ring, this.ring.length - tail, events, 0, tail);
            System.arraycopy(this.ring, 0, events, tail, this.next);
        }
        return events;
    }

    private void grow() {
        int length = (int) Math.min(this.capacity, Math.max(INITIAL_SLOTS, 2L * this.ring.length));
        this.ring = inOrder(length);
        this.next = this.size;
    }
}
