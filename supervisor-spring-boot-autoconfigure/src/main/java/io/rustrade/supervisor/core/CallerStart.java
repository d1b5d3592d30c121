package io.rustrade.supervisor.core;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A service's first {@code start()}, run by its container on the container's own thread rather than on
 * the supervisor's call threads. The control thread may abandon it after {@code start-timeout}: it then
 * interrupts that thread, as it would interrupt a call thread, but only while the call is still under
 * way, and the container's thread clears that interrupt once {@code start()} has returned — an interrupt
 * meant for the abandoned call must not hit whatever the container does next.
 */
final class CallerStart implements Cancellable {

    private static final int RUNNING = 0;

    private static final int DONE = 1;

    private static final int ABANDONING = 2;

    private static final int ABANDONED = 3;

    private final Thread thread;

    private final AtomicInteger state = new AtomicInteger(RUNNING);

    /** The record's id for this call; used on the control thread only. */
    long id;

    CallerStart(Thread thread) {
        this.thread = thread;
    }

    /** On the control thread: abandons the call, interrupting its thread if it is still inside start(). */
    @Override
    public void cancel() {
        if (this.state.compareAndSet(RUNNING, ABANDONING)) {
            this.thread.interrupt();
            this.state.set(ABANDONED);
        }
    }

    /**
     * On the calling thread, once {@code start()} has returned or thrown: ends the call, and clears the
     * interrupt the control thread sent if it abandoned the call meanwhile.
     *
     * @return whether the call ended before it was abandoned
     */
    boolean finish() {
        if (this.state.compareAndSet(RUNNING, DONE)) {
            return true;
        }
        while (this.state.get() == ABANDONING) {
            // The interrupt is being delivered; it takes a few instructions.
            Thread.onSpinWait();
        }
        Thread.interrupted();
        return false;
    }
}
