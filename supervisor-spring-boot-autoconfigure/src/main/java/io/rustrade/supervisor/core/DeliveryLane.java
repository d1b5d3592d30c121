package io.rustrade.supervisor.core;

import io.rustrade.supervisor.core.internal.CapturedFailure;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One of the {@link EventDispatcher}'s lanes: a set of listeners, the events queued for them, and the
 * executor that delivers them, in order. A lane's listeners share its backlog and its thread: a listener
 * that blocks holds up the listeners of its lane, never those of another lane.
 *
 * <p>Queuing, admission and hand-over run on the control thread; delivery on the lane's executor.
 */
final class DeliveryLane {

    private static final Log logger = LogFactory.getLog(SupervisorEngine.class);

    /** Who the lane's listeners are, as the warnings about their backlog name them. */
    private final String who;

    private final Executor executor;

    /** Set on a thread while it delivers events, whichever lane it delivers for. */
    private final ThreadLocal<Boolean> delivering;

    /** Replaced, never changed: read once per event, on the control thread. */
    private volatile SupervisionListener[] listeners;

    /** Deliveries not yet handed to the executor; control thread only. */
    private List<Runnable> undelivered = new ArrayList<>();

    /** Events queued and not yet delivered. */
    private final AtomicInteger backlog = new AtomicInteger();

    /** Failures queued with their original exception and not yet delivered. */
    private final AtomicInteger originals = new AtomicInteger();

    private final AtomicLong dropped = new AtomicLong();

    /** Whether events are being dropped now; control thread only. */
    private boolean dropping;

    DeliveryLane(String who, Executor executor, ThreadLocal<Boolean> delivering, List<SupervisionListener> listeners) {
        this.who = who;
        this.executor = executor;
        this.delivering = delivering;
        this.listeners = listeners.toArray(SupervisionListener[]::new);
    }

    synchronized void addListener(SupervisionListener listener) {
        SupervisionListener[] more = Arrays.copyOf(this.listeners, this.listeners.length + 1);
        more[more.length - 1] = listener;
        this.listeners = more;
    }

    synchronized boolean removeListener(SupervisionListener listener) {
        SupervisionListener[] current = this.listeners;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == listener) {
                SupervisionListener[] fewer = new SupervisionListener[current.length - 1];
                System.arraycopy(current, 0, fewer, 0, i);
                System.arraycopy(current, i + 1, fewer, i, fewer.length - i);
                this.listeners = fewer;
                return true;
            }
        }
        return false;
    }

    long dropped() {
        return this.dropped.get();
    }

    /** Failures waiting for delivery with their original exception. */
    int waitingOriginals() {
        return this.originals.get();
    }

    /**
     * Queues the event for the lane's listeners of now, unless they are too far behind; answers whether a
     * delivery was queued.
     */
    boolean emit(SupervisionEvent event) {
        SupervisionListener[] targets = this.listeners;
        if (targets.length == 0 || !admit()) {
            return false;
        }
        boolean original = event instanceof SupervisionEvent.Failed
                && this.originals.get() < EventDispatcher.MAX_WAITING_ORIGINALS;
        if (original) {
            this.originals.incrementAndGet();
        }
        // What an exception holds is the user's to decide: past the first failures waiting, what waits here
        // holds only what the supervisor captured of it.
        SupervisionEvent queued =
                (!original && event instanceof SupervisionEvent.Failed failed) ? failed.released() : event;
        queue(() -> {
            try {
                tell(targets, queued);
            } finally {
                this.backlog.decrementAndGet();
                if (original) {
                    this.originals.decrementAndGet();
                }
            }
        });
        return true;
    }

    /** Whether every event queued has been delivered; control thread only. */
    boolean isIdle() {
        return this.undelivered.isEmpty() && this.backlog.get() == 0;
    }

    /**
     * Queues a delivery; answers whether it is the first since the last hand-over (one must then be
     * scheduled).
     */
    boolean queue(Runnable delivery) {
        this.undelivered.add(delivery);
        return this.undelivered.size() == 1;
    }

    /** Hands what is queued to the executor. */
    void handOver() {
        List<Runnable> deliveries = this.undelivered;
        if (deliveries.isEmpty()) {
            return;
        }
        this.undelivered = new ArrayList<>();
        this.executor.execute(() -> deliver(deliveries, 0));
    }

    private static void tell(SupervisionListener[] targets, SupervisionEvent event) {
        VirtualMachineError fatal = null;
        for (SupervisionListener listener : targets) {
            try {
                listener.onEvent(event);
            } catch (VirtualMachineError ex) {
                // The other listeners still get the event; the error goes on once they have.
                fatal = (fatal != null) ? fatal : ex;
            } catch (Throwable ex) {
                CapturedFailure.of(ex)
                        .warn(logger, "A supervision listener failed on " + event + "; supervision goes on");
            }
        }
        if (fatal != null) {
            throw fatal;
        }
    }

    private boolean admit() {
        int waiting = this.backlog.get();
        if (waiting >= EventDispatcher.MAX_BACKLOG) {
            this.dropped.incrementAndGet();
            if (!this.dropping) {
                this.dropping = true;
                logger.warn(this.who + " are " + EventDispatcher.MAX_BACKLOG + " events behind; newer events are"
                        + " dropped for them until they catch up (counted by rustrade.supervisor.events.dropped)."
                        + " Supervision goes on.");
            }
            return false;
        }
        if (this.dropping && waiting < EventDispatcher.MAX_BACKLOG / 2) {
            this.dropping = false;
            logger.warn(this.who + " caught up; " + this.dropped.get() + " events were dropped for them since the"
                    + " start");
        }
        this.backlog.incrementAndGet();
        return true;
    }

    /** Runs a batch's deliveries from {@code from} on. */
    private void deliver(List<Runnable> deliveries, int from) {
        this.delivering.set(Boolean.TRUE);
        try {
            for (int i = from; i < deliveries.size(); i++) {
                // Let go of each delivery as it runs: the batch must not keep delivered events reachable
                // while a listener blocks on a later one.
                Runnable delivery = deliveries.set(i, null);
                try {
                    delivery.run();
                } catch (VirtualMachineError ex) {
                    int next = i + 1;
                    this.executor.execute(() -> deliver(deliveries, next));
                    throw ex;
                } catch (Throwable ex) {
                    CapturedFailure.of(ex).warn(logger, "A supervision listener failed; supervision goes on");
                }
            }
        } finally {
            this.delivering.remove();
        }
    }
}
