package io.rustrade.supervisor.core;

/**
 * A monotonic source of nanoseconds, the only way the core reads time.
 *
 * <p>Values mean nothing on their own; only the difference of two readings does, as with {@link
 * System#nanoTime()}. Differences are compared by subtraction ({@code a - b > 0}), never by {@code
 * a > b}, so a source that wraps around is handled. Production code uses {@link #system()}; tests inject
 * a virtual clock to check timing rules without sleeping.
 */
@FunctionalInterface
public interface NanoClock {

    /** The current reading in nanoseconds. */
    long nanoTime();

    /** The JVM's monotonic clock, {@link System#nanoTime()}. */
    static NanoClock system() {
        return System::nanoTime;
    }
}
