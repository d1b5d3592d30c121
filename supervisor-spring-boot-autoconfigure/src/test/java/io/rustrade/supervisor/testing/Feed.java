package io.rustrade.supervisor.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.SmartLifecycle;

/**
 * A {@code SmartLifecycle} bean for tests that run an application context: a feed that starts and stops at
 * once, unless its first starts are made to fail ({@link #failingFirst}). Where {@link FakeLifecycle} is a
 * service handed to the engine directly, this one is a bean the starter finds and supervises.
 *
 * <p>Every {@code start()} and {@code stop()} is written to {@link #journal} as {@code "start <name>"} or
 * {@code "stop <name>"}, in order (a journal can be shared by several feeds, to see the order of their
 * calls); the thread of each {@code start()} is kept in {@link #startThreads}. Its phase is {@code 0} unless
 * given. Tests may subclass it to script {@code start()} or {@code stop()}. Safe to call from any thread.
 */
public class Feed implements SmartLifecycle {

    /** "start <name>" and "stop <name>", in the order called; shared when given to several feeds. */
    public final List<String> journal;

    public final String name;

    public final int phase;

    /** start() calls, failed ones included. */
    public final AtomicInteger starts = new AtomicInteger();

    /** The name of the thread each start() ran on. */
    public final List<String> startThreads = new CopyOnWriteArrayList<>();

    /** How many of the first start() calls throw. */
    public volatile int failures;

    public volatile boolean running;

    public volatile boolean autoStartup = true;

    public Feed(String name, int phase, List<String> journal) {
        this.name = name;
        this.phase = phase;
        this.journal = journal;
    }

    /** A feed of phase 0 with a journal of its own. */
    public Feed(String name) {
        this(name, 0, new CopyOnWriteArrayList<>());
    }

    /** Makes the first {@code failures} start() calls throw {@link IllegalStateException} "login refused". */
    public Feed failingFirst(int failures) {
        this.failures = failures;
        return this;
    }

    @Override
    public void start() {
        this.journal.add("start " + this.name);
        this.startThreads.add(Thread.currentThread().getName());
        if (this.starts.incrementAndGet() <= this.failures) {
            throw new IllegalStateException("login refused");
        }
        this.running = true;
    }

    @Override
    public void stop() {
        this.journal.add("stop " + this.name);
        this.running = false;
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return this.phase;
    }

    @Override
    public boolean isAutoStartup() {
        return this.autoStartup;
    }
}
