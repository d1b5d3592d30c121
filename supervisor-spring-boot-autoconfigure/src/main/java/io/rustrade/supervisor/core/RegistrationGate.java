package io.rustrade.supervisor.core;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The registrations and unregistrations that callers have handed to the control thread and that it has not
 * applied yet: bounded, however fast they come, so that a caller registering and unregistering services in
 * a loop cannot bury supervision's own messages (a run's end, a call's outcome, a failure report) under its
 * requests in the control thread's first-in first-out mailbox.
 *
 * <p>Rules:
 *
 * <ul>
 *   <li>At most {@value #MAX_WAITING} requests wait. Once that many do, the gate is full: every caller
 *       with a request waits, on its own thread and whatever its interrupt status (which is kept), until
 *       the control thread has applied all but {@value #LET_IN_AT}; then the callers held back are let in
 *       together (so that a caller in a loop is woken once per {@value #LET_IN_AT} requests, not for each).
 *       A caller registering in a loop is thus held to the pace at which the control thread applies its
 *       requests, and a message posted by anyone else waits behind at most {@value #MAX_WAITING} requests,
 *       with what they lead to (one run launched or stopped each).
 *   <li>A request leaves when the control thread reaches the end of it: the engine posts {@link #leave()}
 *       behind the request's own messages, so that they keep their order and nothing is ever dropped. A
 *       request that fails on the caller's thread leaves at once.
 *   <li>The control thread is never held back: a request made on it (from a callback chained on a future
 *       the control thread completes) would wait for itself, so it passes without taking a place. The
 *       engine tells the gate which thread that is with its first message ({@link #learnControlThread()}).
 *   <li>Once {@linkplain #open() opened for good}, when the engine closes, the gate holds no one back: a
 *       caller then learns from the control thread itself that it is shut down.
 * </ul>
 *
 * <p>Requests that need no such gate: an operator's commands are merged per service ({@link
 * OperatorCommands}), only the first failure report about a run is posted, and the container registers
 * each of its beans once, at start-up.
 */
final class RegistrationGate {

    /** Registrations and unregistrations that wait for the control thread, at most. */
    static final int MAX_WAITING = 256;

    /** How few requests wait when callers held back are let in again. */
    static final int LET_IN_AT = MAX_WAITING / 2;

    private final ReentrantLock lock = new ReentrantLock();

    private final Condition reopened = this.lock.newCondition();

    /** Requests taken in and not yet applied; under the lock. */
    private int waiting;

    /** Whether callers are held back: from when {@value #MAX_WAITING} wait until {@value #LET_IN_AT} do. */
    private boolean full;

    /** Callers held back; under the lock. */
    private int heldBack;

    private volatile Thread controlThread;

    private volatile boolean open;

    /**
     * Takes a place for a request, waiting while the gate is full.
     *
     * @return whether a place was taken: the caller must then have {@link #leave()} run on the control thread
     *     once its request is posted, or call it itself if the request could not be posted
     */
    boolean enter() {
        if (this.open || Thread.currentThread() == this.controlThread) {
            return false;
        }
        this.lock.lock();
        try {
            if (this.full) {
                this.heldBack++;
                try {
                    while (this.full && !this.open) {
                        this.reopened.awaitUninterruptibly();
                    }
                } finally {
                    this.heldBack--;
                }
                if (this.open) {
                    return false;
                }
            }
            this.waiting++;
            if (this.waiting >= MAX_WAITING) {
                this.full = true;
            }
            return true;
        } finally {
            this.lock.unlock();
        }
    }

    /** Gives back the place of a request; lets the callers held back in once few enough requests wait. */
    void leave() {
        this.lock.lock();
        try {
            this.waiting--;
            if (this.full && this.waiting <= LET_IN_AT) {
                this.full = false;
                this.reopened.signalAll();
            }
        } finally {
            this.lock.unlock();
        }
    }

    /** Run on the control thread, as the engine's first message: from then on that thread passes. */
    void learnControlThread() {
        this.controlThread = Thread.currentThread();
    }

    /** Lets every caller through from now on, those held back included. */
    void open() {
        this.lock.lock();
        try {
            this.open = true;
            this.reopened.signalAll();
        } finally {
            this.lock.unlock();
        }
    }

    /** Requests taken in and not yet applied, for tests. */
    int waiting() {
        this.lock.lock();
        try {
            return this.waiting;
        } finally {
            this.lock.unlock();
        }
    }

    /** Callers held back now, for tests. */
    int heldBack() {
        this.lock.lock();
        try {
            return this.heldBack;
        } finally {
            this.lock.unlock();
        }
    }
}
