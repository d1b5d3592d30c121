package io.rustrade.supervisor.cluster;

import static io.rustrade.supervisor.ServiceState.CIRCUIT_OPEN;
import static io.rustrade.supervisor.ServiceState.RUNNING;
import static io.rustrade.supervisor.ServiceState.STANDBY;
import static io.rustrade.supervisor.cluster.ClusterInstances.awaitState;
import static io.rustrade.supervisor.cluster.ClusterInstances.gateway;
import static io.rustrade.supervisor.cluster.ClusterInstances.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.Supervisor;
import io.rustrade.supervisor.event.LeadershipGrantedEvent;
import io.rustrade.supervisor.event.LeadershipRevokedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances of one application on one real PostgreSQL, each with the singleton {@code orderGateway}:
 * exactly one runs it, the other stands by, and it moves to the other when the leader closes, yields, fails
 * too often, or loses its store — never running on both at once.
 */
class ClusterSingletonTests {

    private static final Duration HEARTBEAT = Duration.ofMillis(100);

    private static final Duration TAKEOVER = ClusterInstances.TAKEOVER;

    private static LockDatabase database;

    private ClusterInstances cluster;

    /** Each test elects on its own lock, so that no lock left by an earlier test's instance matters. */
    private String lockPrefix;

    @BeforeAll
    static void startDatabase() {
        database = LockDatabase.start();
    }

    @AfterAll
    static void stopDatabase() {
        database.close();
    }

    @BeforeEach
    void newCluster() {
        this.cluster = new ClusterInstances(database, HEARTBEAT);
        this.lockPrefix = this.cluster.lockPrefix;
    }

    @AfterEach
    void closeInstances() {
        this.cluster.close();
    }

    private ConfigurableApplicationContext start(String instance, String... properties) {
        return this.cluster.start(instance, properties);
    }

    private ConfigurableApplicationContext startOn(String jdbcUrl, String instance, String... properties) {
        return this.cluster.startOn(jdbcUrl, instance, properties);
    }

    @Test
    void twoInstancesRunTheSingletonOnExactlyOneAndTheOtherStandsBy() {
        ConfigurableApplicationContext first = start("a");
        awaitState(first, RUNNING);
        ConfigurableApplicationContext second = start("b");

        // Long enough for many of the second's attempts on the lock.
        Awaitility.await()
                .during(Duration.ofMillis(10 * HEARTBEAT.toMillis()))
                .atMost(TAKEOVER)
                .until(() -> state(first) == RUNNING && state(second) == STANDBY);

        assertThat(gateway(first).singleton().leader()).isTrue();
        assertThat(gateway(first).singleton().lock()).isEqualTo(this.lockPrefix + "orderGateway");
        assertThat(gateway(second).singleton().leader()).isFalse();
        assertThat(gateway(second).failures()).isZero();
        assertThat(ClusterTestApplication.MOST_AT_ONCE).hasValue(1);
    }

    @Test
    void closingTheLeaderHandsTheSingletonToTheOtherInstance() {
        ConfigurableApplicationContext first = start("a");
        awaitState(first, RUNNING);
        ConfigurableApplicationContext second = start("b");
        awaitState(second, STANDBY);

        first.close();

        awaitState(second, RUNNING);
        assertThat(gateway(second).singleton().leader()).isTrue();
        assertThat(gateway(second).restarts()).as("a takeover is no restart").isZero();
        assertThat(ClusterTestApplication.MOST_AT_ONCE)
                .as("stopped on the first before the second started it")
                .hasValue(1);
    }

    @Test
    void yieldStopsTheSingletonHereAndTheOtherInstanceTakesIt() throws Exception {
        ConfigurableApplicationContext first = start("a");
        awaitState(first, RUNNING);
        ConfigurableApplicationContext second = start("b");
        awaitState(second, STANDBY);
        List<String> heard = new CopyOnWriteArrayList<>();
        first.addApplicationListener(
                (ApplicationListener<LeadershipRevokedEvent>) event -> heard.add("revoked " + event.getReason()));
        second.addApplicationListener(
                (ApplicationListener<LeadershipGrantedEvent>) event -> heard.add("granted " + event.getLock()));

        assertThat(first.getBean(Supervisor.class)
                        .yieldLeadership("orderGateway")
                        .get())
                .isTrue();

        awaitState(second, RUNNING);
        awaitState(first, STANDBY);
        Awaitility.await().atMost(TAKEOVER).until(() -> heard.size() == 2);
        assertThat(heard).containsExactly("revoked yielded", "granted " + this.lockPrefix + "orderGateway");
        assertThat(ClusterTestApplication.MOST_AT_ONCE).hasValue(1);
    }

    @Test
    void aSingletonWhoseCircuitOpensWithFailoverMovesToTheOtherInstance() {
        String[] failover = {
            "rustrade.supervisor.services.orderGateway.circuit-breaker.max-failures=2",
            "rustrade.supervisor.services.orderGateway.circuit-breaker.on-open=failover",
            "rustrade.supervisor.services.orderGateway.circuit-breaker.open-duration=1m",
            "rustrade.supervisor.services.orderGateway.backoff.base-delay=10ms"
        };
        // The first instance's venue refuses its logins: it leads, fails twice, and gives the lead up.
        ConfigurableApplicationContext first = start("a", concat(failover, "test.fail-starts=true"));
        awaitState(first, CIRCUIT_OPEN);
        ConfigurableApplicationContext second = start("b", failover);

        awaitState(second, RUNNING);

        assertThat(state(first)).isEqualTo(CIRCUIT_OPEN);
        assertThat(gateway(first).singleton().leader()).isFalse();
        assertThat(gateway(first).failures()).isEqualTo(2);
        assertThat(gateway(second).singleton().leader()).isTrue();
    }

    @Test
    void aLeaderWhoseStoreStopsAnsweringStopsTheSingletonBeforeItsLockCanExpire() {
        // The lock expires 1s after its last renewal: the leader must stop the gateway within 1s less two
        // heartbeats of it, whatever the hanging renewal call does.
        String[] shortLock = {"test.lock-time-to-live=1s", "rustrade.supervisor.cluster.lock-time-to-live=1s"};
        ConfigurableApplicationContext first = start("a", shortLock);
        awaitState(first, RUNNING);
        ClusterTestApplication.FreezableLockRegistry store =
                first.getBean(ClusterTestApplication.FreezableLockRegistry.class);
        List<String> reasons = new CopyOnWriteArrayList<>();
        first.addApplicationListener(
                (ApplicationListener<LeadershipRevokedEvent>) event -> reasons.add(event.getReason()));

        long frozenAt = System.nanoTime();
        store.freeze();
        awaitState(first, STANDBY);
        Duration stoppedAfter = Duration.ofNanos(System.nanoTime() - frozenAt);

        assertThat(stoppedAfter).isLessThan(Duration.ofSeconds(1));
        assertThat(reasons).containsExactly("renewal overdue");
        assertThat(gateway(first).failures()).isZero();

        // The store answers again and the lock was not taken meanwhile: this instance still holds it.
        store.thaw();
        awaitState(first, RUNNING);
        assertThat(gateway(first).singleton().leader()).isTrue();
    }

    @Test
    void aLeaderCutOffFromItsStoreStopsBeforeTheOtherTakesOverAndStaysStoppedWhenTheStoreComesBack() {
        String[] shortLock = {"test.lock-time-to-live=1s", "rustrade.supervisor.cluster.lock-time-to-live=1s"};
        ConfigurableApplicationContext first = start("a", shortLock);
        awaitState(first, RUNNING);
        ConfigurableApplicationContext second = start("b", shortLock);
        awaitState(second, STANDBY);

        // Only the first's calls hang: the second still reaches the database, and takes the lock once the
        // first's expires.
        first.getBean(ClusterTestApplication.FreezableLockRegistry.class).freeze();
        awaitState(second, RUNNING);
        assertThat(state(first)).isEqualTo(STANDBY);

        first.getBean(ClusterTestApplication.FreezableLockRegistry.class).thaw();
        // The first's renewal fails now (the lock is the second's): it stays out, for many heartbeats.
        Awaitility.await()
                .during(Duration.ofMillis(10 * HEARTBEAT.toMillis()))
                .atMost(TAKEOVER)
                .until(() -> state(first) == STANDBY && state(second) == RUNNING);
        assertThat(gateway(first).singleton().leader()).isFalse();
        assertThat(ClusterTestApplication.MOST_AT_ONCE)
                .as("never on both at once")
                .hasValue(1);
    }

    @Test
    void aLeaderWhoseDatabaseGoesDownStopsTheSingleton() {
        try (LockDatabase own = LockDatabase.start()) {
            ConfigurableApplicationContext first = startOn(own.jdbcUrl(), "a");
            awaitState(first, RUNNING);

            own.close();

            awaitState(first, STANDBY);
            assertThat(gateway(first).singleton().leader()).isFalse();
            assertThat(gateway(first).failures()).isZero();
            assertThat(ClusterTestApplication.RUNNING_NOW).hasValue(0);
        }
    }

    private static String[] concat(String[] values, String... more) {
        List<String> all = new ArrayList<>(List.of(values));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
