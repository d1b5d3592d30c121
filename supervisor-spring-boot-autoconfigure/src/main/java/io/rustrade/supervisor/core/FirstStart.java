package io.rustrade.supervisor.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * A lifecycle service's first start, until its outcome has been applied. Either the container's thread
 * submits it itself — so that the context's start-up waits for it, at most {@code start-timeout} — or the
 * control thread begins it: whoever {@linkplain #claim() claims} it first starts the object, the other never
 * does, so the object is never started twice. Its record drops it once the first {@code start()} has been
 * called and its outcome applied: a service that runs carries none of this.
 */
final class FirstStart {

    private static final AtomicIntegerFieldUpdater<FirstStart> UNCLAIMED =
            AtomicIntegerFieldUpdater.newUpdater(FirstStart.class, "unclaimed");

    /** 1 until claimed. */
    private volatile int unclaimed = 1;

    /** From the container's claim until the control thread has applied the outcome. */
    private volatile boolean onCaller;

    /** Whether {@code start()} has been submitted to the object's lane; control thread only. */
    boolean called;

    /**
     * The container's wait for the first start it submitted itself: completed when that start returns or
     * is abandoned. Control thread only.
     */
    private CompletableFuture<Void> callerWait;

    /** Claims the first start for the control thread; false when the container has claimed it. */
    boolean claim() {
        return UNCLAIMED.compareAndSet(this, 1, 0);
    }

    /** On the container's thread: claims the first start for the container, which submits it itself. */
    boolean claimForContainer() {
        if (!claim()) {
            return false;
        }
        this.onCaller = true;
        return true;
    }

    /** Whether the container started the service itself and the control thread has not applied the outcome yet. */
    boolean isOnCaller() {
        return this.onCaller;
    }

    /** The container's start has been submitted and is tracked from now on. */
    void submittedByContainer(CompletableFuture<Void> returned) {
        this.called = true;
        this.callerWait = returned;
    }

    /** The outcome of the container's start has been applied. */
    void outcomeApplied() {
        this.onCaller = false;
        releaseCallerWait();
    }

    /** The container waits no longer (completed already if the start returned). */
    void releaseCallerWait() {
        if (this.callerWait != null) {
            this.callerWait.complete(null);
            this.callerWait = null;
        }
    }
}
