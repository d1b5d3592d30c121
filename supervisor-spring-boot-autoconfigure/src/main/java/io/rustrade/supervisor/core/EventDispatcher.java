package io.rustrade.supervisor.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Tells the supervisor's listeners what happened, on the event executor (one thread in production), in
 * the order it happened. Events are queued on the control thread, which never waits for a listener.
 *
 * <p>Rules:
 *
 * <ul>
 *   <li>An event goes to the listeners there were when it happened, not to one added while it waited.
 *   <li>A listener's exception or error costs no listener any event; it is logged. An error fatal to the JVM
 *       ({@link VirtualMachineError}) hands the rest of the batch back to the executor before it goes on.
 *   <li>Deliveries are handed to the executor together, once per burst of control-thread work: in a storm
 *       the event thread is woken once per burst, not once per event.
 *   <li><b>At most {@value #MAX_BACKLOG} events wait for delivery.</b> When listeners fall that far behind
 *       (one is blocked, say), newer events are dropped for them and counted ({@link #dropped()}, the meter
 *       {@code rustrade.supervisor.events.dropped}); one warning says so, and another once they caught up.
 *       A service's own history, snapshot and supervision never depend on delivery.
 * </ul>
 *
 * <p>Every method but {@link #dropped()}, {@link #addListener}, {@link #removeListener} and {@link
 * #isDelivering()} runs on the control thread.
 */
final class EventDispatcher {

    private static final Log logger = LogFactory.getLog(SupervisorEngine.class);

    /**
     * Events queued and not yet delivered, at most. A storm of 10,000 failures queues about 30,000; each
     * waiting event holds a few hundred bytes.
     */
    static final int MAX_BACKLOG = 100_000;

    private final ControlScheduler scheduler;

    private final Executor executor;

    /** Replaced, never changed: read once per event, on the control thread. */
    private volatile SupervisionListener[] listeners;

    /** Set on a thread while it delivers events to listeners. */
    private final ThreadLocal<Boolean> delivering = new ThreadLocal<>();

    /** Deliveries not yet handed to the executor; control thread only. */
    private List<Runnable> undelivered = new ArrayList<>();

    /** Events queued and not yet delivered. */
    private final AtomicInteger backlog = new AtomicInteger();

    private final AtomicLong dropped = new AtomicLong();

    /** Whether events are being dropped now; control thread only. */
    private boolean dropping;

    EventDispatcher(ControlScheduler scheduler, Executor executor, List<SupervisionListener> listeners) {
        this.scheduler = scheduler;
        this.executor = executor;
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

    /** Events dropped because listeners were {@value #MAX_BACKLOG} events behind, since the start. */
    long dropped() {
        return this.dropped.get();
    }

    /** Whether the calling thread is delivering events (a listener is running on it). */
    boolean isDelivering() {
        return this.delivering.get() != null;
    }

    /** Queues the event for the listeners there are now, unless they are too far behind. */
    void emit(SupervisionEvent event) {
        SupervisionListener[] targets = this.listeners;
        if (targets.length == 0) {
            return;
        }
        if (!admit()) {
            return;
        }
        deliverLater(() -> {
            VirtualMachineError fatal = null;
            try {
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
            } finally {
                this.backlog.decrementAndGet();
            }
            if (fatal != null) {
                throw fatal;
            }
        });
    }

    /** Completes the future once the events queued before it have been delivered; it is never dropped. */
    void whenDelivered(CompletableFuture<Void> delivered) {
        deliverLater(() -> delivered.complete(null));
    }

    /** Hands what is queued to the executor now, without waiting for the end of the burst. */
    void handOver() {
        List<Runnable> deliveries = this.undelivered;
        if (deliveries.isEmpty()) {
            return;
        }
        this.undelivered = new ArrayList<>();
        this.executor.execute(() -> deliver(deliveries, 0));
    }

    private boolean admit() {
        int waiting = this.backlog.get();
        if (waiting >= MAX_BACKLOG) {
            this.dropped.incrementAndGet();
            if (!this.dropping) {
                this.dropping = true;
                logger.warn("Supervision listeners are " + MAX_BACKLOG + " events behind; newer events are dropped"
                        + " for them until they catch up (counted by rustrade.supervisor.events.dropped)."
                        + " Supervision goes on.");
            }
            return false;
        }
        if (this.dropping && waiting < MAX_BACKLOG / 2) {
            this.dropping = false;
            logger.warn("Supervision listeners caught up; " + this.dropped.get()
                    + " events were dropped for them since the start");
        }
        this.backlog.incrementAndGet();
        return true;
    }

    /**
     * Queues a delivery, on the control thread. Deliveries are handed over together, once the control
     * thread has run the tasks that were waiting when the first of them was queued.
     */
    private void deliverLater(Runnable delivery) {
        this.undelivered.add(delivery);
        if (this.undelivered.size() == 1) {
            this.scheduler.execute(this::handOver);
        }
    }

    /** Runs a batch's deliveries from {@code from} on. */
    private void deliver(List<Runnable> deliveries, int from) {
        this.delivering.set(Boolean.TRUE);
        try {
            for (int i = from; i < deliveries.size(); i++) {
                try {
                    deliveries.get(i).run();
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
