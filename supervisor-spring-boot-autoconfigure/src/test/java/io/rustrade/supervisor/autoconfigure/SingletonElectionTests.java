package io.rustrade.supervisor.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.HistoryEntry;
import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.core.ServiceOptions;
import io.rustrade.supervisor.core.SupervisorEngine;
import io.rustrade.supervisor.testing.FakeLifecycle;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.StaticApplicationContext;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * The application's lock registry is user code too: an {@link Error} from it ends Spring Integration's
 * election loop, which revokes the leadership as it ends and would never enter the election again.
 */
class SingletonElectionTests {

    private static final Duration HEARTBEAT = Duration.ofMillis(50);

    private static final Duration TIME_TO_LIVE = Duration.ofMillis(300);

    private final SupervisorEngine engine = SupervisorEngine.builder().build();

    private SingletonElections elections;

    @AfterEach
    void close() {
        if (this.elections != null) {
            this.elections.destroy();
        }
        this.engine.close();
    }

    private void start(LockRegistry<?> locks) {
        start(locks, new FakeLifecycle());
    }

    /** Enters the election and has the container start the singleton, without waiting for it to run. */
    private void start(LockRegistry<?> locks, FakeLifecycle gateway) {
        this.engine.open();
        this.engine.registerBean(
                "gateway",
                gateway,
                ServiceOptions.builder().singletonLock("lock.gateway").build());
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("election-");
        executor.setDaemon(true);
        this.elections = new SingletonElections(
                this.engine,
                later -> List.of(new SingletonElection(
                        "gateway",
                        "lock.gateway",
                        this.engine,
                        locks,
                        HEARTBEAT,
                        TIME_TO_LIVE,
                        Duration.ofSeconds(30),
                        executor,
                        new StaticApplicationContext(),
                        System::nanoTime,
                        later)),
                HEARTBEAT,
                TIME_TO_LIVE);
        this.elections.start();
        this.engine.startService("gateway");
    }

    @Test
    void anElectionEndedByAnErrorFromTheLockRegistryIsEnteredAgainAndTheSingletonRunsAgain() {
        AtomicInteger calls = new AtomicInteger();
        start(key -> new Hostile(() -> {
            if (calls.incrementAndGet() == 2) {
                // The first renewal: Spring Integration's loop catches exceptions, not errors.
                throw new LinkageError("the registry's driver is gone");
            }
        }));

        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> this.engine.service("gateway").orElseThrow().events().stream()
                                .filter(entry -> entry.type().value().equals("leadership-granted"))
                                .count()
                        == 2);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> state() == ServiceState.RUNNING);

        List<HistoryEntry> events = this.engine.service("gateway").orElseThrow().events();
        assertThat(events)
                .filteredOn(entry -> entry.type().value().equals("leadership-revoked"))
                .singleElement()
                .extracting(HistoryEntry::detail)
                .isEqualTo("lost");
        assertThat(this.engine.service("gateway").orElseThrow().failures()).isZero();
    }

    @Test
    void aRenewalThatThrowsReleasesTheLockOnlyOnceTheServiceIsDownHere() throws Exception {
        AtomicBoolean failNext = new AtomicBoolean();
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch stopping = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FakeLifecycle gateway = new FakeLifecycle();
        gateway.onStop = () -> {
            seen.add("stop begins");
            stopping.countDown();
            awaitQuietly(release);
            seen.add("stop ends");
        };
        start(
                key -> new Hostile(
                        () -> {
                            if (failNext.getAndSet(false)) {
                                // A renewal: the initiator releases the lock, then revokes.
                                throw new IllegalStateException("the store did not answer");
                            }
                        },
                        () -> seen.add("lock released")),
                gateway);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> state() == ServiceState.RUNNING);
        failNext.set(true);

        assertThat(stopping.await(5, TimeUnit.SECONDS)).isTrue();
        // The stop hangs: the lock stays held, however long, up to the stop-timeout.
        Awaitility.await()
                .during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(1))
                .until(() -> true);
        assertThat(seen).containsExactly("stop begins");

        release.countDown();

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("lock released"));
        assertThat(seen).startsWith("stop begins", "stop ends", "lock released");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void withoutSingletonsNoThreadIsStarted() {
        this.elections = new SingletonElections(this.engine, later -> List.of(), HEARTBEAT, TIME_TO_LIVE);

        this.elections.start();

        assertThat(this.elections.isRunning()).isTrue();
        assertThat(this.elections.isWatching()).isFalse();
    }

    private ServiceState state() {
        return this.engine.service("gateway").orElseThrow().state();
    }

    /**
     * A reentrant lock, always free, whose every acquisition first runs {@code before}, which may throw, and
     * whose release of the last hold runs {@code onUnlock}.
     */
    private static final class Hostile implements Lock {

        private final Runnable before;

        private final Runnable onUnlock;

        /** Acquisitions less releases; used by the election's thread only. */
        private int holds;

        Hostile(Runnable before) {
            this(before, () -> {});
        }

        Hostile(Runnable before, Runnable onUnlock) {
            this.before = before;
            this.onUnlock = onUnlock;
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) {
            this.before.run();
            this.holds++;
            return true;
        }

        @Override
        public boolean tryLock() {
            this.before.run();
            this.holds++;
            return true;
        }

        @Override
        public void lock() {
            this.before.run();
            this.holds++;
        }

        @Override
        public void lockInterruptibly() {
            this.before.run();
            this.holds++;
        }

        @Override
        public void unlock() {
            if (--this.holds == 0) {
                this.onUnlock.run();
            }
        }

        @Override
        public Condition newCondition() {
            throw new UnsupportedOperationException();
        }
    }
}
