package io.rustrade.supervisor.autoconfigure;

import io.rustrade.supervisor.core.ContainerSupervisor;
import io.rustrade.supervisor.core.Elections;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * The elections of every cluster singleton, entered when the context starts and left when it stops.
 *
 * <p>They start in the phase just after the supervisor's and stop just before it: after every supervised
 * service has stopped, so that a clean shutdown stops the singleton here before its lock is released and
 * another instance starts it. A step-down ({@code yield}, {@code on-open: failover}) leaves the election
 * and enters it again after the time asked for, and at least two heartbeats: long enough for another
 * instance, which tries every heartbeat, to take the lock first.
 */
final class SingletonElections implements Elections, SmartLifecycle, DisposableBean, SupervisorInfrastructure {

    private static final Log logger = LogFactory.getLog(SingletonElections.class);

    private final Map<String, SingletonElection> elections = new LinkedHashMap<>();

    private final Duration heartbeat;

    /** The longest a stop waits for the locks to be released: after it, they expire anyway. */
    private final Duration releaseWait;

    /** Enters elections again (after a step-down, or an election that died); never calls the lock registry. */
    private final ScheduledExecutorService timer;

    /**
     * Watches every election's renewals. A thread of its own, apart from the one that enters elections, so
     * that fencing one singleton never waits for anything done for another.
     */
    private final ScheduledExecutorService watcher;

    private volatile boolean running;

    private ScheduledFuture<?> watch;

    /**
     * @param elections makes the elections, given where a task runs a heartbeat later
     */
    SingletonElections(
            ContainerSupervisor supervisor,
            Function<Consumer<Runnable>, List<SingletonElection>> elections,
            Duration heartbeat,
            Duration releaseWait) {
        this.heartbeat = heartbeat;
        this.releaseWait = releaseWait;
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("rustrade-supervisor-elections"));
        this.watcher = Executors.newSingleThreadScheduledExecutor(daemon("rustrade-supervisor-election-watch"));
        Consumer<Runnable> later = task -> this.timer.schedule(task, heartbeat.toNanos(), TimeUnit.NANOSECONDS);
        for (SingletonElection election : elections.apply(later)) {
            this.elections.put(election.service(), election);
        }
        supervisor.useElections(this);
    }

    @Override
    public void start() {
        if (this.running) {
            return;
        }
        this.running = true;
        if (this.elections.isEmpty()) {
            // No singleton: no thread either.
            return;
        }
        this.elections.values().forEach(SingletonElection::start);
        long every = this.heartbeat.toNanos();
        this.watch = this.watcher.scheduleWithFixedDelay(this::watch, every, every, TimeUnit.NANOSECONDS);
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private void watch() {
        for (SingletonElection election : this.elections.values()) {
            try {
                election.watch();
            } catch (RuntimeException ex) {
                logger.warn("Watching the election of '" + election.service() + "' failed", ex);
            }
        }
    }

    @Override
    public void stop() {
        this.running = false;
        if (this.watch != null) {
            this.watch.cancel(false);
        }
        this.elections.values().forEach(SingletonElection::stop);
        // Released on the initiators' threads: waited for, before the context closes the lock store.
        long deadline = System.nanoTime() + this.releaseWait.toNanos();
        this.elections.values().forEach(election -> election.awaitRelease(deadline));
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    /** Just after the supervisor's own phase ({@link Integer#MIN_VALUE}): started early, stopped late. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1;
    }

    @Override
    public boolean isPauseable() {
        return false;
    }

    @Override
    public void destroy() {
        stop();
        this.timer.shutdownNow();
        this.watcher.shutdownNow();
    }

    /** Called on the supervisor's control thread: leaves the election now, enters it again later on the timer. */
    @Override
    public void stepDown(String service, String lock, Duration outFor) {
        SingletonElection election = this.elections.get(service);
        if (election == null) {
            return;
        }
        election.stop();
        Duration out = outFor.compareTo(this.heartbeat.multipliedBy(2)) > 0 ? outFor : this.heartbeat.multipliedBy(2);
        this.timer.schedule(
                () -> {
                    if (this.running) {
                        election.start();
                    }
                },
                out.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    /** Whether the renewals are watched, on the elections' thread: only when there is a singleton. */
    boolean isWatching() {
        return this.watch != null;
    }

    /** Whether the singleton's election is entered now: false while it steps down. */
    boolean isCandidate(String service) {
        SingletonElection election = this.elections.get(service);
        return election != null && election.isRunning();
    }
}
