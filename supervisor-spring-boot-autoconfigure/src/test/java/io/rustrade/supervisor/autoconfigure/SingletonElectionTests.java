package io.rustrade.supervisor.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.HistoryEntry;
import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.core.ServiceOptions;
import io.rustrade.supervisor.core.SupervisorEngine;
import io.rustrade.supervisor.testing.FakeLifecycle;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

    private ServiceState start(LockRegistry<?> locks) throws Exception {
        this.engine.open();
        this.engine.registerBean(
                "gateway",
                new FakeLifecycle(),
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
        this.engine.startService("gateway").get(5, TimeUnit.SECONDS);
        return this.engine.service("gateway").orElseThrow().state();
    }

    @Test
    void anElectionEndedByAnErrorFromTheLockRegistryIsEnteredAgainAndTheSingletonRunsAgain() throws Exception {
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
    void withoutSingletonsNoThreadIsStarted() {
        this.elections = new SingletonElections(this.engine, later -> List.of(), HEARTBEAT, TIME_TO_LIVE);

        this.elections.start();

        assertThat(this.elections.isRunning()).isTrue();
        assertThat(this.elections.isWatching()).isFalse();
    }

    private ServiceState state() {
        return this.engine.service("gateway").orElseThrow().state();
    }

    /** A lock whose every acquisition first runs {@code before}, which may throw. */
    private static final class Hostile implements Lock {

        private final Runnable before;

        Hostile(Runnable before) {
            this.before = before;
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) {
            this.before.run();
            return true;
        }

        @Override
        public boolean tryLock() {
            this.before.run();
            return true;
        }

        @Override
        public void lock() {
            this.before.run();
        }

        @Override
        public void lockInterruptibly() {
            this.before.run();
        }

        @Override
        public void unlock() {}

        @Override
        public Condition newCondition() {
            throw new UnsupportedOperationException();
        }
    }
}
