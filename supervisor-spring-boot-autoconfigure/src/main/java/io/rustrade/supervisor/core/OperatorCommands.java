package io.rustrade.supervisor.core;

import java.util.ArrayDeque;

/**
 * The operator commands ({@code restart}, {@code stop}, {@code start}, {@code reset}) waiting for one
 * service's turn on the control thread: bounded, however fast they come.
 *
 * <p>Rules: commands are applied in the order they came, except that a command equal to the last one
 * waiting is merged into it (a second {@code restart} before the first was applied restarts once), and
 * that when {@value #MAX_WAITING} are waiting, a new one replaces the last: the latest intent wins. So at
 * most {@value #MAX_WAITING} commands per service wait, and at most one control-thread task.
 */
final class OperatorCommands {

    /** Commands waiting for one service, at most. */
    static final int MAX_WAITING = 8;

    enum Command {
        RESTART,
        STOP,
        START,
        RESET
    }

    private ArrayDeque<Command> waiting;

    /** Whether a drain task is posted and has not yet found the queue empty. */
    private boolean drainPosted;

    /**
     * Queues a command.
     *
     * @return whether the caller must post a task that {@link #poll() drains} the commands: true only for
     *     the first command of a batch
     */
    synchronized boolean offer(Command command) {
        if (this.waiting == null) {
            this.waiting = new ArrayDeque<>(2);
        }
        if (this.waiting.isEmpty()) {
            this.waiting.add(command);
            boolean post = !this.drainPosted;
            this.drainPosted = true;
            return post;
        }
        if (this.waiting.peekLast() == command) {
            return false;
        }
        if (this.waiting.size() == MAX_WAITING) {
            this.waiting.pollLast();
        }
        this.waiting.addLast(command);
        return false;
    }

    /** How many commands wait: at most {@value #MAX_WAITING}. */
    synchronized int waiting() {
        return (this.waiting != null) ? this.waiting.size() : 0;
    }

    /** The next command to apply, or null when none waits (the next offer then starts a new batch). */
    synchronized Command poll() {
        Command next = (this.waiting != null) ? this.waiting.poll() : null;
        if (next == null) {
            // Thousands of services may be supervised: the queue exists only while it holds something.
            this.waiting = null;
            this.drainPosted = false;
        }
        return next;
    }
}
