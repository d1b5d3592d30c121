package io.rustrade.supervisor.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A lifecycle service whose start failures are scripted and whose calls are recorded. */
final class FakeLifecycle implements LifecycleService {

    final List<String> calls = new ArrayList<>();

    private final Deque<Exception> startFailures = new ArrayDeque<>();

    volatile boolean running;

    Runnable onStart = () -> {};

    Runnable onStop = () -> {};

    /** Runs inside every isRunning(), which is not recorded in {@link #calls}. */
    Runnable onIsRunning = () -> {};

    /** The next start() calls throw these, in order. */
    FakeLifecycle failStarts(Exception... failures) {
        this.startFailures.addAll(List.of(failures));
        return this;
    }

    @Override
    public void start() throws Exception {
        this.calls.add("start");
        this.onStart.run();
        Exception failure = this.startFailures.poll();
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

    long starts() {
        return this.calls.stream().filter("start"::equals).count();
    }
}
