package io.rustrade.supervisor.testing;

import io.rustrade.supervisor.core.ScheduledTask;
import java.util.PriorityQueue;

/**
 * The timers of a virtual-time scheduler.
 *
 * <p>Guarantees: timers fall due ordered by due time, then in the order they were scheduled; due times are
 * compared by subtraction, so timers on either side of the wrap-around of nanosecond readings keep their
 * order; a cancelled timer never falls due. Thread-safe; the scheduler decides when time moves and tasks
 * run.
 */
public final class VirtualTimers {

    private final PriorityQueue<Timer> timers = new PriorityQueue<>();

    private long sequence;

    /** Schedules {@code task} at virtual nanosecond {@code at}. */
    public synchronized ScheduledTask add(long at, Runnable task) {
        Timer timer = new Timer(at, this.sequence++, task);
        this.timers.add(timer);
        return () -> timer.cancelled = true;
    }

    /** Removes the earliest live timer due no later than {@code target}; null when none is due. */
    public synchronized Due pollDue(long target) {
        for (Timer next = this.timers.peek(); next != null && next.at - target <= 0; next = this.timers.peek()) {
            this.timers.poll();
            if (!next.cancelled) {
                return new Due(next.at, next.task);
            }
        }
        return null;
    }

    /** Whether a timer that is not cancelled is due no later than {@code target}, and has not fired yet. */
    public synchronized boolean hasDue(long target) {
        return this.timers.stream().anyMatch(timer -> !timer.cancelled && timer.at - target <= 0);
    }

    /** Timers scheduled and neither fired nor cancelled. */
    public synchronized long pending() {
        return this.timers.stream().filter(timer -> !timer.cancelled).count();
    }

    /** A timer that fell due: when, and what to run. */
    public record Due(long at, Runnable task) {}

    private static final class Timer implements Comparable<Timer> {

        final long at;

        final long sequence;

        final Runnable task;

        volatile boolean cancelled;

        Timer(long at, long sequence, Runnable task) {
            this.at = at;
            this.sequence = sequence;
            this.task = task;
        }

        @Override
        public int compareTo(Timer other) {
            int byTime = Long.compare(this.at - other.at, 0);
            return (byTime != 0) ? byTime : Long.compare(this.sequence, other.sequence);
        }
    }
}
