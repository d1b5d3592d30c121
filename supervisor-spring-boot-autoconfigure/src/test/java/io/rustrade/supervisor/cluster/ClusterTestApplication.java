package io.rustrade.supervisor.cluster;

import io.rustrade.supervisor.autoconfigure.SupervisorAutoConfiguration;
import io.rustrade.supervisor.autoconfigure.SupervisorClusterAutoConfiguration;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
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
            @Value("${test.instance}") String instance, @Value("${test.fail-starts:false}") boolean failStarts) {
        return new Gateway(instance, failStarts);
    }

    /** The singleton: a venue session that must never be open twice. */
    public static final class Gateway implements SmartLifecycle {

        private final String instance;

        private final boolean failStarts;

        private volatile boolean running;

        Gateway(String instance, boolean failStarts) {
            this.instance = instance;
            this.failStarts = failStarts;
        }

        @Override
        public void start() {
            if (this.failStarts) {
                throw new IllegalStateException("login refused on " + this.instance);
            }
            this.running = true;
            MOST_AT_ONCE.accumulateAndGet(RUNNING_NOW.incrementAndGet(), Math::max);
            // Read by the test that runs instances as processes.
            System.out.println("gateway started on " + this.instance);
        }

        @Override
        public void stop() {
            if (this.running) {
                this.running = false;
                RUNNING_NOW.decrementAndGet();
                System.out.println("gateway stopped on " + this.instance);
            }
        }

        @Override
        public boolean isRunning() {
            return this.running;
        }
    }

    /**
     * The application's lock registry, whose locks can be made to hang as a database without a socket
     * timeout does: every call into the store blocks until thawed.
     */
    public static final class FreezableLockRegistry implements LockRegistry<Lock> {

        private final LockRegistry<?> delegate;

        private volatile CountDownLatch thawed = new CountDownLatch(0);

        FreezableLockRegistry(LockRegistry<?> delegate) {
            this.delegate = delegate;
        }

        void freeze() {
            this.thawed = new CountDownLatch(1);
        }

        void thaw() {
            this.thawed.countDown();
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
                    return lock.tryLock(time, unit);
                }

                @Override
                public void unlock() {
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
