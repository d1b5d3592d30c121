package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.CircuitOpenAction;
import io.rustrade.supervisor.GroupStrategy;
import io.rustrade.supervisor.RestartPolicy;
import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.testing.FakeLifecycle;
import io.rustrade.supervisor.testing.HistoryTypes;
import io.rustrade.supervisor.testing.HostileExceptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Services tied together (groups, {@code restart-dependents}) go down with the service they depend on and
 * come back after it: stopped last first, each stop after the one before; {@code WAITING} meanwhile, with
 * nothing counted; started again in order, each once the one before runs, each counted as a restart. On
 * virtual time, with every call into the services logged in one list.
 */
class GroupRulesTests {

    private final EngineFixture fixture = new EngineFixture();

    /** "A.start", "B.stop", ... across all services, in the order the calls were made. */
    private final List<String> log = new CopyOnWriteArrayList<>();

    private final Map<String, FakeLifecycle> beans = new LinkedHashMap<>();

    private FakeLifecycle bean(String name) {
        FakeLifecycle bean = new FakeLifecycle();
        bean.onStart = () -> this.log.add(name + ".start");
        bean.onStop = () -> this.log.add(name + ".stop");
        this.beans.put(name, bean);
        return bean;
    }

    /** Registers beans A, B, C (exact 100 ms backoff) under the topology, and has the container start them in order. */
    private void start(ServiceTopology topology, ServiceOptions options, String... names) {
        this.fixture.engine.useTopology(topology);
        for (String name : names) {
            this.fixture.startBean(name, bean(name), options);
        }
        this.log.clear();
    }

    private void start(ServiceTopology topology, String... names) {
        start(topology, EngineFixture.exact().build(), names);
    }

    private static ServiceTopology group(GroupStrategy strategy, String... members) {
        return ServiceTopology.builder()
                .group("trading", strategy, List.of(members))
                .build();
    }

    private void fail(String name) {
        this.fixture.engine.reportFailure(name, new IllegalStateException(name + " lost its socket"));
        this.fixture.runUntilIdle();
    }

    private ServiceSnapshot snapshot(String name) {
        return this.fixture.snapshot(name);
    }

    private String stateOf(String name) {
        ServiceSnapshot snapshot = snapshot(name);
        return name + "=" + snapshot.state()
                + ((snapshot.waitingFor() != null) ? "(" + snapshot.waitingFor() + ")" : "");
    }

    private List<String> states(String... names) {
        return java.util.Arrays.stream(names).map(this::stateOf).toList();
    }

    @Test
    void restForOneStopsTheLaterMembersLastFirstAndStartsThemAgainInOrder() {
        start(group(GroupStrategy.REST_FOR_ONE, "A", "B", "C"), "A", "B", "C");

        fail("A");

        assertThat(this.log)
                .as("dependents first, last first; A's own clean-up stop after theirs")
                .containsExactly("C.stop", "B.stop", "A.stop");
        assertThat(states("A", "B", "C")).containsExactly("A=BACKING_OFF", "B=WAITING(A)", "C=WAITING(A)");

        this.log.clear();
        this.fixture.advance(Duration.ofMillis(100));

        assertThat(this.log).containsExactly("A.start", "B.start", "C.start");
        assertThat(states("A", "B", "C")).containsExactly("A=RUNNING", "B=RUNNING", "C=RUNNING");
        assertThat(List.of(
                        snapshot("A").restarts(),
                        snapshot("B").restarts(),
                        snapshot("C").restarts()))
                .containsExactly(1L, 1L, 1L);
    }

    @Test
    void restForOneLeavesTheMembersBeforeTheFailedOneAlone() {
        start(group(GroupStrategy.REST_FOR_ONE, "A", "B", "C"), "A", "B", "C");

        fail("B");
        this.fixture.advance(Duration.ofMillis(100));

        assertThat(this.log).doesNotContain("A.stop", "A.start");
        assertThat(this.log).containsSubsequence("C.stop", "B.start", "C.start");
        assertThat(states("A", "B", "C")).containsExactly("A=RUNNING", "B=RUNNING", "C=RUNNING");
    }

    @Test
    void eachStopOfTheServicesTakenDownBeginsOnceTheOneBeforeItIsDone() {
        start(group(GroupStrategy.REST_FOR_ONE, "A", "B", "C"), "A", "B", "C");
        FakeLifecycle b = this.beans.get("B");
        FakeLifecycle c = this.beans.get("C");
        List<String> seenByB = new CopyOnWriteArrayList<>();
        b.onStop = () -> seenByB.add("C running=" + c.running + ", C state=" + this.fixture.state("C"));
        this.fixture.engine.reportFailure("A", new IllegalStateException("lost"));
        this.fixture.scheduler.runControlTasks();

        assertThat(states("B", "C")).containsExactly("B=STOPPING(A)", "C=STOPPING(A)");

        this.fixture.runUntilIdle();

        assertThat(seenByB).containsExactly("C running=false, C state=WAITING");
    }

    @Test
    void nothingIsCountedForTheServicesThatWait() {
        start(group(GroupStrategy.REST_FOR_ONE, "A", "B"), "A", "B");

        fail("A");

        ServiceSnapshot waiting = snapshot("B");
        assertThat(waiting.state()).isEqualTo(ServiceState.WAITING);
        assertThat(List.of(waiting.attempt(), waiting.recentFailures())).containsExactly(0, 0);
        assertThat(waiting.failures()).isZero();
        assertThat(waiting.restarts()).isZero();
        assertThat(waiting.lastFailure()).isNull();
        assertThat(this.fixture.engine.activeServices())
                .as("A backing off; B waiting is not active")
                .isEqualTo(1);
        assertThat(this.fixture.events(SupervisionEvent.Waiting.class))
                .extracting(SupervisionEvent.Waiting::service, SupervisionEvent.Waiting::waitingFor)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("B", "A"));
        assertThat(waiting.events()).extracting(HistoryTypes::typeOf).contains("waiting");
    }

    @Test
    void oneForAllStopsEveryOtherMemberAndStartsTheGroupFromItsFirstMember() {
        start(group(GroupStrategy.ONE_FOR_ALL, "A", "B", "C"), "A", "B", "C");

        fail("B");

        assertThat(this.log)
                .as("the other members last first, then B's own clean-up stop")
                .containsExactly("C.stop", "A.stop", "B.stop");
        assertThat(states("A", "B", "C")).containsExactly("A=WAITING(B)", "B=BACKING_OFF", "C=WAITING(B)");

        this.log.clear();
        this.fixture.advance(Duration.ofMillis(100));

        assertThat(this.log).containsExactly("A.start", "B.start", "C.start");
        assertThat(states("A", "B", "C")).containsExactly("A=RUNNING", "B=RUNNING", "C=RUNNING");
        assertThat(List.of(
                        snapshot("A").restarts(),
                        snapshot("B").restarts(),
                        snapshot("C").restarts()))
                .as("each start counted once")
                .containsExactly(1L, 1L, 1L);
        assertThat(snapshot("B").events())
                .filteredOn(event -> event.type().value().equals("restarting"))
                .extracting(io.rustrade.supervisor.HistoryEntry::detail)
                .containsExactly("backoff");
    }

    @Test
    void theRestartDependentsTakeTheBeanGraphDownDependentsFirstAndBringItBackDependenciesFirst() {
        ServiceTopology topology = ServiceTopology.builder()
                .dependsOn("engine", List.of("feed"))
                .dependsOn("gateway", List.of("engine"))
                .restartDependents("feed")
                .build();
        start(topology, "feed", "engine", "gateway");

        fail("feed");

        assertThat(this.log).containsExactly("gateway.stop", "engine.stop", "feed.stop");
        assertThat(states("feed", "engine", "gateway"))
                .containsExactly("feed=BACKING_OFF", "engine=WAITING(feed)", "gateway=WAITING(feed)");

        this.log.clear();
        this.fixture.advance(Duration.ofMillis(100));

        assertThat(this.log).containsExactly("feed.start", "engine.start", "gateway.start");
    }

    @Test
    void withoutRestartDependentsADependencyFailsAlone() {
        ServiceTopology topology =
                ServiceTopology.builder().dependsOn("engine", List.of("feed")).build();
        start(topology, "feed", "engine");

        fail("feed");

        assertThat(states("feed", "engine")).containsExactly("feed=BACKING_OFF", "engine=RUNNING");
        assertThat(this.log).doesNotContain("engine.stop");
    }

    @Test
    void theWaitingServicesStayWaitingWhileTheCircuitOfTheirDependencyIsOpenAndComeBackAfterItsReset() {
        start(
                group(GroupStrategy.REST_FOR_ONE, "A", "B"),
                EngineFixture.withBreaker(1, CircuitOpenAction.STOP).build(),
                "A",
                "B");

        fail("A");
        this.fixture.advance(Duration.ofHours(1));

        assertThat(states("A", "B")).containsExactly("A=CIRCUIT_OPEN", "B=WAITING(A)");

        this.log.clear();
        this.fixture.engine.reset("A");
        this.fixture.runUntilIdle();

        assertThat(this.log).containsExactly("A.start", "B.start");
        assertThat(states("A", "B")).containsExactly("A=RUNNING", "B=RUNNING");
    }

    @Test
    void aWaitingServiceThatFailsToStartAgainBacksOffOnItsOwnAndTheLaterOnesWaitForIt() {
        start(group(GroupStrategy.REST_FOR_ONE, "A", "B", "C"), "A", "B", "C");
        fail("A");
        this.beans.get("B").failStarts(new IllegalStateException("B refused"));

        this.fixture.advance(Duration.ofMillis(100));

        assertThat(states("A", "B", "C")).containsExactly("A=RUNNING", "B=BACKING_OFF", "C=WAITING(B)");
        assertThat(snapshot("B").failures()).isEqualTo(1);
        assertThat(snapshot("C").failures()).isZero();

        this.log.clear();
        this.fixture.advance(Duration.ofMillis(100));

        assertThat(this.log).containsExactly("B.start", "C.start");
        assertThat(states("A", "B", "C")).containsExactly("A=RUNNING", "B=RUNNING", "C=RUNNING");
    }

    @Test
    void aStopOfAWaitingServiceKeepsItDownWhenTheOthersComeBack() {
        start(group(GroupStrategy.REST_FOR_ONE, "A", "B", "C"), "A", "B", "C");
        fail("A");

        this.fixture.engine.stop("B");
        this.fixture.runUntilIdle();
        this.log.clear();
        this.fixture.advance(Duration.ofMillis(100));

        assertThat(this.log).containsExactly("A.start");
        assertThat(states("A", "B", "C")).containsExactly("A=RUNNING", "B=STOPPED", "C=WAITING(B)");
    }

    @Test
    void startAndRestartOfAWaitingServiceChangeNothing() {
        start(group(GroupStrategy.REST_FOR_ONE, "A", "B"), "A", "B");
        fail("A");
        this.log.clear();

        this.fixture.engine.start("B");
        this.fixture.engine.restart("B");
        this.fixture.runUntilIdle();

        assertThat(this.log).isEmpty();
        assertThat(stateOf("B")).isEqualTo("B=WAITING(A)");
    }

    @Test
    void aResetOfAWaitingServiceClearsItsHistoryAndLeavesItWaiting() {
        start(group(GroupStrategy.REST_FOR_ONE, "A", "B"), "A", "B");
        fail("B");
        this.fixture.advance(Duration.ofMillis(100));
        fail("A");
        assertThat(snapshot("B").failures()).isEqualTo(1);

        this.fixture.engine.reset("B");
        this.fixture.runUntilIdle();

        assertThat(stateOf("B")).isEqualTo("B=WAITING(A)");
        assertThat(snapshot("B").attempt()).isZero();
    }

    @Test
    void anOperatorsRestartStopsTheDependentsFirstAndStartsThemAfterIt() {
        start(group(GroupStrategy.REST_FOR_ONE, "A", "B"), "A", "B");

        this.fixture.engine.restart("A");
        this.fixture.runUntilIdle();

        assertThat(this.log).containsExactly("B.stop", "A.stop", "A.start", "B.start");
        assertThat(states("A", "B")).containsExactly("A=RUNNING", "B=RUNNING");
        assertThat(List.of(snapshot("A").failures(), snapshot("B").failures())).containsExactly(0L, 0L);
        assertThat(List.of(snapshot("A").restarts(), snapshot("B").restarts())).containsExactly(1L, 1L);
    }

    @Test
    void anOperatorsStopStopsTheDependentsFirstAndItsStartBringsThemBack() {
        start(group(GroupStrategy.REST_FOR_ONE, "A", "B"), "A", "B");

        this.fixture.engine.stop("A");
        this.fixture.runUntilIdle();

        assertThat(this.log).containsExactly("B.stop", "A.stop");
        assertThat(states("A", "B")).containsExactly("A=STOPPED", "B=WAITING(A)");

        this.log.clear();
        this.fixture.engine.start("A");
        this.fixture.runUntilIdle();

        assertThat(this.log).containsExactly("A.start", "B.start");
        assertThat(states("A", "B")).containsExactly("A=RUNNING", "B=RUNNING");
    }

    @Test
    void aServiceStartedByAnOperatorWaitsWhileAServiceBeforeItIsDown() {
        start(group(GroupStrategy.REST_FOR_ONE, "A", "B"), "A", "B");
        this.fixture.engine.stop("B");
        this.fixture.runUntilIdle();
        fail("A");
        this.log.clear();

        this.fixture.engine.start("B");
        this.fixture.runUntilIdle();

        assertThat(this.log).isEmpty();
        assertThat(stateOf("B")).isEqualTo("B=WAITING(A)");

        this.fixture.advance(Duration.ofMillis(100));

        assertThat(this.log).containsExactly("A.start", "B.start");
    }

    @Test
    void nothingRestartsOnceSupervisionIsSuspended() {
        start(group(GroupStrategy.REST_FOR_ONE, "A", "B"), "A", "B");
        fail("A");

        this.fixture.engine.suspend();
        this.fixture.runUntilIdle();
        this.log.clear();
        this.fixture.advance(Duration.ofMinutes(1));

        assertThat(this.log).isEmpty();

        this.fixture.engine.stopService("B");
        this.fixture.engine.stopService("A");
        this.fixture.runUntilIdle();

        assertThat(states("A", "B")).containsExactly("A=STOPPED", "B=STOPPED");
    }

    @Test
    void aCloseWhileTheServicesAreBeingTakenDownStopsEveryOneWithoutWaitingForTheChain() {
        start(group(GroupStrategy.REST_FOR_ONE, "A", "B", "C"), "A", "B", "C");
        this.fixture.engine.reportFailure("A", new IllegalStateException("lost"));
        this.fixture.scheduler.runControlTasks();
        assertThat(states("B", "C")).containsExactly("B=STOPPING(A)", "C=STOPPING(A)");

        // The container stops its beans, dependents first, while C's stop (and B's after it) are still to come.
        this.fixture.engine.suspend();
        java.util.concurrent.CompletableFuture<Void> stoppedB = this.fixture.engine.stopService("B");
        java.util.concurrent.CompletableFuture<Void> stoppedC = this.fixture.engine.stopService("C");
        java.util.concurrent.CompletableFuture<Void> stoppedA = this.fixture.engine.stopService("A");
        this.fixture.runUntilIdle();

        assertThat(List.of(stoppedA.isDone(), stoppedB.isDone(), stoppedC.isDone()))
                .containsOnly(true);
        assertThat(states("A", "B", "C")).containsExactly("A=STOPPED", "B=STOPPED", "C=STOPPED");
        assertThat(this.beans.values())
                .allSatisfy(bean -> assertThat(bean.running).isFalse());
        this.fixture.advance(Duration.ofMinutes(1));
        assertThat(this.log).doesNotContain("A.start", "B.start", "C.start");
    }

    @Test
    void aCloseWhileTheServicesComeBackLeavesTheRestWaitingAndThenStopsThem() {
        start(group(GroupStrategy.REST_FOR_ONE, "A", "B", "C"), "A", "B", "C");
        fail("A");
        this.log.clear();
        FakeLifecycle b = this.beans.get("B");
        b.onStart = () -> {
            this.log.add("B.start");
            // The context begins to close while B starts again after A.
            this.fixture.engine.suspend();
        };

        this.fixture.advance(Duration.ofMillis(100));

        assertThat(this.log).containsExactly("A.start", "B.start");
        assertThat(stateOf("C")).isEqualTo("C=WAITING(B)");

        this.fixture.engine.stopService("C");
        this.fixture.engine.stopService("B");
        this.fixture.engine.stopService("A");
        this.fixture.runUntilIdle();

        assertThat(states("A", "B", "C")).containsExactly("A=STOPPED", "B=STOPPED", "C=STOPPED");
        assertThat(this.beans.values())
                .allSatisfy(bean -> assertThat(bean.running).isFalse());
    }

    @Test
    void aStopThatHangsInTheChainIsAbandonedAfterItsStopTimeoutAndTheNextStopBegins() {
        start(
                group(GroupStrategy.REST_FOR_ONE, "A", "B", "C"),
                // A comes back only after the chain is down: 10s of backoff.
                EngineFixture.exact()
                        .backoff(BackoffPolicy.builder()
                                .jitter(io.rustrade.supervisor.Jitter.NONE)
                                .baseDelay(Duration.ofSeconds(10))
                                .build())
                        .stopTimeout(Duration.ofSeconds(2))
                        .build(),
                "A",
                "B",
                "C");
        FakeLifecycle c = this.beans.get("C");
        List<String> whileCHangs = new CopyOnWriteArrayList<>();
        c.onStop = () -> {
            c.onStop = () -> {};
            this.log.add("C.stop");
            // Inside stop(), ignoring interrupts: the clock moves past stop-timeout before it returns.
            this.fixture.advance(Duration.ofSeconds(3));
            whileCHangs.add(stateOf("C") + ", B stopped=" + this.log.contains("B.stop") + ", A stopped="
                    + this.log.contains("A.stop"));
        };

        fail("A");

        assertThat(whileCHangs)
                .as("the chain, A's own clean-up stop last, goes on once C's stop is abandoned")
                .containsExactly("C=WAITING(A), B stopped=true, A stopped=true");
        assertThat(this.fixture.events(SupervisionEvent.CallAbandoned.class))
                .extracting(SupervisionEvent.CallAbandoned::service, SupervisionEvent.CallAbandoned::call)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("C", "stop()"));
        assertThat(List.of(snapshot("B").failures(), snapshot("C").failures())).containsExactly(0L, 0L);
    }

    @Test
    void aDependentWhoseStopHangsWhileItsDependencyComesBackStartsOnlyOnceThatStopReturned() {
        start(
                group(GroupStrategy.REST_FOR_ONE, "A", "C"),
                EngineFixture.exact().stopTimeout(Duration.ofSeconds(2)).build(),
                "A",
                "C");
        FakeLifecycle c = this.beans.get("C");
        List<String> inside = new CopyOnWriteArrayList<>();
        c.onStop = () -> {
            c.onStop = () -> this.log.add("C.stop");
            this.log.add("C.stop");
            // A comes back (100 ms of backoff) while C's stop ignores its interrupt for 3s.
            this.fixture.advance(Duration.ofSeconds(3));
            inside.add("A=" + this.fixture.state("A") + ", C started=" + this.log.contains("C.start"));
        };

        fail("A");

        assertThat(inside).containsExactly("A=RUNNING, C started=false");
        assertThat(this.log).containsSubsequence("C.stop", "A.start", "C.start");
        assertThat(states("A", "C")).containsExactly("A=RUNNING", "C=RUNNING");
        assertThat(snapshot("C").restarts()).isEqualTo(1);
        assertThat(snapshot("C").failures()).isZero();
    }

    @Test
    void aStopThatThrowsInTheChainCountsAsDoneAndNothingIsCounted() {
        start(group(GroupStrategy.REST_FOR_ONE, "A", "B", "C"), "A", "B", "C");
        this.beans.get("C").onStop = () -> {
            this.log.add("C.stop");
            throw new HostileExceptions.Throwing();
        };

        fail("A");

        assertThat(this.log).containsExactly("C.stop", "B.stop", "A.stop");
        assertThat(states("B", "C")).containsExactly("B=WAITING(A)", "C=WAITING(A)");
        assertThat(snapshot("C").failures()).isZero();

        this.fixture.advance(Duration.ofMillis(100));

        assertThat(states("A", "B", "C")).containsExactly("A=RUNNING", "B=RUNNING", "C=RUNNING");
    }

    @Test
    void aWaitingServiceWhoseStartHangsIsAbandonedAndBacksOffWhileTheOthersGoOn() {
        start(
                group(GroupStrategy.REST_FOR_ONE, "A", "B"),
                EngineFixture.exact().startTimeout(Duration.ofSeconds(1)).build(),
                "A",
                "B");
        fail("A");
        FakeLifecycle b = this.beans.get("B");
        b.onStart = () -> {
            b.onStart = () -> {};
            // Inside start(): the clock moves past start-timeout before it returns.
            this.fixture.advance(Duration.ofSeconds(2));
        };

        this.fixture.advance(Duration.ofMillis(100));

        assertThat(this.fixture.events(SupervisionEvent.CallAbandoned.class))
                .extracting(SupervisionEvent.CallAbandoned::service)
                .containsExactly("B");
        assertThat(snapshot("B").failures()).isEqualTo(1);
        assertThat(snapshot("A").state()).isEqualTo(ServiceState.RUNNING);
    }

    @Test
    void aServiceTakenDownWhileItStartsIsStoppedOnceItsStartReturnsAndThenWaits() {
        start(group(GroupStrategy.REST_FOR_ONE, "A", "B"), "A", "B");
        FakeLifecycle b = this.beans.get("B");
        List<String> insideBsStart = new CopyOnWriteArrayList<>();
        b.onStart = () -> {
            b.onStart = () -> this.log.add("B.start");
            this.log.add("B.start");
            // While B starts again after A's failure, an operator restarts A: B goes down with it.
            this.fixture.engine.restart("A");
            this.fixture.runUntilIdle();
            insideBsStart.add(String.join(", ", states("A", "B")) + ", A stopped=" + this.log.contains("A.stop"));
        };
        fail("A");
        this.log.clear();

        this.fixture.advance(Duration.ofMillis(100));

        assertThat(insideBsStart)
                .as("B waits for A already; A's stop waits for B's, which waits for B's start to return")
                .containsExactly("A=STOPPING, B=STOPPING(A), A stopped=false");
        assertThat(this.log)
                .as("B's start returns, then B is stopped, then A is restarted, then B starts again")
                .containsExactly("A.start", "B.start", "B.stop", "A.stop", "A.start", "B.start");
        assertThat(states("A", "B")).containsExactly("A=RUNNING", "B=RUNNING");
        assertThat(snapshot("B").failures()).isZero();
        assertThat(snapshot("B").restarts()).as("one per start called").isEqualTo(2);
        assertThat(snapshot("B").events())
                .extracting(HistoryTypes::typeOf)
                .as("B waited for A between its two starts")
                .containsSubsequence("stopping", "stopped", "waiting", "restarting", "started");
    }

    @Test
    void theWaitingServicesStayWaitingWhileTheirDependencyIsFailedAndComeBackAfterAnOperatorsStartOfIt() {
        start(
                group(GroupStrategy.REST_FOR_ONE, "A", "B", "C"),
                EngineFixture.exact().restartPolicy(RestartPolicy.NEVER).build(),
                "A",
                "B",
                "C");

        fail("A");
        this.fixture.advance(Duration.ofMinutes(10));

        assertThat(states("A", "B", "C")).containsExactly("A=FAILED", "B=WAITING(A)", "C=WAITING(A)");
        assertThat(List.of(snapshot("B").failures(), snapshot("C").failures())).containsExactly(0L, 0L);

        this.log.clear();
        this.fixture.engine.start("A");
        this.fixture.runUntilIdle();

        assertThat(this.log).containsExactly("A.start", "B.start", "C.start");
        assertThat(states("A", "B", "C")).containsExactly("A=RUNNING", "B=RUNNING", "C=RUNNING");
    }

    @Test
    void aGroupWhoseStartsIgnoreInterruptsComesBackInOrderOnceTheLateStartReturned() {
        start(
                group(GroupStrategy.REST_FOR_ONE, "A", "B", "C"),
                EngineFixture.exact().startTimeout(Duration.ofSeconds(1)).build(),
                "A",
                "B",
                "C");
        FakeLifecycle b = this.beans.get("B");
        List<String> whileBHangs = new CopyOnWriteArrayList<>();
        b.onStart = () -> {
            b.onStart = () -> this.log.add("B.start");
            this.log.add("B.start");
            // B's restart ignores its interrupt for 3 s: abandoned after 1 s, while the others go on.
            this.fixture.advance(Duration.ofSeconds(3));
            whileBHangs.add(
                    String.join(", ", states("A", "B", "C")) + ", abandoned=" + this.fixture.engine.abandonedCalls());
        };

        fail("A");
        this.fixture.advance(Duration.ofMillis(100));

        assertThat(whileBHangs)
                .as("A runs; B's start abandoned and backing off; C waits for B and is never started meanwhile")
                .containsExactly("A=RUNNING, B=BACKING_OFF, C=WAITING(B), abandoned=1");
        assertThat(snapshot("B").failures()).isEqualTo(1);
        // B's late start returned, and its backoff was over: it is stopped (it may run), started again, then C.
        assertThat(states("A", "B", "C")).containsExactly("A=RUNNING", "B=RUNNING", "C=RUNNING");
        assertThat(this.log)
                .containsExactly("C.stop", "B.stop", "A.stop", "A.start", "B.start", "B.stop", "B.start", "C.start");
        assertThat(this.fixture.engine.abandonedCalls()).isZero();
        assertThat(List.of(snapshot("A").failures(), snapshot("C").failures()))
                .as("A's one failure, which took the others down; none for C")
                .containsExactly(1L, 0L);
    }

    /** A run loop that runs until cancelled: its task is only run (by {@code runLoops}) once it was cancelled. */
    private void startRunLoop(String name) {
        this.fixture.engine.registerBean(
                name,
                cancellation -> {
                    if (!cancellation.isCancelled()) {
                        throw new AssertionError(name + " ran before it was cancelled");
                    }
                },
                EngineFixture.exact().build());
        this.fixture.engine.startService(name);
        this.fixture.runUntilIdle();
    }

    @Test
    void aRunLoopThatRunsAtOnceLetsTheServicesAfterItComeBackAtOnce() {
        this.fixture.engine.useTopology(group(GroupStrategy.REST_FOR_ONE, "A", "L", "C"));
        this.fixture.startBean("A", bean("A"), EngineFixture.exact().build());
        startRunLoop("L");
        this.fixture.startBean("C", bean("C"), EngineFixture.exact().build());
        fail("A");
        this.fixture.runLoops();
        assertThat(states("A", "L", "C")).containsExactly("A=BACKING_OFF", "L=WAITING(A)", "C=WAITING(A)");

        this.fixture.advance(Duration.ofMillis(100));

        assertThat(states("A", "L", "C")).containsExactly("A=RUNNING", "L=RUNNING", "C=RUNNING");
        assertThat(List.of(snapshot("L").restarts(), snapshot("C").restarts())).containsExactly(1L, 1L);
    }

    @Test
    void oneForAllStartsAFirstMemberThatRunsAtOnceAndThenTheFailedOne() {
        this.fixture.engine.useTopology(group(GroupStrategy.ONE_FOR_ALL, "L", "B"));
        startRunLoop("L");
        this.fixture.startBean("B", bean("B"), EngineFixture.exact().build());
        fail("B");
        this.fixture.runLoops();
        assertThat(states("L", "B")).containsExactly("L=WAITING(B)", "B=BACKING_OFF");
        this.log.clear();

        this.fixture.advance(Duration.ofMillis(100));

        assertThat(this.log).containsExactly("B.start");
        assertThat(states("L", "B")).containsExactly("L=RUNNING", "B=RUNNING");
        assertThat(List.of(snapshot("L").restarts(), snapshot("B").restarts())).containsExactly(1L, 1L);
    }

    @Test
    void theServicesWaitingForOneThatCameUpWhileSupervisionWasOffGoOnWhenItIsOnAgain() {
        start(group(GroupStrategy.REST_FOR_ONE, "A", "B"), "A", "B");
        fail("A");
        FakeLifecycle a = this.beans.get("A");
        a.onStart = () -> {
            this.log.add("A.start");
            this.fixture.engine.suspend();
        };
        this.fixture.advance(Duration.ofMillis(100));
        assertThat(states("A", "B")).containsExactly("A=RUNNING", "B=WAITING(A)");

        this.fixture.engine.open();
        this.fixture.runUntilIdle();

        assertThat(states("A", "B")).containsExactly("A=RUNNING", "B=RUNNING");
    }

    @Test
    void anOperatorsStopOfADependencyBeginsOnlyOnceItsDependentsStopIsDone() {
        start(group(GroupStrategy.REST_FOR_ONE, "A", "B"), "A", "B");
        List<String> seenByB = new CopyOnWriteArrayList<>();
        this.beans.get("B").onStop = () -> {
            this.log.add("B.stop");
            // B's stop takes its time: whatever else is due runs meanwhile.
            this.fixture.runUntilIdle();
            seenByB.add("A stopped meanwhile=" + this.log.contains("A.stop"));
        };

        this.fixture.engine.stop("A");
        this.fixture.runUntilIdle();

        assertThat(seenByB).containsExactly("A stopped meanwhile=false");
        assertThat(this.log).containsExactly("B.stop", "A.stop");
    }

    @Test
    void theStopsOfTheServicesTakenDownNeverOverlap() {
        start(group(GroupStrategy.REST_FOR_ONE, "A", "B", "C"), "A", "B", "C");
        List<String> seenByC = new CopyOnWriteArrayList<>();
        this.beans.get("C").onStop = () -> {
            this.log.add("C.stop");
            this.fixture.runUntilIdle();
            seenByC.add("B stopped meanwhile=" + this.log.contains("B.stop"));
        };

        fail("A");

        assertThat(seenByC).containsExactly("B stopped meanwhile=false");
        assertThat(this.log).containsExactly("C.stop", "B.stop", "A.stop");
    }

    @Test
    void aFailureOnceSupervisionIsSuspendedTakesNothingDown() {
        start(group(GroupStrategy.REST_FOR_ONE, "A", "B"), "A", "B");
        this.fixture.engine.suspend();
        this.fixture.runUntilIdle();

        fail("A");

        assertThat(this.log).doesNotContain("B.stop");
        assertThat(snapshot("B").waitingFor()).isNull();
        assertThat(this.fixture.events(SupervisionEvent.Waiting.class)).isEmpty();
    }

    @Test
    void aServiceTheTopologyNamesButNobodyRegisteredIsPassedOver() {
        start(group(GroupStrategy.REST_FOR_ONE, "A", "ghost", "C"), "A", "C");

        fail("A");
        assertThat(states("A", "C")).containsExactly("A=BACKING_OFF", "C=WAITING(A)");
        this.fixture.advance(Duration.ofMillis(100));

        assertThat(states("A", "C")).containsExactly("A=RUNNING", "C=RUNNING");
    }

    @Test
    void servicesThatDependOnlyOnTheFailedOneStillComeBackOneAtATime() {
        ServiceTopology topology = ServiceTopology.builder()
                .dependsOn("engine", List.of("feed"))
                .dependsOn("audit", List.of("feed"))
                .restartDependents("feed")
                .build();
        start(topology, "feed", "audit", "engine");
        fail("feed");
        this.log.clear();
        List<String> seenByAudit = new CopyOnWriteArrayList<>();
        FakeLifecycle audit = this.beans.get("audit");
        audit.onStart = () -> {
            this.log.add("audit.start");
            this.fixture.runUntilIdle();
            seenByAudit.add("engine started meanwhile=" + this.log.contains("engine.start"));
        };

        this.fixture.advance(Duration.ofMillis(100));

        assertThat(seenByAudit).containsExactly("engine started meanwhile=false");
        assertThat(this.log).containsExactly("feed.start", "audit.start", "engine.start");
        assertThat(states("feed", "audit", "engine"))
                .containsExactly("feed=RUNNING", "audit=RUNNING", "engine=RUNNING");
    }

    @Test
    void aServiceThatWaitedForOneThatNowWaitsShowsTheNewOneAtOnce() {
        start(group(GroupStrategy.ONE_FOR_ALL, "A", "B", "C"), "A", "B", "C");
        fail("B");
        List<String> seenByA = new CopyOnWriteArrayList<>();
        this.beans.get("A").onStart = () -> seenByA.add(stateOf("B") + ", " + stateOf("C"));

        this.fixture.advance(Duration.ofMillis(100));

        assertThat(seenByA).containsExactly("B=WAITING(A), C=WAITING(A)");
    }

    @Test
    void theContainersStartsAreNotHeldByTheGroup() {
        this.fixture.engine.useTopology(group(GroupStrategy.REST_FOR_ONE, "A", "B"));
        this.fixture.engine.registerBean("A", bean("A"), EngineFixture.exact().build());
        this.fixture.engine.registerBean("B", bean("B"), EngineFixture.exact().build());

        this.fixture.engine.startService("B");
        this.fixture.runUntilIdle();

        assertThat(this.log).containsExactly("B.start");
        assertThat(states("A", "B")).containsExactly("A=STOPPED", "B=RUNNING");
    }

    @Test
    void theSnapshotNamesTheGroupAndTheDependencies() {
        ServiceTopology topology = ServiceTopology.builder()
                .group("trading", GroupStrategy.REST_FOR_ONE, List.of("feed", "engine"))
                .dependsOn("engine", List.of("feed"))
                .build();
        start(topology, "feed", "engine");

        assertThat(snapshot("engine").group()).isEqualTo("trading");
        assertThat(snapshot("engine").dependsOn()).containsExactly("feed");
        assertThat(snapshot("engine").waitingFor()).isNull();
        assertThat(snapshot("feed").dependsOn()).isEmpty();
    }
}
