package io.rustrade.supervisor.core;

import io.rustrade.supervisor.ServiceSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a cluster singleton's leadership stands on this instance; control thread only. Kept apart from
 * the record: a service that is no singleton costs one null reference.
 */
final class Leadership {

    final String lock;

    /** Whether this instance holds the lock, as far as the supervisor knows. */
    boolean leader;

    /** When {@link #leader} last changed; when the service was registered before it ever did. */
    Instant since;

    /** Whether the service would run here as leader: started, and not stopped since. */
    boolean wanted;

    /** Why this instance gives leadership up once the service has stopped ({@code yielded}, {@code failover}), or null. */
    String stepDown;

    /** How long it stays out of the election after {@link #stepDown}. */
    Duration stepDownFor;

    /**
     * Elections waiting for the service to be down here before they release the lock; null while none
     * waits, which is nearly always.
     */
    List<CompletableFuture<Void>> fences;

    /** The last snapshot part built, reused while nothing changed. */
    private ServiceSnapshot.Singleton shown;

    Leadership(String lock, Instant since) {
        this.lock = lock;
        this.since = since;
    }

    void change(boolean leader, Instant at) {
        this.leader = leader;
        this.since = at;
    }

    ServiceSnapshot.Singleton snapshot() {
        ServiceSnapshot.Singleton current = this.shown;
        if (current == null
                || current.leader() != this.leader
                || !current.since().equals(this.since)) {
            current = new ServiceSnapshot.Singleton(this.lock, this.leader, this.since);
            this.shown = current;
        }
        return current;
    }
}
