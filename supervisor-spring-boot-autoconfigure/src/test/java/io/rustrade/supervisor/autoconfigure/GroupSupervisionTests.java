package io.rustrade.supervisor.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import io.micrometer.core.instrument.MeterRegistry;
import io.rustrade.supervisor.Cancellation;
import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.SupervisedService;
import io.rustrade.supervisor.Supervisor;
import io.rustrade.supervisor.event.ServiceWaitingEvent;
import io.rustrade.supervisor.testing.WaitingListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * Groups and {@code restart-dependents} in a running application (SPEC §14, §17), on the supervisor the
 * auto-configuration builds: the services tied to one that fails are stopped last first and wait, counted
 * nothing, then come back in order, each counted as a restart; the endpoint, health, meters and
 * application events show them waiting; an operator cannot start a waiting service; closing the context
 * while services wait stops everything and restarts nothing. Every call into a bean is written to one
 * journal, in the order the calls were made.
 */
class GroupSupervisionTests {

    private static final Duration BOUND = Duration.ofSeconds(5);

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withUserConfiguration(TestApplication.class)
            .withPropertyValues(
                    "rustrade.supervisor.backoff.base-delay=50ms",
                    "rustrade.supervisor.backoff.jitter=none",
                    "management.endpoints.web.exposure.include=supervisor,health",
                    "management.endpoint.health.show-details=always");

    private static final String[] REST_FOR_ONE = {
        "rustrade.supervisor.groups.trading.strategy=rest-for-one",
        "rustrade.supervisor.groups.trading.members=marketDataFeed,pricingEngine,orderGateway"
    };

    @Test
    void restForOneStopsTheLaterMembersLastFirstAndBringsThemBackInOrderEachCountedAsARestart() {
        this.runner
                .withUserConfiguration(ThreeMembers.class)
                .withPropertyValues(REST_FOR_ONE)
                .run(context -> {
                    Journal journal = journalFromNowOn(context);
                    CountDownLatch feedMayStart =
                            context.getBean("marketDataFeed", Member.class).holdNextStart();

                    supervisor(context).reportFailure("marketDataFeed", new IllegalStateException("socket closed"));

                    awaitState(context, "marketDataFeed", ServiceState.STARTING);
                    awaitState(context, "orderGateway", ServiceState.WAITING);
                    awaitState(context, "pricingEngine", ServiceState.WAITING);
                    assertThat(journal.calls())
                            .as("the gateway, listed last, stops before the pricing engine; neither starts while"
                                    + " the feed starts")
                            .containsSubsequence("stop orderGateway", "stop pricingEngine")
                            .doesNotContain("start pricingEngine", "start orderGateway");
                    for (String waiting : List.of("pricingEngine", "orderGateway")) {
                        ServiceSnapshot snapshot = service(context, waiting);
                        assertThat(snapshot.waitingFor()).as(waiting).isEqualTo("marketDataFeed");
                        assertThat(List.of(snapshot.attempt(), snapshot.recentFailures()))
                                .as(waiting)
                                .containsExactly(0, 0);
                        assertThat(List.of(snapshot.failures(), snapshot.restarts()))
                                .as(waiting)
                                .containsExactly(0L, 0L);
                    }
                    assertThat(get(context, "/actuator/supervisor/pricingEngine"))
                            .hasStatusOk()
                            .bodyJson()
                            .extractingPath("$.waitingFor")
                            .isEqualTo("marketDataFeed");
                    assertThat(get(context, "/actuator/supervisor"))
                            .bodyJson()
                            .extractingPath("$.services.orderGateway['state','waitingFor','restarts','failures']")
                            .isEqualTo(java.util.Map.of(
                                    "state", "WAITING", "waitingFor", "marketDataFeed", "restarts", 0, "failures", 0));

                    feedMayStart.countDown();

                    awaitState(context, "orderGateway", ServiceState.RUNNING);
                    assertThat(journal.calls())
                            .filteredOn(call -> call.startsWith("start"))
                            .containsExactly("start marketDataFeed", "start pricingEngine", "start orderGateway");
                    assertThat(List.of("marketDataFeed", "pricingEngine", "orderGateway"))
                            .allSatisfy(
                                    name -> assertThat(service(context, name).state())
                                            .as(name)
                                            .isEqualTo(ServiceState.RUNNING));
                    for (String dependent : List.of("pricingEngine", "orderGateway")) {
                        ServiceSnapshot snapshot = service(context, dependent);
                        assertThat(snapshot.restarts()).as(dependent).isEqualTo(1);
                        assertThat(snapshot.failures()).as(dependent).isZero();
                        assertThat(snapshot.waitingFor()).as(dependent).isNull();
                    }
                    assertThat(service(context, "marketDataFeed").failures()).isEqualTo(1);
                });
    }

    @Test
    void restForOneLeavesTheMembersBeforeTheFailedOneRunning() {
        this.runner
                .withUserConfiguration(ThreeMembers.class)
                .withPropertyValues(REST_FOR_ONE)
                .run(context -> {
                    Journal journal = journalFromNowOn(context);

                    supervisor(context).reportFailure("pricingEngine", new IllegalStateException("bad quote"));

                    await().atMost(BOUND)
                            .untilAsserted(() -> assertThat(journal.calls()).endsWith("start orderGateway"));
                    awaitState(context, "orderGateway", ServiceState.RUNNING);
                    assertThat(journal.calls())
                            .doesNotContain("stop marketDataFeed", "start marketDataFeed")
                            .containsSubsequence("stop orderGateway", "start pricingEngine", "start orderGateway");
                    assertThat(service(context, "marketDataFeed").restarts()).isZero();
                });
    }

    @Test
    void oneForAllStopsEveryOtherMemberWhenOneStopsOnItsOwnAndStartsTheGroupFromItsFirstMember() {
        this.runner
                .withUserConfiguration(ThreeMembers.class)
                .withPropertyValues(
                        "rustrade.supervisor.watchdog-interval=20ms",
                        "rustrade.supervisor.groups.trading.strategy=one-for-all",
                        "rustrade.supervisor.groups.trading.members=marketDataFeed,pricingEngine,orderGateway")
                .run(context -> {
                    Journal journal = journalFromNowOn(context);

                    context.getBean("pricingEngine", Member.class).stopOnItsOwn();

                    await().atMost(BOUND)
                            .untilAsserted(() -> assertThat(journal.calls()).hasSize(5));
                    awaitState(context, "orderGateway", ServiceState.RUNNING);
                    assertThat(journal.calls())
                            .containsExactly(
                                    "stop orderGateway",
                                    "stop marketDataFeed",
                                    "start marketDataFeed",
                                    "start pricingEngine",
                                    "start orderGateway");
                    assertThat(service(context, "pricingEngine").failures()).isEqualTo(1);
                    for (String other : List.of("marketDataFeed", "orderGateway")) {
                        assertThat(service(context, other).failures()).as(other).isZero();
                        assertThat(service(context, other).restarts()).as(other).isEqualTo(1);
                    }
                });
    }

    @Test
    void restartDependentsTakesDownTheBeansInjectedWithTheFailedOneAndBringsThemBackAfterIt() {
        this.runner
                .withUserConfiguration(ConstructorInjection.class)
                .withPropertyValues("rustrade.supervisor.services.marketDataFeed.restart-dependents=true")
                .run(context -> assertDependentsComeBackAfterTheFeed(context));
    }

    @Test
    void restartDependentsFollowsDependsOn() {
        this.runner
                .withUserConfiguration(DependsOnChain.class)
                .withPropertyValues("rustrade.supervisor.restart-dependents=true")
                .run(context -> assertDependentsComeBackAfterTheFeed(context));
    }

    /** The feed fails: the gateway, then the pricing engine stop; the feed, pricing engine and gateway start. */
    private static void assertDependentsComeBackAfterTheFeed(AssertableWebApplicationContext context) {
        Journal journal = journalFromNowOn(context);
        CountDownLatch feedMayStart =
                context.getBean("marketDataFeed", Member.class).holdNextStart();

        supervisor(context).reportFailure("marketDataFeed", new IllegalStateException("socket closed"));

        awaitState(context, "marketDataFeed", ServiceState.STARTING);
        awaitState(context, "pricingEngine", ServiceState.WAITING);
        awaitState(context, "orderGateway", ServiceState.WAITING);
        assertThat(journal.calls())
                .containsSubsequence("stop orderGateway", "stop pricingEngine")
                .doesNotContain("start pricingEngine", "start orderGateway");
        assertThat(service(context, "orderGateway").waitingFor()).isEqualTo("marketDataFeed");

        feedMayStart.countDown();

        awaitState(context, "orderGateway", ServiceState.RUNNING);
        assertThat(journal.calls())
                .filteredOn(call -> call.startsWith("start"))
                .containsExactly("start marketDataFeed", "start pricingEngine", "start orderGateway");
        assertThat(service(context, "pricingEngine").restarts()).isEqualTo(1);
        assertThat(service(context, "orderGateway").restarts()).isEqualTo(1);
        assertThat(service(context, "orderGateway").failures()).isZero();
    }

    @Test
    void aRunLoopGivenALifecycleBeanIsCancelledWhenTheBeanFailsAndRunsAgainOnceItRuns() {
        this.runner
                .withUserConfiguration(RunLoopOnAFeed.class)
                .withPropertyValues("rustrade.supervisor.restart-dependents=true")
                .run(context -> {
                    Journal journal = journal(context);
                    await().atMost(BOUND)
                            .untilAsserted(() -> assertThat(journal.calls()).contains("run reconciler"));
                    CountDownLatch feedMayStart =
                            context.getBean("marketDataFeed", Member.class).holdNextStart();

                    supervisor(context).reportFailure("marketDataFeed", new IllegalStateException("socket closed"));

                    awaitState(context, "marketDataFeed", ServiceState.STARTING);
                    awaitState(context, "reconciler", ServiceState.WAITING);
                    assertThat(journal.calls())
                            .containsSubsequence("run reconciler", "cancelled reconciler")
                            .containsOnlyOnce("run reconciler");

                    feedMayStart.countDown();

                    awaitState(context, "reconciler", ServiceState.RUNNING);
                    await().atMost(BOUND)
                            .untilAsserted(() ->
                                    assertThat(journal.calls()).endsWith("start marketDataFeed", "run reconciler"));
                    ServiceSnapshot reconciler = service(context, "reconciler");
                    assertThat(reconciler.restarts()).isEqualTo(1);
                    assertThat(reconciler.failures()).isZero();
                });
    }

    @Test
    void startOrRestartOfAWaitingServiceAnswersConflictNamingTheServiceItWaitsForAndChangesNothing() {
        this.runner
                .withUserConfiguration(ThreeMembers.class)
                .withPropertyValues(REST_FOR_ONE)
                .run(context -> {
                    Journal journal = journalFromNowOn(context);
                    CountDownLatch feedMayStart =
                            context.getBean("marketDataFeed", Member.class).holdNextStart();
                    supervisor(context).reportFailure("marketDataFeed", new IllegalStateException("socket closed"));
                    awaitState(context, "marketDataFeed", ServiceState.STARTING);
                    awaitState(context, "pricingEngine", ServiceState.WAITING);
                    journal.clear();

                    assertThat(post(context, "/actuator/supervisor/pricingEngine", "{\"action\": \"start\"}"))
                            .hasStatus(HttpStatus.CONFLICT)
                            .bodyJson()
                            .isStrictlyEqualTo("""
                                    {"status": 409, "error": "Conflict",
                                     "message": "'start' is not allowed while 'pricingEngine' is WAITING for 'marketDataFeed'; it starts again once 'marketDataFeed' runs"}
                                    """);
                    assertThat(post(context, "/actuator/supervisor/pricingEngine", "{\"action\": \"restart\"}"))
                            .hasStatus(HttpStatus.CONFLICT)
                            .bodyJson()
                            .extractingPath("$.message")
                            .isEqualTo("'restart' is not allowed while 'pricingEngine' is WAITING for"
                                    + " 'marketDataFeed'; it starts again once 'marketDataFeed' runs");

                    assertThat(journal.calls()).isEmpty();
                    assertThat(service(context, "pricingEngine").state()).isEqualTo(ServiceState.WAITING);
                    assertThat(service(context, "pricingEngine").restarts()).isZero();
                    feedMayStart.countDown();
                    awaitState(context, "orderGateway", ServiceState.RUNNING);
                    assertThat(service(context, "pricingEngine").restarts())
                            .as("started once, after the feed")
                            .isEqualTo(1);
                });
    }

    @Test
    void startOfAServiceStillStoppingToWaitAnswersConflictToo() {
        this.runner
                .withUserConfiguration(ThreeMembers.class)
                .withPropertyValues(REST_FOR_ONE)
                .withPropertyValues("rustrade.supervisor.stop-timeout=10s")
                .run(context -> {
                    CountDownLatch pricingMayStop =
                            context.getBean("pricingEngine", Member.class).holdNextStop();
                    supervisor(context).reportFailure("marketDataFeed", new IllegalStateException("socket closed"));
                    await().atMost(BOUND)
                            .pollInterval(Duration.ofMillis(5))
                            .untilAsserted(() -> assertThat(
                                            context.getBean(Journal.class).calls())
                                    .contains("stop pricingEngine"));
                    assertThat(service(context, "pricingEngine").state()).isEqualTo(ServiceState.STOPPING);
                    assertThat(service(context, "pricingEngine").waitingFor()).isEqualTo("marketDataFeed");

                    assertThat(post(context, "/actuator/supervisor/pricingEngine", "{\"action\": \"start\"}"))
                            .hasStatus(HttpStatus.CONFLICT)
                            .bodyJson()
                            .extractingPath("$.message")
                            .isEqualTo("'start' is not allowed while 'pricingEngine' is stopping to wait for"
                                    + " 'marketDataFeed'; it starts again once 'marketDataFeed' runs");

                    pricingMayStop.countDown();
                    awaitState(context, "orderGateway", ServiceState.RUNNING);
                    assertThat(service(context, "pricingEngine").restarts()).isEqualTo(1);
                });
    }

    @Test
    void aStopOfAWaitingServiceOverHttpKeepsItDownAndTheServicesAfterItWaitForIt() {
        this.runner
                .withUserConfiguration(ThreeMembers.class)
                .withPropertyValues(REST_FOR_ONE)
                .run(context -> {
                    Journal journal = journalFromNowOn(context);
                    CountDownLatch feedMayStart =
                            context.getBean("marketDataFeed", Member.class).holdNextStart();
                    supervisor(context).reportFailure("marketDataFeed", new IllegalStateException("socket closed"));
                    awaitState(context, "marketDataFeed", ServiceState.STARTING);
                    awaitState(context, "orderGateway", ServiceState.WAITING);

                    assertThat(post(context, "/actuator/supervisor/pricingEngine", "{\"action\": \"stop\"}"))
                            .hasStatusOk()
                            .bodyJson()
                            .extractingPath("$.state")
                            .isEqualTo("STOPPED");
                    journal.clear();
                    feedMayStart.countDown();

                    awaitState(context, "marketDataFeed", ServiceState.RUNNING);
                    awaitWaitingFor(context, "orderGateway", "pricingEngine");
                    assertThat(service(context, "pricingEngine").state()).isEqualTo(ServiceState.STOPPED);
                    assertThat(journal.calls()).doesNotContain("start pricingEngine", "start orderGateway");
                });
    }

    @Test
    void aWaitingServiceKeepsTheHealthUpIsMeasuredAsWaitingAndIsNotActive() {
        this.runner
                .withUserConfiguration(ThreeMembers.class)
                .withPropertyValues(REST_FOR_ONE)
                .run(context -> {
                    CountDownLatch feedMayStart =
                            context.getBean("marketDataFeed", Member.class).holdNextStart();
                    supervisor(context).reportFailure("marketDataFeed", new IllegalStateException("socket closed"));
                    awaitState(context, "marketDataFeed", ServiceState.STARTING);
                    awaitState(context, "orderGateway", ServiceState.WAITING);
                    awaitState(context, "pricingEngine", ServiceState.WAITING);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);

                    assertThat(get(context, "/actuator/health/supervisor"))
                            .hasStatusOk()
                            .bodyJson()
                            .isStrictlyEqualTo("""
                                    {"status": "UP", "details": {"services": {"marketDataFeed": "STARTING",
                                      "orderGateway": "WAITING", "pricingEngine": "WAITING"}}}
                                    """);
                    assertThat(registry.get("rustrade.supervisor.state")
                                    .tags("service", "pricingEngine", "state", "waiting")
                                    .gauge()
                                    .value())
                            .isEqualTo(1.0);
                    assertThat(registry.get("rustrade.supervisor.services.active")
                                    .gauge()
                                    .value())
                            .as("the feed starting; the two waiting are not active")
                            .isEqualTo(1.0);
                    feedMayStart.countDown();
                });
    }

    @Test
    void aServiceWaitingEventNamesTheServiceItWaitsForEachTimeThatChanges() {
        this.runner
                .withUserConfiguration(ThreeMembers.class, WaitingListener.class)
                .withPropertyValues(REST_FOR_ONE)
                .run(context -> {
                    WaitingListener listener = context.getBean(WaitingListener.class);
                    CountDownLatch feedMayStart =
                            context.getBean("marketDataFeed", Member.class).holdNextStart();

                    supervisor(context).reportFailure("marketDataFeed", new IllegalStateException("socket closed"));

                    await().atMost(BOUND)
                            .untilAsserted(() -> assertThat(listener.events)
                                    .extracting(ServiceWaitingEvent::getServiceName, ServiceWaitingEvent::getWaitingFor)
                                    .as("the gateway stops first")
                                    .containsExactly(
                                            tuple("orderGateway", "marketDataFeed"),
                                            tuple("pricingEngine", "marketDataFeed")));
                    assertThat(listener.events)
                            .allSatisfy(
                                    event -> assertThat(event.getSupervisor()).isSameAs(supervisor(context)));

                    feedMayStart.countDown();

                    await().atMost(BOUND)
                            .untilAsserted(() -> assertThat(listener.events)
                                    .extracting(ServiceWaitingEvent::getServiceName, ServiceWaitingEvent::getWaitingFor)
                                    .as("once the feed runs, the pricing engine starts and the gateway waits for it")
                                    .containsExactly(
                                            tuple("orderGateway", "marketDataFeed"),
                                            tuple("pricingEngine", "marketDataFeed"),
                                            tuple("orderGateway", "pricingEngine")));
                    awaitState(context, "orderGateway", ServiceState.RUNNING);
                    assertThat(listener.events).hasSize(3);
                });
    }

    @Test
    void closingTheContextWhileServicesWaitStopsEveryBeanAndRestartsNothing() {
        this.runner
                .withUserConfiguration(ThreeMembers.class)
                .withPropertyValues(REST_FOR_ONE)
                .withPropertyValues(
                        "rustrade.supervisor.services.marketDataFeed.backoff.base-delay=30s",
                        "rustrade.supervisor.services.marketDataFeed.backoff.max-delay=30s")
                .run(context -> {
                    Journal journal = journalFromNowOn(context);
                    supervisor(context).reportFailure("marketDataFeed", new IllegalStateException("socket closed"));
                    awaitState(context, "orderGateway", ServiceState.WAITING);
                    awaitState(context, "pricingEngine", ServiceState.WAITING);
                    awaitState(context, "marketDataFeed", ServiceState.BACKING_OFF);
                    List<Member> members = List.of("marketDataFeed", "pricingEngine", "orderGateway").stream()
                            .map(name -> context.getBean(name, Member.class))
                            .toList();
                    journal.clear();

                    assertTimeout(BOUND, context::close);

                    assertThat(journal.calls())
                            .as("nothing started while closing")
                            .noneMatch(call -> call.startsWith("start"));
                    assertThat(members).noneMatch(Member::isRunning);
                });
    }

    @Test
    void pausingTheContextWhileServicesWaitStopsThemAllRestartsNothingAndItsRestartStartsThemInOrder() {
        this.runner
                .withUserConfiguration(ConstructorInjection.class)
                .withPropertyValues(REST_FOR_ONE)
                .withPropertyValues("rustrade.supervisor.services.marketDataFeed.backoff.base-delay=200ms")
                .run(context -> {
                    Journal journal = journalFromNowOn(context);
                    supervisor(context).reportFailure("marketDataFeed", new IllegalStateException("socket closed"));
                    awaitState(context, "orderGateway", ServiceState.WAITING);
                    awaitState(context, "pricingEngine", ServiceState.WAITING);
                    journal.clear();

                    context.pause();

                    List<String> names = List.of("marketDataFeed", "pricingEngine", "orderGateway");
                    assertThat(names)
                            .as("paused: stopped, none waiting any more")
                            .allSatisfy(
                                    name -> assertThat(service(context, name).state())
                                            .as(name)
                                            .isEqualTo(ServiceState.STOPPED));
                    // The feed's backoff (200 ms) falls due while paused: nothing may start.
                    org.awaitility.Awaitility.await()
                            .during(Duration.ofMillis(600))
                            .atMost(Duration.ofSeconds(2))
                            .until(() -> journal.calls().stream().noneMatch(call -> call.startsWith("start")));
                    assertThat(names)
                            .allSatisfy(name -> assertThat(
                                            context.getBean(name, Member.class).isRunning())
                                    .as(name)
                                    .isFalse());

                    context.restart();

                    awaitState(context, "orderGateway", ServiceState.RUNNING);
                    assertThat(journal.calls())
                            .filteredOn(call -> call.startsWith("start"))
                            .containsExactly("start marketDataFeed", "start pricingEngine", "start orderGateway");
                    assertThat(names).allSatisfy(name -> {
                        ServiceSnapshot snapshot = service(context, name);
                        assertThat(snapshot.state()).as(name).isEqualTo(ServiceState.RUNNING);
                        assertThat(snapshot.waitingFor()).as(name).isNull();
                    });
                    assertThat(List.of(
                                    service(context, "pricingEngine").failures(),
                                    service(context, "orderGateway").failures()))
                            .containsExactly(0L, 0L);
                });
    }

    private static Supervisor supervisor(AssertableWebApplicationContext context) {
        return context.getBean(Supervisor.class);
    }

    private static Journal journal(AssertableWebApplicationContext context) {
        return context.getBean(Journal.class);
    }

    /** The journal of the context's calls, emptied of those made so far. */
    private static Journal journalFromNowOn(AssertableWebApplicationContext context) {
        Journal journal = journal(context);
        journal.clear();
        return journal;
    }

    private static ServiceSnapshot service(AssertableWebApplicationContext context, String name) {
        return supervisor(context).service(name).orElseThrow();
    }

    private static void awaitState(AssertableWebApplicationContext context, String name, ServiceState state) {
        await().atMost(BOUND)
                .pollInterval(Duration.ofMillis(5))
                .untilAsserted(() ->
                        assertThat(service(context, name).state()).as(name).isEqualTo(state));
    }

    private static void awaitWaitingFor(AssertableWebApplicationContext context, String name, String waitingFor) {
        await().atMost(BOUND).pollInterval(Duration.ofMillis(5)).untilAsserted(() -> {
            ServiceSnapshot snapshot = service(context, name);
            assertThat(snapshot.state()).as(name).isEqualTo(ServiceState.WAITING);
            assertThat(snapshot.waitingFor()).as(name).isEqualTo(waitingFor);
        });
    }

    private static MvcTestResult get(AssertableWebApplicationContext context, String uri) {
        return MockMvcTester.from(context).get().uri(uri).exchange();
    }

    private static MvcTestResult post(AssertableWebApplicationContext context, String uri, String body) {
        return MockMvcTester.from(context)
                .post()
                .uri(uri)
                .contentType(MediaType.APPLICATION_JSON)
                .content(body)
                .exchange();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class TestApplication {}

    /** Every call into the beans of one application, in the order made. */
    static final class Journal {

        private final List<String> calls = new CopyOnWriteArrayList<>();

        void add(String call) {
            this.calls.add(call);
        }

        List<String> calls() {
            return List.copyOf(this.calls);
        }

        void clear() {
            this.calls.clear();
        }
    }

    /** A lifecycle bean that writes its starts and stops to the journal; its next start can be held. */
    static class Member implements SmartLifecycle {

        private final String name;

        private final Journal journal;

        private final AtomicInteger starts = new AtomicInteger();

        private volatile CountDownLatch gate;

        private volatile boolean running;

        Member(String name, Journal journal) {
            this.name = name;
            this.journal = journal;
        }

        /** The next start() waits until the latch is counted down (or 5 seconds), then runs. */
        CountDownLatch holdNextStart() {
            CountDownLatch latch = new CountDownLatch(1);
            this.gate = latch;
            return latch;
        }

        private volatile CountDownLatch stopGate;

        /** The next stop() waits until the latch is counted down (or 5 seconds), then stops. */
        CountDownLatch holdNextStop() {
            CountDownLatch latch = new CountDownLatch(1);
            this.stopGate = latch;
            return latch;
        }

        /** Stops without being asked, as a dropped session does: only the watchdog notices. */
        void stopOnItsOwn() {
            this.running = false;
        }

        @Override
        public void start() {
            this.journal.add("start " + this.name);
            this.starts.incrementAndGet();
            CountDownLatch latch = this.gate;
            if (latch != null) {
                this.gate = null;
                try {
                    latch.await(BOUND.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
            this.running = true;
        }

        @Override
        public void stop() {
            this.journal.add("stop " + this.name);
            CountDownLatch latch = this.stopGate;
            if (latch != null) {
                this.stopGate = null;
                try {
                    latch.await(BOUND.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
            this.running = false;
        }

        @Override
        public boolean isRunning() {
            return this.running;
        }
    }

    /** A run loop that writes each run and its cancellation to the journal. */
    static final class Reconciler implements SupervisedService {

        private final Journal journal;

        Reconciler(Journal journal) {
            this.journal = journal;
        }

        @Override
        public void run(Cancellation cancellation) {
            this.journal.add("run reconciler");
            while (!cancellation.await(Duration.ofMinutes(1))) {
                // reconcile
            }
            this.journal.add("cancelled reconciler");
        }
    }

    /** The journal every bean writes to, and the feed the others depend on. */
    @Configuration(proxyBeanMethods = false)
    static class Feed {

        @Bean
        Journal journal() {
            return new Journal();
        }

        @Bean
        Member marketDataFeed(Journal journal) {
            return new Member("marketDataFeed", journal);
        }
    }

    /** Three members that do not depend on each other: only a group ties them. */
    @Configuration(proxyBeanMethods = false)
    @Import(Feed.class)
    static class ThreeMembers {

        @Bean
        Member pricingEngine(Journal journal) {
            return new Member("pricingEngine", journal);
        }

        @Bean
        Member orderGateway(Journal journal) {
            return new Member("orderGateway", journal);
        }
    }

    /** The pricing engine is given the feed, the gateway the pricing engine. */
    @Configuration(proxyBeanMethods = false)
    @Import(Feed.class)
    static class ConstructorInjection {

        @Bean
        Member pricingEngine(Journal journal, Member marketDataFeed) {
            return new Member("pricingEngine", journal);
        }

        @Bean
        Member orderGateway(Journal journal, Member pricingEngine) {
            return new Member("orderGateway", journal);
        }
    }

    /** As {@link ConstructorInjection}, with {@code @DependsOn} instead of injection. */
    @Configuration(proxyBeanMethods = false)
    @Import(Feed.class)
    static class DependsOnChain {

        @Bean
        @DependsOn("marketDataFeed")
        Member pricingEngine(Journal journal) {
            return new Member("pricingEngine", journal);
        }

        @Bean
        @DependsOn("pricingEngine")
        Member orderGateway(Journal journal) {
            return new Member("orderGateway", journal);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Import(Feed.class)
    static class RunLoopOnAFeed {

        @Bean
        Reconciler reconciler(Journal journal, Member marketDataFeed) {
            return new Reconciler(journal);
        }
    }
}
