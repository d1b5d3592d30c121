package io.rustrade.supervisor.core;

import static io.rustrade.supervisor.ServiceState.CIRCUIT_OPEN;
import static io.rustrade.supervisor.ServiceState.RUNNING;
import static io.rustrade.supervisor.ServiceState.STANDBY;
import static io.rustrade.supervisor.ServiceState.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.rustrade.supervisor.CircuitOpenAction;
import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.testing.FakeLifecycle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A cluster singleton runs only while this instance leads it: {@code STANDBY} otherwise, started when
 * leadership is granted, stopped at once when it is revoked — never counted as a failure or a restart. An
 * operator's {@code yield}, and a circuit opening with {@code on-open: failover}, stop the service first and
 * hand the lock back after, so that the next leader never runs it beside this one. On virtual time, with the
 * elections' calls and the service's calls logged in one list.
 */
class LeadershipRulesTests {

    private static final String LOCK = "rustrade-supervisor.gateway";

    private final EngineFixture fixture = new EngineFixture();

    /** "start", "stop", "step-down PT1M" in the order they happened. */
    private final List<String> log = new ArrayList<>();

    private final FakeLifecycle gateway = new FakeLifecycle();

    @BeforeEach
    void logCalls() {
        this.gateway.onStart = () -> this.log.add("start");
        this.gateway.onStop = () -> this.log.add("stop");
        this.fixture.engine.useElections(
                (service, lock, outFor) -> this.log.add("step-down " + service + " " + lock + " " + outFor));
    }

    private static ServiceOptions.Builder singleton() {
        return EngineFixture.exact().singletonLock(LOCK);
    }

    private void startSingleton() {
        this.fixture.startBean("gateway", this.gateway, singleton().build());
    }

    private void grant() {
        this.fixture.engine.leadershipGranted("gateway");
        this.fixture.runUntilIdle();
    }

    private void revoke() {
        this.fixture.engine.leadershipRevoked("gateway", "lost");
        this.fixture.runUntilIdle();
    }

    /** A singleton whose circuit opens at its first failure, with failover: led, then failed once. */
    private void leadThenFailOver() {
        this.fixture.startBean(
                "gateway",
                this.gateway,
                EngineFixture.withBreaker(1, CircuitOpenAction.FAILOVER)
                        .singletonLock(LOCK)
                        .build());
        grant();
        this.fixture.engine.reportFailure("gateway", new IllegalStateException("login refused"));
        this.fixture.runUntilIdle();
    }

    private ServiceSnapshot snapshot() {
        return this.fixture.snapshot("gateway");
    }

    @Test
    void aSingletonStartedWithoutLeadershipStandsByAndIsNotCalled() {
        this.fixture.engine.registerBean("gateway", this.gateway, singleton().build());
        CompletableFuture<Void> started = this.fixture.engine.startService("gateway");
        this.fixture.runUntilIdle();

        assertThat(started)
                .as("the container's start returns: the context starts")
                .isDone();
        assertThat(snapshot().state()).isEqualTo(STANDBY);
        assertThat(this.gateway.calls).isEmpty();
        assertThat(snapshot().singleton())
                .isEqualTo(new ServiceSnapshot.Singleton(
                        LOCK, false, snapshot().singleton().since()));
    }

    @Test
    void leadershipGrantedStartsAStandingBySingletonWithoutCountingARestart() {
        startSingleton();

        grant();

        assertThat(snapshot().state()).isEqualTo(RUNNING);
        assertThat(this.log).containsExactly("start");
        assertThat(snapshot().restarts()).isZero();
        assertThat(snapshot().singleton().leader()).isTrue();
        assertThat(snapshot().singleton().since()).isEqualTo(this.fixture.scheduler.now());
        assertThat(this.fixture.events(SupervisionEvent.LeadershipGranted.class))
                .singleElement()
                .extracting(SupervisionEvent.LeadershipGranted::lock)
                .isEqualTo(LOCK);
    }

    @Test
    void leadershipRevokedStopsARunningSingletonAtOnceWithoutCountingAFailure() {
        startSingleton();
        grant();

        revoke();

        assertThat(snapshot().state()).isEqualTo(STANDBY);
        assertThat(this.log).containsExactly("start", "stop");
        assertThat(snapshot().failures()).isZero();
        assertThat(snapshot().attempt()).isZero();
        assertThat(snapshot().singleton().leader()).isFalse();
        assertThat(this.fixture.events(SupervisionEvent.LeadershipRevoked.class))
                .singleElement()
                .extracting(SupervisionEvent.LeadershipRevoked::reason)
                .isEqualTo("lost");
        assertThat(this.fixture.events(SupervisionEvent.Stopped.class)).hasSize(1);
    }

    @Test
    void leadershipGrantedAgainStartsItAgainAndStillCountsNoRestart() {
        startSingleton();
        grant();
        revoke();

        grant();

        assertThat(snapshot().state()).isEqualTo(RUNNING);
        assertThat(this.log).containsExactly("start", "stop", "start");
        assertThat(snapshot().restarts()).isZero();
    }

    @Test
    void leadershipGrantedBeforeTheContainerStartsItLetsTheContainersStartRunIt() {
        this.fixture.engine.registerBean("gateway", this.gateway, singleton().build());
        this.fixture.runUntilIdle();
        grant();
        assertThat(snapshot().state())
                .as("not started by the grant: nobody asked it to run yet")
                .isEqualTo(STOPPED);

        this.fixture.engine.startService("gateway");
        this.fixture.runUntilIdle();

        assertThat(snapshot().state()).isEqualTo(RUNNING);
        assertThat(this.log).containsExactly("start");
    }

    @Test
    void leadershipGrantedForANameNotRegisteredYetHoldsForTheServiceRegisteredUnderItLater() {
        grant();

        startSingleton();

        assertThat(snapshot().state()).isEqualTo(RUNNING);
        assertThat(snapshot().singleton().leader()).isTrue();
    }

    @Test
    void leadershipRevokedBeforeTheServiceIsRegisteredIsForgotten() {
        grant();
        revoke();

        startSingleton();

        assertThat(snapshot().state()).isEqualTo(STANDBY);
    }

    @Test
    void leadershipRevokedWhileItStartsStopsItOnceTheStartReturns() {
        this.gateway.onStart = () -> {
            this.log.add("start");
            this.fixture.engine.leadershipRevoked("gateway", "lost");
            this.fixture.scheduler.runControlTasks();
        };
        startSingleton();

        grant();

        assertThat(this.log).containsExactly("start", "stop");
        assertThat(snapshot().state()).isEqualTo(STANDBY);
        assertThat(snapshot().failures()).isZero();
    }

    @Test
    void leadershipRevokedWhileItBacksOffCancelsTheRestart() {
        startSingleton();
        grant();
        this.fixture.engine.reportFailure("gateway", new IllegalStateException("session dropped"));
        this.fixture.scheduler.runControlTasks();
        this.fixture.runUntilIdle();
        assertThat(snapshot().state()).isEqualTo(io.rustrade.supervisor.ServiceState.BACKING_OFF);

        revoke();
        this.fixture.advance(Duration.ofMinutes(5));

        assertThat(snapshot().state()).isEqualTo(STANDBY);
        assertThat(this.log).containsExactly("start", "stop");
        assertThat(snapshot().nextRestartAt()).isNull();
    }

    @Test
    void aStopThatHangsAfterLeadershipIsLostIsAbandonedAfterStopTimeoutAndTheSingletonStandsBy() {
        this.fixture.startBean(
                "gateway",
                this.gateway,
                singleton().stopTimeout(Duration.ofSeconds(2)).build());
        grant();
        List<String> whileStuck = new ArrayList<>();
        this.gateway.onStop = () -> {
            this.log.add("stop");
            this.fixture.advance(Duration.ofSeconds(2));
            whileStuck.add(snapshot().state().name());
        };

        revoke();

        assertThat(whileStuck)
                .as("within stop-timeout of the loss, it no longer counts as running here")
                .containsExactly("STANDBY");
        assertThat(this.fixture.events(SupervisionEvent.CallAbandoned.class)).hasSize(1);
    }

    @Test
    void anOperatorsStopOfAStandingBySingletonStopsItAndALaterGrantStartsNothing() {
        startSingleton();

        this.fixture.engine.stop("gateway");
        this.fixture.runUntilIdle();
        grant();

        assertThat(snapshot().state()).isEqualTo(STOPPED);
        assertThat(this.gateway.calls).isEmpty();
    }

    @Test
    void anOperatorsStartOfAStoppedSingletonWithoutLeadershipStandsBy() {
        startSingleton();
        this.fixture.engine.stop("gateway");
        this.fixture.runUntilIdle();

        this.fixture.engine.start("gateway");
        this.fixture.runUntilIdle();

        assertThat(snapshot().state()).isEqualTo(STANDBY);
        grant();
        assertThat(snapshot().state()).isEqualTo(RUNNING);
    }

    @Test
    void yieldStopsTheServiceFirstAndHandsTheLockBackAfter() throws Exception {
        startSingleton();
        grant();

        CompletableFuture<Boolean> yielded = this.fixture.engine.yieldLeadership("gateway");
        this.fixture.runUntilIdle();

        assertThat(yielded.get()).isTrue();
        assertThat(this.log).containsExactly("start", "stop", "step-down gateway " + LOCK + " PT0S");
        assertThat(snapshot().state()).isEqualTo(STANDBY);
        assertThat(snapshot().singleton().leader()).isFalse();
        assertThat(this.fixture.events(SupervisionEvent.LeadershipRevoked.class))
                .singleElement()
                .extracting(SupervisionEvent.LeadershipRevoked::reason)
                .isEqualTo("yielded");
    }

    @Test
    void theElectionsRevokeThatFollowsAYieldChangesNothingMore() {
        startSingleton();
        grant();
        this.fixture.engine.yieldLeadership("gateway");
        this.fixture.runUntilIdle();

        revoke();

        assertThat(this.fixture.events(SupervisionEvent.LeadershipRevoked.class))
                .hasSize(1);
        assertThat(snapshot().state()).isEqualTo(STANDBY);
    }

    @Test
    void yieldIsRefusedForASingletonNotLedHereAndForAServiceThatIsNoSingleton() throws Exception {
        startSingleton();
        this.fixture.startBean(
                "feed", new FakeLifecycle(), EngineFixture.exact().build());

        CompletableFuture<Boolean> notLeader = this.fixture.engine.yieldLeadership("gateway");
        CompletableFuture<Boolean> noSingleton = this.fixture.engine.yieldLeadership("feed");
        this.fixture.runUntilIdle();

        assertThat(notLeader.get()).isFalse();
        assertThat(noSingleton.get()).isFalse();
        assertThat(this.log).isEmpty();
    }

    @Test
    void aCircuitOpeningWithFailoverStopsTheServiceAndHandsTheLockBackForTheOpenDuration() {
        leadThenFailOver();

        assertThat(snapshot().state()).isEqualTo(CIRCUIT_OPEN);
        assertThat(this.log).containsExactly("start", "stop", "step-down gateway " + LOCK + " PT1M");
        assertThat(snapshot().singleton().leader()).isFalse();
        assertThat(snapshot().nextRestartAt())
                .isEqualTo(this.fixture.scheduler.now().plus(Duration.ofMinutes(1)));
        assertThat(this.fixture.events(SupervisionEvent.LeadershipRevoked.class))
                .singleElement()
                .extracting(SupervisionEvent.LeadershipRevoked::reason)
                .isEqualTo("failover");
    }

    @Test
    void afterTheFailoversOpenDurationTheCircuitClosesAndTheInstanceStandsByAsACandidate() {
        leadThenFailOver();

        this.fixture.advance(Duration.ofSeconds(59));
        assertThat(snapshot().state()).isEqualTo(CIRCUIT_OPEN);
        this.fixture.advance(Duration.ofSeconds(1));

        assertThat(snapshot().state()).isEqualTo(STANDBY);
        assertThat(snapshot().circuit()).isEqualTo(io.rustrade.supervisor.CircuitState.CLOSED);
        assertThat(snapshot().recentFailures()).as("a fresh candidate").isZero();
        grant();
        assertThat(snapshot().state()).isEqualTo(RUNNING);
    }

    @Test
    void aGrantThatComesBackDuringTheFailoversOpenDurationStartsNothingUntilItEnds() {
        leadThenFailOver();

        grant();
        assertThat(snapshot().state()).isEqualTo(CIRCUIT_OPEN);
        this.fixture.advance(Duration.ofMinutes(1));

        assertThat(snapshot().state()).isEqualTo(RUNNING);
        assertThat(this.log).containsExactly("start", "stop", "step-down gateway " + LOCK + " PT1M", "start");
    }

    @Test
    void failoverIsBadConfigurationForAServiceThatIsNoSingleton() {
        assertThatExceptionOfType(InvalidSettingException.class)
                .isThrownBy(() ->
                        EngineFixture.withBreaker(1, CircuitOpenAction.FAILOVER).build())
                .satisfies(ex -> assertThat(ex.getSetting()).isEqualTo("circuit-breaker.on-open"))
                .withMessage("'circuit-breaker.on-open' may be failover only for a singleton service"
                        + " (services.<name>.singleton: true) but was failover");
    }

    @Test
    void aBlankLockIsRefused() {
        assertThatExceptionOfType(InvalidSettingException.class)
                .isThrownBy(() -> ServiceOptions.builder().singletonLock(" "))
                .satisfies(ex -> assertThat(ex.getSetting()).isEqualTo("singleton"));
    }

    @Test
    void suspendingSupervisionStopsAStandingBySingletonSoThatALateGrantStartsNothing() {
        startSingleton();

        this.fixture.engine.suspend();
        this.fixture.runUntilIdle();
        grant();

        assertThat(snapshot().state()).isEqualTo(STOPPED);
        assertThat(this.gateway.calls).isEmpty();
    }

    @Test
    void aServiceThatIsNoSingletonIgnoresLeadershipAndShowsNone() {
        this.fixture.startBean(
                "feed", new FakeLifecycle(), EngineFixture.exact().build());

        this.fixture.engine.leadershipRevoked("feed", "lost");
        this.fixture.runUntilIdle();

        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
        assertThat(this.fixture.snapshot("feed").singleton()).isNull();
        assertThat(this.fixture.events(SupervisionEvent.LeadershipRevoked.class))
                .isEmpty();
    }

    @Test
    void aServiceThatIsNoSingletonIgnoresAGrantToo() {
        this.fixture.startBean(
                "feed", new FakeLifecycle(), EngineFixture.exact().build());

        this.fixture.engine.leadershipGranted("feed");
        this.fixture.runUntilIdle();

        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
        assertThat(this.fixture.events(SupervisionEvent.LeadershipGranted.class))
                .isEmpty();
    }

    @Test
    void aSecondGrantWhileLeadingChangesNothing() {
        startSingleton();
        grant();
        java.time.Instant since = snapshot().singleton().since();
        this.fixture.advance(Duration.ofSeconds(1));

        grant();

        assertThat(this.fixture.events(SupervisionEvent.LeadershipGranted.class))
                .hasSize(1);
        assertThat(snapshot().singleton().since()).isEqualTo(since);
        assertThat(this.log).containsExactly("start");
    }

    @Test
    void aGrantWhileTheStopOfALostLeadershipIsUnderWayStartsItAgainOnceStopped() {
        startSingleton();
        grant();
        this.gateway.onStop = () -> {
            this.log.add("stop");
            this.fixture.engine.leadershipGranted("gateway");
            this.fixture.scheduler.runControlTasks();
        };

        revoke();

        assertThat(this.log).containsExactly("start", "stop", "start");
        assertThat(snapshot().state()).isEqualTo(RUNNING);
        assertThat(snapshot().restarts()).isZero();
        assertThat(snapshot().singleton().leader()).isTrue();
    }

    @Test
    void yieldOfALeaderThatIsStoppedHandsTheLockBackAtOnceAndLeavesItStopped() throws Exception {
        startSingleton();
        grant();
        this.fixture.engine.stop("gateway");
        this.fixture.runUntilIdle();

        CompletableFuture<Boolean> yielded = this.fixture.engine.yieldLeadership("gateway");
        this.fixture.runUntilIdle();

        assertThat(yielded.get()).isTrue();
        assertThat(this.log).containsExactly("start", "stop", "step-down gateway " + LOCK + " PT0S");
        assertThat(snapshot().state()).isEqualTo(STOPPED);
        grant();
        assertThat(snapshot().state())
                .as("stopped by an operator: a grant starts nothing")
                .isEqualTo(STOPPED);
    }

    @Test
    void aSecondYieldWhileTheFirstIsStoppingTheServiceIsRefusedAndTheLockIsHandedBackOnce() throws Exception {
        startSingleton();
        grant();
        List<Boolean> second = new ArrayList<>();
        this.gateway.onStop = () -> {
            this.log.add("stop");
            CompletableFuture<Boolean> again = this.fixture.engine.yieldLeadership("gateway");
            this.fixture.scheduler.runControlTasks();
            second.add(again.getNow(null));
        };

        this.fixture.engine.yieldLeadership("gateway");
        this.fixture.runUntilIdle();

        assertThat(second).containsExactly(false);
        assertThat(this.log).containsExactly("start", "stop", "step-down gateway " + LOCK + " PT0S");
    }

    @Test
    void leadershipLostWhileAYieldStopsTheServiceIsToldOnceAndTheLockIsStillHandedBack() {
        startSingleton();
        grant();
        this.gateway.onStop = () -> {
            this.log.add("stop");
            this.fixture.engine.leadershipRevoked("gateway", "lost");
            this.fixture.scheduler.runControlTasks();
        };

        this.fixture.engine.yieldLeadership("gateway");
        this.fixture.runUntilIdle();

        assertThat(this.log).containsExactly("start", "stop", "step-down gateway " + LOCK + " PT0S");
        assertThat(this.fixture.events(SupervisionEvent.LeadershipRevoked.class))
                .extracting(SupervisionEvent.LeadershipRevoked::reason)
                .containsExactly("lost");
        assertThat(snapshot().state()).isEqualTo(STANDBY);
    }
}
