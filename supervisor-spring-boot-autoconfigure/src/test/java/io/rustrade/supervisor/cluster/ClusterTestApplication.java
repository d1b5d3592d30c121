package io.rustrade.supervisor.cluster;

import io.rustrade.supervisor.autoconfigure.SupervisorAutoConfiguration;
import io.rustrade.supervisor.autoconfigure.SupervisorClusterAutoConfiguration;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.support.locks.LockRegistry;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * One instance of an application with a singleton {@code orderGateway}, its leadership on a JDBC lock
 * registry in the database at {@code test.jdbc-url}; started several times, in this JVM or in others.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({SupervisorAutoConfiguration.class, SupervisorClusterAutoConfiguration.class})
public class ClusterTestApplication {

    /** How many gateways of all the instances in this JVM run now, and the most that ever ran at once. */
    static final AtomicInteger RUNNING_NOW = new AtomicInteger();

    static final AtomicInteger MOST_AT_ONCE = new AtomicInteger();

    /** The same for the second singleton, {@code riskGateway}. */
    static final AtomicInteger RISK_RUNNING_NOW = new AtomicInteger();

    static final AtomicInteger RISK_MOST_AT_ONCE = new AtomicInteger();

    @Bean
    DataSource dataSource(@Value("${test.jdbc-url}") String url) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        // A store that stops answering must fail the calls, not hang them: the hanging case is tested apart.
        dataSource.setConnectTimeout(2);
        dataSource.setSocketTimeout(5);
        return dataSource;
    }

    @Bean
    PlatformTransactionManager transactionManager(DataSource dataSource) {
        return new DataSourceTransactionManager(dataSource);
    }

    @Bean
    DefaultLockRepository lockRepository(DataSource dataSource) {
        return new DefaultLockRepository(dataSource);
    }

    @Bean
    FreezableLockRegistry lockRegistry(
            DefaultLockRepository repository, @Value("${test.lock-time-to-live:10s}") Duration timeToLive) {
        return new FreezableLockRegistry(new JdbcLockRegistry(repository, timeToLive));
    }

    @Bean
    Gateway orderGateway(
            @Value("${test.instance}") String instance,
            @Value("${test.fail-starts:false}") boolean failStarts,
            @Value("${test.stop-delay:0ms}") Duration stopDelay) {
        return new Gateway(instance, failStarts, stopDelay, RUNNING_NOW, MOST_AT_ONCE);
    }

    /** A second singleton, when {@code test.second-gateway=true}; counted apart. */
    @Bean
    @ConditionalOnProperty(name = "test.second-gateway", havingValue = "true")
    Gateway riskGateway(@Value("${test.instance}") String instance) {
        return new Gateway(instance, false, Duration.ZERO, RISK_RUNNING_NOW, RISK_MOST_AT_ONCE);
    }

    /** The singleton: a venue session that must never be open twice. */
    public static final class Gateway implements SmartLifecycle {

        private final String instance;

        private final boolean failStarts;

        /** How long stop() takes before the session is closed: the window in which two could be open. */
        private final Duration stopDelay;

        /** How many gateways of its name run now in this JVM, and the most that ever ran at once. */
        private final AtomicInteger runningNow;

        private final AtomicInteger mostAtOnce;

        /** How long the next start() takes, ignoring interrupts, before the session is open. */
        volatile Duration startDelay = Duration.ZERO;

        /** The threads the last start() and stop() ran on. */
        volatile Thread startedOn;

        volatile Thread stoppedOn;

        private volatile boolean running;

        Gateway(String instance, boolean failStarts) {
            this(instance, failStarts, Duration.ZERO, RUNNING_NOW, MOST_AT_ONCE);
        }

        Gateway(
                String instance,
                boolean failStarts,
                Duration stopDelay,
                AtomicInteger runningNow,
                AtomicInteger mostAtOnce) {
            this.instance = instance;
            this.failStarts = failStarts;
            this.stopDelay = stopDelay;
            this.runningNow = runningNow;
            this.mostAtOnce = mostAtOnce;
        }

        @Override
        public void start() {
            this.startedOn = Thread.currentThread();
            sleepUninterruptibly(this.startDelay);
            if (this.failStarts) {
                throw new IllegalStateException("login refused on " + this.instance);
            }
            this.running = true;
            this.mostAtOnce.accumulateAndGet(this.runningNow.incrementAndGet(), Math::max);
            // Read by the test that runs instances as processes.
            System.out.println("gateway started on " + this.instance);
        }

        @Override
        public void stop() {
            this.stoppedOn = Thread.currentThread();
            if (this.running) {
                // Open until stop() is done: the session closes at its end.
                sleepUninterruptibly(this.stopDelay);
                this.running = false;
                this.runningNow.decrementAndGet();
                System.out.println("gateway stopped on " + this.instance);
            }
        }

        @Override
        public boolean isRunning() {
            return this.running;
        }

        private static void sleepUninterruptibly(Duration duration) {
            long deadline = System.nanoTime() + duration.toNanos();
            boolean interrupted = false;
            for (long left = duration.toNanos(); left > 0; left = deadline - System.nanoTime()) {
                try {
                    TimeUnit.NANOSECONDS.sleep(left);
                } catch (InterruptedException ex) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The application's lock registry, made as hostile as a real store can be: its locks can be made to hang
     * as a database without a socket timeout does (every call into the store blocks until thawed), its
     * {@code obtain} can hang for some keys, ignoring interrupts, and its calls can throw at random.
     */
    public static final class FreezableLockRegistry implements LockRegistry<Lock> {

        private final LockRegistry<?> delegate;

        private volatile CountDownLatch thawed = new CountDownLatch(0);

        /** Keys whose {@code obtain} hangs until thawed, ignoring interrupts. */
        private volatile Set<Object> hangingObtains = Set.of();

        /** The share of calls ({@code obtain}, {@code tryLock}, {@code unlock}) that throw; 0: none. */
        private volatile double flakiness;

        private volatile Supplier<? extends Throwable> thrown = () -> new IllegalStateException("flaky");

        /** Calls made to throw, for the tests to check the flakiness was felt. */
        final AtomicInteger thrownCount = new AtomicInteger();

        FreezableLockRegistry(LockRegistry<?> delegate) {
            this.delegate = delegate;
        }

        void freeze() {
            this.thawed = new CountDownLatch(1);
        }

        /** From now on, {@code obtain} of these keys hangs, ignoring interrupts, until thawed. */
        void hangObtainOf(Object... keys) {
            this.thawed = new CountDownLatch(1);
            this.hangingObtains = Set.of(keys);
        }

        void thaw() {
            this.hangingObtains = Set.of();
            this.flakiness = 0;
            this.thawed.countDown();
        }

        /** From now on, that share of the calls throws what {@code thrown} makes, before reaching the store. */
        void flaky(double share, Supplier<? extends Throwable> thrown) {
            this.thrown = thrown;
            this.flakiness = share;
        }

        /** Throws, as a flaky store's client does, on a share of the calls. */
        private void maybeThrow() {
            if (this.flakiness > 0 && ThreadLocalRandom.current().nextDouble() < this.flakiness) {
                this.thrownCount.incrementAndGet();
                Throwable failure = this.thrown.get();
                if (failure instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw (Error) failure;
            }
        }

        private void awaitThaw() {
            try {
                this.thawed.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public Lock obtain(Object key) {
            if (this.hangingObtains.contains(key)) {
                awaitThawUninterruptibly();
            }
            maybeThrow();
            Lock lock = this.delegate.obtain(key);
            return new Lock() {

                @Override
                public void lock() {
                    awaitThaw();
                    lock.lock();
                }

                @Override
                public void lockInterruptibly() throws InterruptedException {
                    awaitThaw();
                    lock.lockInterruptibly();
                }

                @Override
                public boolean tryLock() {
                    awaitThaw();
                    return lock.tryLock();
                }

                @Override
                public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
                    // Ignores interrupts while frozen, as a blocked socket read does.
                    awaitThawUninterruptibly();
                    maybeThrow();
                    return lock.tryLock(time, unit);
                }

                @Override
                public void unlock() {
                    maybeThrow();
                    lock.unlock();
                }

                @Override
                public Condition newCondition() {
                    return lock.newCondition();
                }
            };
        }

        private void awaitThawUninterruptibly() {
            boolean interrupted = false;
            while (this.thawed.getCount() > 0) {
                try {
                    this.thawed.await();
                } catch (InterruptedException ex) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
