package io.rustrade.supervisor.autoconfigure;

import io.rustrade.supervisor.Cancellation;
import io.rustrade.supervisor.SupervisedService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A run loop that records the thread of each run; its first {@code failures} runs throw, later ones wait to be cancelled. */
final class RecordingRunLoop implements SupervisedService {

    final List<Thread> threads = new CopyOnWriteArrayList<>();

    private final int failures;

    RecordingRunLoop(int failures) {
        this.failures = failures;
    }

    @Override
    public void run(Cancellation cancellation) {
        this.threads.add(Thread.currentThread());
        if (this.threads.size() <= this.failures) {
            throw new IllegalStateException("connection reset");
        }
        while (!cancellation.isCancelled()) {
            cancellation.await(Duration.ofMinutes(1));
        }
    }

    /** Whether the thread is virtual; this code compiles for Java 17, where {@code Thread.isVirtual()} does not exist. */
    static boolean isVirtual(Thread thread) {
        try {
            return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
        } catch (NoSuchMethodException ex) {
            return false; // before Java 21 every thread is a platform thread
        } catch (ReflectiveOperationException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
