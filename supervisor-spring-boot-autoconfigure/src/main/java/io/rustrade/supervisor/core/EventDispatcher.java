package io.rustrade.supervisor.core;

import io.rustrade.supervisor.ReleasedFailureException;
import io.rustrade.supervisor.core.internal.CapturedFailure;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Tells the supervisor's listeners what happened, in the order it happened. Events are queued on the
 * control thread, which never waits for a listener.
 *
 * <p>Listeners are delivered in two lanes ({@link DeliveryLane}), each with its own backlog and its own
 * executor (one thread each in production):
 *
 * <ul>
 *   <li>the supervisor's <b>internal</b> listeners ({@link #addInternalListener}): its log and its meters,
 *       which keep books and call no application code;
 *   <li>every <b>other</b> listener ({@link #addListener}): those of the application, and what publishes
 *       application events to it.
 * </ul>
 *
 * <p>A listener that blocks delays only the listeners of its lane: however long an application listener
 * blocks, the supervisor still logs and measures what happens.
 *
 * <p>Rules, each holding in each lane:
 *
 * <ul>
 *   <li>A listener gets the events in the order they happened. An event goes to the listeners there were
 *       when it happened, not to one added while it waited.
 *   <li>A listener's exception or error costs no listener any event; it is logged. An error fatal to the JVM
 *       ({@link VirtualMachineError}) hands the rest of the batch back to the executor before it goes on.
 *   <li>Deliveries are handed to the executors together, once per burst of control-thread work: in a storm
 *       each event thread is woken once per burst, not once per event.
 *   <li><b>At most {@value #MAX_BACKLOG} events wait for delivery.</b> When a lane's listeners fall that far
 *       behind (one is blocked, say), newer events are dropped for them and counted ({@link #dropped()}, the
 *       meter {@code rustrade.supervisor.events.dropped}, which adds up both lanes); one warning says so,
 *       and another once they caught up. A service's own history, snapshot and supervision never depend on
 *       delivery.
 *   <li><b>At most {@value #MAX_WAITING_ORIGINALS} failures wait with their original exception</b> in a
 *       lane. A
 *       {@link SupervisionEvent.Failed} queued while as many such failures wait in its lane carries, in place
 *       of the exception, a {@link ReleasedFailureException} with its class name and its message cut to
 *       {@value CapturedFailure#MAX_MESSAGE_LENGTH} characters ({@link SupervisionEvent.Failed#released()}):
 *       however many failures wait, they hold at most that many exceptions of the user's per lane, and
 *       otherwise only what the supervisor captured, whose size is bounded.
 * </ul>
 *
 * <p>Every method but {@link #dropped()}, {@link #addListener}, {@link #addInternalListener}, {@link
 * #removeListener} and {@link #isDelivering()} runs on the control thread.
 */
final class EventDispatcher {

    /**
     * Events queued and not yet delivered, at most, per lane. A storm of 10,000 failures queues about
     * 30,000; each waiting event holds a few hundred bytes, a failure at most about 2 KB once past {@link
     * #MAX_WAITING_ORIGINALS}.
     */
    static final int MAX_BACKLOG = 100_000;

    /**
     * Failures queued with their original exception and not yet delivered, at most, per lane: enough for a
     * burst of failures to reach listeners that keep up with their exceptions, few enough that a blocked
     * listener keeps little of what exceptions hold (16 MB of 1 MB messages, not a megabyte per failure).
     */
    static final int MAX_WAITING_ORIGINALS = 16;

    private final ControlScheduler scheduler;

    /** Set on a thread while it delivers events to listeners, in either lane. */
    private final ThreadLocal<Boolean> delivering = new ThreadLocal<>();

    private final DeliveryLane internal;

    private final DeliveryLane others;

    /** Whether a hand-over is scheduled on the control thread; control thread only. */
    private boolean handOverScheduled;

    /** A dispatcher whose lanes share one executor: a listener that blocks holds up every listener. */
    EventDispatcher(ControlScheduler scheduler, Executor executor, List<SupervisionListener> listeners) {
        this(scheduler, executor, executor, listeners);
    }

    /**
     * A dispatcher whose internal listeners are delivered on {@code internalExecutor}, and the others,
     * {@code listeners} first, on {@code executor}. Each executor must run its tasks one at a time, in
     * order; given the same one, both lanes share it, and a listener that blocks holds up both.
     */
    EventDispatcher(
            ControlScheduler scheduler,
            Executor executor,
            Executor internalExecutor,
            List<SupervisionListener> listeners) {
        this.scheduler = scheduler;
        this.internal = new DeliveryLane(
                "The supervisor's internal listeners (its log, its meters)",
                internalExecutor,
                this.delivering,
                List.of());
        this.others = new DeliveryLane("Supervision listeners", executor, this.delivering, listeners);
    }

    /** Adds a listener of the application's (or one that calls application code). */
    void addListener(SupervisionListener listener) {
        this.others.addListener(listener);
    }

    /** Adds one of the supervisor's own listeners, which keep books, never block and call no application code. */
    void addInternalListener(SupervisionListener listener) {
        this.internal.addListener(listener);
    }

    /** Removes the listener from whichever lane it is in; a listener added more than once is removed once. */
    boolean removeListener(SupervisionListener listener) {
        return this.others.removeListener(listener) || this.internal.removeListener(listener);
    }

    /** Events dropped because listeners were {@value #MAX_BACKLOG} events behind, in either lane, since the start. */
    long dropped() {
        return this.internal.dropped() + this.others.dropped();
    }

    /** Failures waiting for delivery with their original exception, in both lanes. */
    int waitingOriginals() {
        return this.internal.waitingOriginals() + this.others.waitingOriginals();
    }

    /** Whether the calling thread is delivering events (a listener is running on it). */
    boolean isDelivering() {
        return this.delivering.get() != null;
    }

    /** Queues the event for the listeners there are now, in each lane whose listeners are not too far behind. */
    void emit(SupervisionEvent event) {
        boolean first = this.internal.emit(event);
        first |= this.others.emit(event);
        if (first) {
            scheduleHandOver();
        }
    }

    /**
     * Completes the future once the events queued before it have been delivered in both lanes; it is never
     * dropped.
     */
    void whenDelivered(CompletableFuture<Void> delivered) {
        CompletableFuture<Void> othersDelivered = new CompletableFuture<>();
        boolean first = this.others.queue(() -> othersDelivered.complete(null));
        CompletableFuture<Void> internalDelivered = new CompletableFuture<>();
        if (this.internal.isIdle()) {
            // Nothing to wait for there (no internal listener, say). Completed here, on the control thread,
            // it completes nothing else: the future given waits for the other lane, whose thread completes it.
            internalDelivered.complete(null);
        } else {
            first |= this.internal.queue(() -> internalDelivered.complete(null));
        }
        if (first) {
            scheduleHandOver();
        }
        CompletableFuture.allOf(internalDelivered, othersDelivered).thenRun(() -> delivered.complete(null));
    }

    /** Hands what is queued to the executors now, without waiting for the end of the burst. */
    void handOver() {
        this.handOverScheduled = false;
        this.internal.handOver();
        this.others.handOver();
    }

    /**
     * Deliveries are handed over together, once the control thread has run the tasks that were waiting
     * when the first of them was queued.
     */
    private void scheduleHandOver() {
        if (!this.handOverScheduled) {
            this.handOverScheduled = true;
            this.scheduler.execute(this::handOver);
        }
    }
}
