package io.rustrade.supervisor.autoconfigure;

import io.rustrade.supervisor.core.ContainerSupervisor;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;
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
 * <p>It also guards against a store that stops answering. The initiator renews its lock once per heartbeat
 * and hears of a failed renewal only when the call returns; a call that hangs (a database without a socket
 * timeout) would keep the service running long after the lock expired and another instance took it. So
 * every successful renewal is timed here, and {@link #watch} — called every heartbeat on another thread —
 * revokes the leadership on this instance, whatever the renewal call is doing, once the last renewal is
 * older than the lock's time-to-live less two heartbeats. A renewal that succeeds later proves the lock
 * is still this instance's: leadership is granted again.
 */
final class SingletonElection implements Candidate {

    private static final Log logger = LogFactory.getLog(SingletonElection.class);

    private final String service;

    private final String lock;

    private final ContainerSupervisor supervisor;

    private final LockRegistryLeaderInitiator initiator;

    private final LongSupplier nanoTime;

    /** Runs a task a heartbeat from now, on the elections' own thread. */
    private final Consumer<Runnable> later;

    /** Leadership older than this since its last renewal is revoked here: the lock may expire at any time. */
    private final long overdueNanos;

    /** As the initiator last said. */
    private volatile boolean leader;

    /** Leader as far as the initiator knows, but revoked here because its renewals stopped. */
    private volatile boolean fenced;

    /** When the last successful renewal began, by {@link #nanoTime}; valid once {@link #renewed} is set. */
    private volatile long lastRenewal;

    private volatile boolean renewed;

    /** Left on purpose (the context stops, or a step-down): a revocation that follows is no loss. */
    private volatile boolean leaving;

    SingletonElection(
            String service,
            String lock,
            ContainerSupervisor supervisor,
            LockRegistry<?> locks,
            Duration heartbeat,
            Duration lockTimeToLive,
            AsyncTaskExecutor executor,
            ApplicationEventPublisher publisher,
            LongSupplier nanoTime,
            Consumer<Runnable> later) {
        this.service = service;
        this.lock = lock;
        this.supervisor = supervisor;
        this.nanoTime = nanoTime;
        this.overdueNanos = lockTimeToLive.minus(heartbeat.multipliedBy(2)).toNanos();
        this.initiator = new LockRegistryLeaderInitiator(key -> new TimedLock(locks.obtain(key)), this);
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
    public void onGranted(Context context) {
        this.leader = true;
        this.fenced = false;
        this.supervisor.leadershipGranted(this.service);
    }

    @Override
    public void onRevoked(Context context) {
        boolean wasFenced = this.fenced;
        synchronized (this) {
            this.leader = false;
            this.fenced = false;
            // The initiator tells of the loss after it released the lock: a stop waiting for that may go on.
            notifyAll();
        }
        if (!wasFenced) {
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
            while (this.leader) {
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

    /** Every heartbeat: revokes a leadership whose renewals stopped, and grants it again once they resume. */
    void watch() {
        if (!this.leader) {
            return;
        }
        long sinceRenewal = this.nanoTime.getAsLong() - this.lastRenewal;
        boolean overdue = !this.renewed || sinceRenewal > this.overdueNanos;
        if (overdue && !this.fenced) {
            this.fenced = true;
            logger.warn("Singleton '" + this.service + "': lock '" + this.lock + "' not renewed for "
                    + Duration.ofNanos(sinceRenewal).toMillis() + "ms; stopping it here before the lock can expire");
            this.supervisor.leadershipRevoked(this.service, "renewal overdue");
        } else if (!overdue && this.fenced) {
            this.fenced = false;
            logger.info("Singleton '" + this.service + "': lock '" + this.lock + "' renewed again; it runs here");
            this.supervisor.leadershipGranted(this.service);
        }
    }

    /**
     * The initiator's loop ended on something thrown by the lock registry that it does not catch (an {@link
     * Error}, from the application's registry): it revoked the leadership as it ended, and nothing would
     * enter the election again. It is entered again a heartbeat later.
     */
    private void electionDied(Throwable cause) {
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

    /** The registry's lock, whose successful acquisitions (the initiator's renewals) are timed. */
    private final class TimedLock implements Lock {

        private final Lock delegate;

        TimedLock(Lock delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            // Timed from before the call: the store's expiry counts from a moment inside it.
            long began = SingletonElection.this.nanoTime.getAsLong();
            boolean acquired = this.delegate.tryLock(time, unit);
            if (acquired) {
                renewed(began);
            }
            return acquired;
        }

        @Override
        public boolean tryLock() {
            long began = SingletonElection.this.nanoTime.getAsLong();
            boolean acquired = this.delegate.tryLock();
            if (acquired) {
                renewed(began);
            }
            return acquired;
        }

        @Override
        public void lock() {
            long began = SingletonElection.this.nanoTime.getAsLong();
            this.delegate.lock();
            renewed(began);
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            long began = SingletonElection.this.nanoTime.getAsLong();
            this.delegate.lockInterruptibly();
            renewed(began);
        }

        @Override
        public void unlock() {
            this.delegate.unlock();
        }

        @Override
        public Condition newCondition() {
            return this.delegate.newCondition();
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
