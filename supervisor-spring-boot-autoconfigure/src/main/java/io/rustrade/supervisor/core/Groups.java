package io.rustrade.supervisor.core;

import io.rustrade.supervisor.ServiceState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Takes the services tied to a service down with it and brings them back after it, as the {@link
 * ServiceTopology} says. Runs on the control thread only, so it needs no lock.
 *
 * <p>The rules it keeps:
 *
 * <ul>
 *   <li>When a service fails, or an operator restarts or stops it, the services that go down with it are
 *       stopped last first, each stop beginning once the one before it is done; they are {@code WAITING}
 *       for it. The service's own stop (an operator's stop or restart of it, a failed service's clean-up
 *       stop) begins after theirs.
 *   <li>A waiting service waits for a service that does not wait itself: when the service it waits for
 *       starts waiting, it waits for what that one waits for.
 *   <li>When a service runs, the first service waiting for it (in start order) starts, if everything that
 *       must run before it does; the others wait for that one. So they come back in order, each once the
 *       one before it runs.
 *   <li>A service due to start again (after its backoff, on an operator's request) waits instead while one
 *       that must run before it does not; one that waits for it is started first.
 *   <li>While supervision is suspended, nothing is started again.
 * </ul>
 */
final class Groups {

    private final ServiceHost engine;

    /** For each service waited for, the services waiting for it. */
    private final Map<ServiceRecord, Set<ServiceRecord>> waitingOn = new HashMap<>();

    Groups(ServiceHost engine) {
        this.engine = engine;
    }

    /**
     * {@code service} failed, or is about to be restarted or stopped by an operator: the services that go
     * down with it are taken down, last first. Returns the last of them whose stop is still under way (its
     * first in start order), which an operator's stop of {@code service} waits for; null when none is.
     */
    ServiceRecord takeDownTiedTo(ServiceRecord service) {
        ServiceTopology topology = this.engine.topology();
        if (topology.isEmpty() || !this.engine.isSupervising()) {
            return null;
        }
        List<String> followers = topology.goDownWith(service.name);
        ServiceRecord stopping = null;
        for (int i = followers.size() - 1; i >= 0; i--) {
            ServiceRecord follower = this.engine.record(followers.get(i));
            if (follower == null) {
                // Named by the topology, but not supervised (or no longer).
                continue;
            }
            if (follower.takeDown(service, stopping)) {
                stopping = follower;
            }
            follower.publish();
        }
        return stopping;
    }

    /** {@code service} runs: the first service waiting for it starts; the others wait for that one. */
    void running(ServiceRecord service) {
        Set<ServiceRecord> waiting = this.waitingOn.get(service);
        if (waiting == null || !this.engine.isSupervising()) {
            return;
        }
        ServiceTopology topology = this.engine.topology();
        List<ServiceRecord> inOrder = new ArrayList<>(waiting);
        inOrder.sort(Comparator.comparingInt((ServiceRecord record) -> topology.rank(record.name))
                .thenComparing(record -> record.name));
        ServiceRecord first = null;
        for (ServiceRecord next : inOrder) {
            if (first == null) {
                ServiceRecord blocker = firstBlocker(next);
                if (blocker == null) {
                    next.resume();
                    first = next;
                } else {
                    next.waitFor(blocker);
                }
            } else {
                next.waitFor(first);
            }
            next.publish();
        }
        if (first != null && first.state() == ServiceState.RUNNING) {
            // A run loop runs as soon as its run is launched: the others, waiting for it now, go on at once.
            running(first);
        }
    }

    /** Supervision is on again: the services waiting for one that came up meanwhile go on. */
    void resumed() {
        for (ServiceRecord waited : new ArrayList<>(this.waitingOn.keySet())) {
            if (waited.state() == ServiceState.RUNNING) {
                running(waited);
            }
        }
    }

    /**
     * {@code service} is due to start again: whether it must wait instead, for a service that must run before
     * it and does not. A service that waits for it is started first.
     */
    boolean holdStart(ServiceRecord service) {
        if (this.engine.topology().isEmpty()) {
            return false;
        }
        for (int tries = 0; tries < 1000; tries++) {
            ServiceRecord blocker = firstBlocker(service);
            if (blocker == null) {
                return false;
            }
            if (blocker.waitingFor() == service) {
                // One-for-all: the group starts again from its first member, which waits for this one.
                blocker.resume();
                blocker.publish();
                if (blocker.state() == ServiceState.RUNNING) {
                    // A run loop runs at once: look for the next one that must run first.
                    continue;
                }
            }
            return service.waitInstead(blocker);
        }
        return false;
    }

    /** The first service, in start order, that must run before {@code service} starts and does not. */
    private ServiceRecord firstBlocker(ServiceRecord service) {
        for (String name : this.engine.topology().startAfter(service.name)) {
            ServiceRecord before = this.engine.record(name);
            if (before != null && before.state() != ServiceState.RUNNING) {
                return before;
            }
        }
        return null;
    }

    /**
     * {@code service} now waits for {@code target} (or for what {@code target} waits for), or no longer waits
     * when {@code target} is null; returns the service it waits for. Services that waited for it wait for that
     * one too.
     */
    ServiceRecord changeWait(ServiceRecord service, ServiceRecord previous, ServiceRecord target) {
        ServiceRecord waited = target;
        for (int hops = 0; waited != null && waited.waitingFor() != null && hops < 1000; hops++) {
            waited = waited.waitingFor();
        }
        if (waited == service) {
            // It would wait for itself: nothing it waits for can come before it.
            waited = null;
        }
        if (previous != null && previous != waited) {
            Set<ServiceRecord> before = this.waitingOn.get(previous);
            if (before != null) {
                before.remove(service);
                if (before.isEmpty()) {
                    this.waitingOn.remove(previous);
                }
            }
        }
        if (waited != null) {
            this.waitingOn.computeIfAbsent(waited, key -> new LinkedHashSet<>()).add(service);
            Set<ServiceRecord> behind = this.waitingOn.remove(service);
            if (behind != null) {
                for (ServiceRecord follower : behind) {
                    follower.waitFor(waited);
                    follower.publish();
                }
            }
        }
        return waited;
    }
}
