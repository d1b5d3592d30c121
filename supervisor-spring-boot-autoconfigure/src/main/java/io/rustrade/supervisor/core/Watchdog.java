package io.rustrade.supervisor.core;

import java.util.Collection;

/**
 * Asks, every {@code watchdog-interval}, each running lifecycle service whether it still runs; {@code 0}
 * turns it off. Runs on the control thread, between {@link #start()} and {@link #stop()}.
 *
 * <p>Rules: each question is a call of its own, in its service's lane, so a service that does not answer
 * holds up nobody else's; one that has not answered within its service's {@code start-timeout} is
 * abandoned at the next tick and counts as a failure of that service. Whatever a poll throws concerns its
 * service only. Answers come back as messages, so a service stopped meanwhile on purpose is not mistaken
 * for a failure.
 */
final class Watchdog {

    private final ControlScheduler scheduler;

    private final long intervalNanos;

    private final Collection<ServiceRecord> services;

    private ScheduledTask tick = ScheduledTask.NONE;

    private boolean running;

    Watchdog(ControlScheduler scheduler, long intervalNanos, Collection<ServiceRecord> services) {
        this.scheduler = scheduler;
        this.intervalNanos = intervalNanos;
        this.services = services;
    }

    /** Starts polling; idempotent. */
    void start() {
        if (this.running || this.intervalNanos <= 0) {
            return;
        }
        this.running = true;
        scheduleTick();
    }

    /** Stops polling; the polls under way still answer. */
    void stop() {
        this.running = false;
        this.tick.cancel();
    }

    private void scheduleTick() {
        this.tick = this.scheduler.schedule(this::tick, this.intervalNanos);
    }

    private void tick() {
        if (!this.running) {
            return;
        }
        for (ServiceRecord service : this.services) {
            if (service.isLifecycle()) {
                if (service.pollOverdue()) {
                    service.publish();
                }
                service.poll();
            }
        }
        scheduleTick();
    }
}
