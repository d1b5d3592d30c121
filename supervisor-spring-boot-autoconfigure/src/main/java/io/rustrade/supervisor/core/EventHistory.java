package io.rustrade.supervisor.core;

import io.rustrade.supervisor.ServiceEvent;
import java.util.ArrayList;
import java.util.List;

/** The last {@code capacity} events of one service, oldest first. Confined to the control thread. */
final class EventHistory {

    private final ServiceEvent[] ring;

    private int next;

    private int size;

    private List<ServiceEvent> view = List.of();

    EventHistory(int capacity) {
        this.ring = new ServiceEvent[capacity];
    }

    void add(ServiceEvent event) {
        if (this.ring.length == 0) {
            return;
        }
        this.ring[this.next] = event;
        this.next = (this.next + 1) % this.ring.length;
        this.size = Math.min(this.size + 1, this.ring.length);
        this.view = null;
    }

    /** An immutable copy, made once per change and shared by the snapshots until the next one. */
    List<ServiceEvent> toList() {
        if (this.view == null) {
            List<ServiceEvent> events = new ArrayList<>(this.size);
            int first = (this.next - this.size + this.ring.length) % this.ring.length;
            for (int i = 0; i < this.size; i++) {
                events.add(this.ring[(first + i) % this.ring.length]);
            }
            this.view = List.copyOf(events);
        }
        return this.view;
    }
}
