package io.rustrade.supervisor.testing;

import io.rustrade.supervisor.core.LifecycleService;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A lifecycle service that starts and stops at once, unless a test scripts otherwise.
 *
 * <p>Guarantees: every {@code start()} and {@code stop()} is recorded in {@link #calls}, in order, before
 * its hook runs; {@code start()} throws the next scripted failure, if any, and otherwise leaves the service
 * running; {@code stop()} leaves it not running; {@code isRunning()} runs its hook, is not recorded, and
 * answers {@link #running}, which a test may also set to simulate an unexpected stop. Safe to call from
 * any thread.
 */
public final class FakeLifecycle implements LifecycleService {

    /** "start" and "stop", in the order they were called. */
    public final List<String> calls = new CopyOnWriteArrayList<>();

    private final Deque<Exception> startFailures = new ArrayDeque<>();

    public volatile boolean running;

    /** Runs inside every start(), after it was recorded. */
    public volatile Runnable onStart = () -> {};

    /** Runs inside every stop(), after it was recorded. */
    public volatile Runnable onStop = () -> {};

    /** Runs inside every isRunning(), which is not recorded in {@link #calls}. */
    public volatile Runnable onIsRunning = () -> {};

    /** The next start() calls throw these, in order. */
    public FakeLifecycle failStarts(Exception... failures) {
        synchronized (this.startFailures) {
            this.startFailures.addAll(List.of(failures));
        }
        return this;
    }

    @Override
    public void start() throws Exception {
        this.calls.add("start");
        this.onStart.run();
        Exception failure;
        synchronized (this.startFailures) {
            failure = this.startFailures.poll();
        }
        if (failure != null) {
            throw failure;
        }
        this.running = true;
    }

    @Override
    public void stop() {
        this.calls.add("stop");
        this.onStop.run();
        this.running = false;
    }

    @Override
    public boolean isRunning() {
        this.onIsRunning.run();
        return this.running;
    }

    /** How many times start() was called. */
    public long starts() {
        return this.calls.stream().filter("start"::equals).count();
    }
}
