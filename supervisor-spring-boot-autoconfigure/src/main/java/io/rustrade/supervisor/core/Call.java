package io.rustrade.supervisor.core;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One call into user code ({@code start()}, {@code stop()}, {@code isRunning()}) submitted to {@link Calls}:
 * it runs at most once, and tells when it began, so that a timeout counts from then.
 *
 * <p>Abandoning a call that has not begun stops it from ever beginning. Abandoning a call that runs
 * interrupts its thread once, and the thread clears that interrupt once the call has returned, before it
 * does anything else. A call that ends before it is abandoned is not interrupted.
 */
final class Call {

    /** What {@link #abandon()} found. */
    enum Abandonment {
        /** The call had not begun and never will: nothing of the user's runs. */
        NOT_BEGUN,
        /** The call is inside user code; its thread was interrupted and stays with it until it returns. */
        STUCK,
        /** The call had already returned; its outcome is on its way. */
        RETURNED
    }

    private static final int QUEUED = 0;

    private static final int RUNNING = 1;

    private static final int RETURNED = 2;

    private static final int CANCELLED = 3;

    private static final int ABANDONING = 4;

    private static final int ABANDONED = 5;

    private final AtomicInteger state = new AtomicInteger(QUEUED);

    /** What is being called, such as {@code start() of service 'feed'}. */
    private final String description;

    private volatile Thread thread;

    private volatile long beganNanos;

    Call(String description) {
        this.description = description;
    }

    /**
     * On the thread that is about to run the call: claims it, noting the time.
     *
     * @return false when the call was abandoned before it began: it must not run
     */
    boolean begin(Thread thread, long nowNanos) {
        this.thread = thread;
        this.beganNanos = nowNanos;
        if (this.state.compareAndSet(QUEUED, RUNNING)) {
            return true;
        }
        this.thread = null;
        return false;
    }

    /**
     * On the call's thread, once the user code has returned or thrown.
     *
     * @return whether the call had been abandoned meanwhile (its interrupt is cleared)
     */
    boolean end() {
        if (this.state.compareAndSet(RUNNING, RETURNED)) {
            this.thread = null;
            return false;
        }
        while (this.state.get() == ABANDONING) {
            // The interrupt is being delivered; it takes a few instructions.
            Thread.onSpinWait();
        }
        // The interrupt was meant for the abandoned call, not for what this thread does next.
        Thread.interrupted();
        this.thread = null;
        return true;
    }

    /** Abandons the call, interrupting its thread if it is inside user code. */
    Abandonment abandon() {
        if (this.state.compareAndSet(QUEUED, CANCELLED)) {
            return Abandonment.NOT_BEGUN;
        }
        if (this.state.compareAndSet(RUNNING, ABANDONING)) {
            Thread running = this.thread;
            if (running != null) {
                running.interrupt();
            }
            this.state.set(ABANDONED);
            return Abandonment.STUCK;
        }
        return (this.state.get() == CANCELLED) ? Abandonment.NOT_BEGUN : Abandonment.RETURNED;
    }

    /** Whether the call has begun on a thread (it may have returned since). */
    boolean hasBegun() {
        int current = this.state.get();
        return current != QUEUED && current != CANCELLED;
    }

    /** Whether the call is inside user code and has not been abandoned: begun, neither returned nor abandoned. */
    boolean isRunning() {
        return this.state.get() == RUNNING;
    }

    /** The clock reading when the call began; meaningful once {@link #hasBegun()}. */
    long beganNanos() {
        return this.beganNanos;
    }

    /** Where the call's thread is now, for the warning about a stuck call; empty once it returned. */
    StackTraceElement[] stack() {
        Thread running = this.thread;
        return (running != null) ? running.getStackTrace() : new StackTraceElement[0];
    }

    @Override
    public String toString() {
        return this.description;
    }
}
