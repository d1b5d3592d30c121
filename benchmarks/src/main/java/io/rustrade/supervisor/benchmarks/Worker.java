package io.rustrade.supervisor.benchmarks;

import org.springframework.context.SmartLifecycle;

/**
 * The supervised bean of the scale harness: a {@code SmartLifecycle} that does nothing but remember when
 * it was last started, so that restart times can be compared with the times they were scheduled for.
 */
public final class Worker implements SmartLifecycle {

    private final int index;

    private volatile boolean running;

    private volatile long lastStartWallNanos;

    private volatile long lastStopNanos;

    private volatile int starts;

    Worker(int index) {
        this.index = index;
    }

    /** The bean name of worker {@code index}. */
    static String name(int index) {
        return "worker" + index;
    }

    /** The index of a worker from its bean name, or -1 when the name is not a worker's. */
    static int index(String name) {
        if (!name.startsWith("worker")) {
            return -1;
        }
        try {
            return Integer.parseInt(name, "worker".length(), name.length(), 10);
        } catch (NumberFormatException ex) {
            return -1;
        }
    }

    @Override
    public void start() {
        this.lastStartWallNanos = Wall.nanos();
        // start() is never called concurrently for one bean.
        this.starts = this.starts + 1;
        this.running = true;
    }

    @Override
    public void stop() {
        this.lastStopNanos = System.nanoTime();
        this.running = false;
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    /** Stops without telling anyone: the unexpected stop the watchdog is there to see. */
    void stopSilently() {
        this.running = false;
    }

    int index() {
        return this.index;
    }

    int starts() {
        return this.starts;
    }

    /** {@link System#nanoTime()} at the entry of the last {@link #stop()}; 0 before the first. */
    long lastStopNanos() {
        return this.lastStopNanos;
    }

    /** Wall-clock nanoseconds (since the epoch) at the entry of the last {@link #start()}. */
    long lastStartWallNanos() {
        return this.lastStartWallNanos;
    }
}
