package io.rustrade.supervisor.autoconfigure;

import io.rustrade.supervisor.core.ContainerSupervisor;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.integration.leader.Candidate;
import org.springframework.integration.leader.Context;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * The election of one cluster singleton: Spring Integration's {@link LockRegistryLeaderInitiator} over the
 * application's lock registry, whose grants and revocations go to the supervisor.
 *
 * <p>Rules, each against running the singleton on two instances at once:
 *
 * <ul>
 *   <li><b>The lock is released only once the service is down here.</b> The initiator releases the lock
 *       (deleting its row, in a JDBC registry) before it says leadership is revoked, and on every path that
 *       leaves leadership: a renewal that threw, an {@code Error} from the registry, a step-down, the
 *       context's close. So the release itself is held back: the lock handed to the initiator tells the
 *       supervisor first that leadership is gone, waits until nothing of the service runs here ({@link
 *       ContainerSupervisor#leadershipRevoked}) — at most the service's {@code stop-timeout} — and only then
 *       releases. Whatever the registry throws, and where, the other instances can take the lock only once
 *       the service has stopped here or its {@code stop-timeout} has passed.
 *   <li><b>A renewal that hangs is fenced by this instance's clock.</b> The initiator renews its lock once
 *       per heartbeat and hears of a failed renewal only when the call returns; a call that hangs (a
 *       database without a socket timeout) would keep the service running long after the lock expired. So
 *       every successful renewal is timed here, and {@link #watch} — called every heartbeat on a thread
 *       that never calls the registry — revokes the leadership on this instance, whatever the renewal call
 *       is doing, once the last renewal is older than the lock's time-to-live less two heartbeats. A renewal
 *       that succeeds later proves the lock is still this instance's: leadership is granted again — never
 *       while the lock is being released.
 *   <li><b>No call into the registry is made outside the election's own thread.</b> The registry's lock is
 *       obtained lazily, on that thread, at its first use, so that a registry whose {@code obtain} hangs
 *       holds up this election only, never the thread that enters elections or watches renewals.
 * </ul>
 */
final class SingletonElection implements Candidate {

    private static final Log logger = LogFactory.getLog(SingletonElection.class);

    private final String service;

    private final String lock;

    private final ContainerSupervisor supervisor;

    private final LockRegistryLeaderInitiator initiator;

    private final LongSupplier nanoTime;

    /** Runs a task a heartbeat from now, on the thread that enters elections. */
    private final Consumer<Runnable> later;

    /** Leadership older than this since its last renewal is revoked here: the lock may expire at any time. */
    private final long overdueNanos;

    /** The longest the lock is held back for the service to stop here: its {@code stop-timeout}. */
    private final Duration stopTimeout;

    /** As the initiator last said. Guarded by this. */
    private boolean leader;

    /**
     * The supervisor was told leadership is gone while the initiator may still hold the lock: fenced because
     * renewals stopped, or the lock is being released. Guarded by this.
     */
    private boolean toldLost;

    /** The lock is being released: nothing grants leadership here until the initiator grants it again. Guarded by this. */
    private boolean releasing;

    /** When the last successful renewal began, by {@link #nanoTime}; valid once {@link #renewed} is set. */
    private volatile long lastRenewal;

    private volatile boolean renewed;

    /** How many times the election's thread holds the lock, as acquisitions less releases; 0 when released. */
    private volatile int holds;

    /** Left on purpose (the context stops, or a step-down): a revocation that follows is no loss. */
    private volatile boolean leaving;

    SingletonElection(
            String service,
            String lock,
            ContainerSupervisor supervisor,
            LockRegistry<?> locks,
            Duration heartbeat,
            Duration lockTimeToLive,
            Duration stopTimeout,
            AsyncTaskExecutor executor,
            ApplicationEventPublisher publisher,
            LongSupplier nanoTime,
            Consumer<Runnable> later) {
        this.service = service;
        this.lock = lock;
        this.supervisor = supervisor;
        this.nanoTime = nanoTime;
        this.overdueNanos = lockTimeToLive.minus(heartbeat.multipliedBy(2)).toNanos();
        this.stopTimeout = stopTimeout;
        this.initiator = new LockRegistryLeaderInitiator(key -> new FencedLock(locks::obtain, key), this);
        this.initiator.setHeartBeatMillis(heartbeat.toMillis());
        this.later = later;
        this.initiator.setTaskExecutor(new GuardedExecutor(executor));
        this.initiator.setApplicationEventPublisher(publisher);
    }

    String service() {
        return this.service;
    }

    @Override
    public String getRole() {
        return this.lock;
    }

    @Override
    public String getId() {
        return this.service;
    }

    @Override
    public synchronized void onGranted(Context context) {
        this.leader = true;
        this.toldLost = false;
        this.releasing = false;
        this.supervisor.leadershipGranted(this.service);
    }

    @Override
    public synchronized void onRevoked(Context context) {
        boolean told = this.toldLost;
        this.leader = false;
        this.toldLost = false;
        this.releasing = false;
        if (!told) {
            // The lock was not released by this instance: another holds it already. Stop at once.
            this.supervisor.leadershipRevoked(this.service, this.leaving ? "released" : "lost");
        }
    }

    /** Enters the election. */
    void start() {
        this.leaving = false;
        this.initiator.start();
    }

    /** Leaves the election, releasing the lock if it is held (the initiator then revokes leadership). */
    void stop() {
        this.leaving = true;
        this.initiator.stop();
    }

    /**
     * Once {@link #stop()} was called: waits until the initiator has released the lock (it releases it on
     * its own thread), so that the application does not close the lock store under it; a lock left behind
     * would keep every other instance waiting for its time-to-live. Waits until {@code deadline} (by {@link
     * System#nanoTime()}) at most.
     */
    void awaitRelease(long deadline) {
        synchronized (this) {
            while (this.holds > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    logger.warn("Singleton '" + this.service + "': lock '" + this.lock + "' not released in time;"
                            + " other instances take it once it expires");
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    boolean isRunning() {
        return this.initiator.isRunning();
    }

    /**
     * Every heartbeat: revokes a leadership whose renewals stopped, and grants it again once they resume.
     * Never calls the registry, and holds this election's monitor only while it tells the supervisor, which
     * returns at once: no other election can hold it up.
     */
    synchronized void watch() {
        if (!this.leader || this.releasing) {
            return;
        }
        long sinceRenewal = this.nanoTime.getAsLong() - this.lastRenewal;
        boolean overdue = !this.renewed || sinceRenewal > this.overdueNanos;
        if (overdue && !this.toldLost) {
            this.toldLost = true;
            logger.warn("Singleton '" + this.service + "': lock '" + this.lock + "' not renewed for "
                    + Duration.ofNanos(sinceRenewal).toMillis() + "ms; stopping it here before the lock can expire");
            this.supervisor.leadershipRevoked(this.service, "renewal overdue");
        } else if (!overdue && this.toldLost) {
            this.toldLost = false;
            logger.info("Singleton '" + this.service + "': lock '" + this.lock + "' renewed again; it runs here");
            this.supervisor.leadershipGranted(this.service);
        }
    }

    /**
     * On the election's thread, before the lock is released: tells the supervisor that leadership is gone
     * (unless it knows) and waits until the service is down here, at most its {@code stop-timeout}, ignoring
     * interrupts — the initiator's stop interrupts this thread, and a release cut short would let another
     * instance start the service beside this one. Returns whether the thread was interrupted meanwhile.
     */
    private boolean fence() {
        CompletableFuture<Void> down;
        synchronized (this) {
            this.releasing = true;
            this.toldLost = true;
            // Told under the monitor: a grant by the watch can never reach the supervisor after this. A
            // supervisor that knows already (renewals overdue) ignores it, and answers all the same.
            down = this.supervisor.leadershipRevoked(this.service, this.leaving ? "released" : "lost");
        }
        long deadline = System.nanoTime() + this.stopTimeout.toNanos();
        boolean interrupted = false;
        while (true) {
            try {
                down.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                return interrupted;
            } catch (InterruptedException ex) {
                interrupted = true;
            } catch (TimeoutException ex) {
                logger.warn("Singleton '" + this.service + "': not stopped here within its stop-timeout ("
                        + this.stopTimeout.toMillis() + "ms); releasing lock '" + this.lock + "' all the same");
                return interrupted;
            } catch (ExecutionException ex) {
                return interrupted;
            }
        }
    }

    /**
     * The initiator's loop ended on something thrown by the lock registry that it does not catch (an {@link
     * Error}, from the application's registry): it released the lock as it ended (through {@link #fence})
     * and nothing would enter the election again. It is entered again a heartbeat later.
     */
    private void electionDied(Throwable cause) {
        synchronized (this) {
            if (this.leader && !this.toldLost) {
                this.supervisor.leadershipRevoked(this.service, "lost");
            }
            this.leader = false;
            this.toldLost = false;
            this.releasing = false;
        }
        if (this.leaving) {
            return;
        }
        logger.warn("Singleton '" + this.service + "': its election ended on "
                + cause.getClass().getName() + " thrown by the lock registry; entering it again");
        this.later.accept(() -> {
            if (!this.leaving) {
                this.initiator.stop();
                this.leaving = false;
                this.initiator.start();
            }
        });
    }

    private void renewed(long began) {
        this.lastRenewal = began;
        this.renewed = true;
    }

    /**
     * The lock the initiator uses: the registry's, obtained at its first use on the election's thread,
     * whose acquisitions (the initiator's renewals) are timed and counted, and whose last release waits for
     * the service to be down here ({@link #fence}).
     */
    private final class FencedLock implements Lock {

        /** The registry's {@code obtain}. */
        private final Function<Object, ? extends Lock> locks;

        private final Object key;

        private Lock delegate;

        FencedLock(Function<Object, ? extends Lock> locks, Object key) {
            this.locks = locks;
            this.key = key;
        }

        /** The registry's lock; obtained here, on the election's thread, so that a hang holds up only this. */
        private Lock delegate() {
            if (this.delegate == null) {
                this.delegate = this.locks.apply(this.key);
            }
            return this.delegate;
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            // Timed from before the call: the store's expiry counts from a moment inside it.
            long began = SingletonElection.this.nanoTime.getAsLong();
            boolean acquired = delegate().tryLock(time, unit);
            if (acquired) {
                acquired(began);
            }
            return acquired;
        }

        @Override
        public boolean tryLock() {
            long began = SingletonElection.this.nanoTime.getAsLong();
            boolean acquired = delegate().tryLock();
            if (acquired) {
                acquired(began);
            }
            return acquired;
        }

        @Override
        public void lock() {
            long began = SingletonElection.this.nanoTime.getAsLong();
            delegate().lock();
            acquired(began);
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            long began = SingletonElection.this.nanoTime.getAsLong();
            delegate().lockInterruptibly();
            acquired(began);
        }

        private void acquired(long began) {
            SingletonElection.this.holds++;
            renewed(began);
        }

        /**
         * A renewal's extra hold is given back at once; the last hold — the lock itself — only once the
         * service is down here.
         */
        @Override
        public void unlock() {
            int held = SingletonElection.this.holds;
            if (held > 1) {
                SingletonElection.this.holds = held - 1;
                delegate().unlock();
                return;
            }
            boolean interrupted = fence();
            try {
                delegate().unlock();
            } finally {
                synchronized (SingletonElection.this) {
                    SingletonElection.this.holds = 0;
                    SingletonElection.this.notifyAll();
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public Condition newCondition() {
            return delegate().newCondition();
        }
    }

    /** Runs the initiator's loop, and sees it end on what the initiator does not catch. */
    private final class GuardedExecutor implements AsyncTaskExecutor {

        private final AsyncTaskExecutor delegate;

        GuardedExecutor(AsyncTaskExecutor delegate) {
            this.delegate = delegate;
        }

        @Override
        public void execute(Runnable task) {
            this.delegate.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException | Error ex) {
                    electionDied(ex);
                    throw ex;
                }
            });
        }

        @Override
        public <T> Future<T> submit(Callable<T> task) {
            return this.delegate.submit(() -> {
                try {
                    return task.call();
                } catch (Exception | Error ex) {
                    electionDied(ex);
                    throw ex;
                }
            });
        }

        @Override
        public Future<?> submit(Runnable task) {
            return submit(() -> {
                task.run();
                return null;
            });
        }
    }
}
