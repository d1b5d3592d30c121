package io.rustrade.supervisor.faults;

import static io.rustrade.supervisor.faults.FaultContexts.awaitNoCallThreads;
import static io.rustrade.supervisor.faults.FaultContexts.callThreads;
import static io.rustrade.supervisor.faults.FaultContexts.snapshot;
import static io.rustrade.supervisor.faults.FaultContexts.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import io.rustrade.supervisor.HistoryEntry;
import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.Supervisor;
import io.rustrade.supervisor.actuate.SupervisorHealthIndicator;
import io.rustrade.supervisor.actuate.autoconfigure.SupervisorHealthContributorAutoConfiguration;
import io.rustrade.supervisor.autoconfigure.SupervisorAutoConfiguration;
import io.rustrade.supervisor.core.SupervisorEngine;
import io.rustrade.supervisor.event.ServiceFailedEvent;
import io.rustrade.supervisor.event.ServiceStartedEvent;
import io.rustrade.supervisor.faults.HostileBeans.Gate;
import io.rustrade.supervisor.faults.HostileBeans.HostileLifecycle;
import io.rustrade.supervisor.faults.HostileBeans.LingeringRunLoop;
import io.rustrade.supervisor.faults.HostileBeans.UnreadableException;
import io.rustrade.supervisor.faults.HostileBeans.UnreadableRunLoop;
import io.rustrade.supervisor.testing.HistoryTypes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Faults injected into real application contexts: hostile beans that hang, ignore interrupts, throw errors
 * from {@code isRunning()}, exceptions that cannot describe themselves, listeners that throw or block, and
 * storms of commands from many threads. Each test is named after the rule it checks.
 */
class FaultInjectionTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    SupervisorAutoConfiguration.class,
                    LifecycleAutoConfiguration.class,
                    SupervisorHealthContributorAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class))
            .withPropertyValues(
                    "rustrade.supervisor.backoff.base-delay=10ms",
                    "rustrade.supervisor.backoff.max-delay=20ms",
                    "rustrade.supervisor.backoff.jitter=none",
                    "rustrade.supervisor.watchdog-interval=50ms",
                    "rustrade.supervisor.start-timeout=300ms",
                    "rustrade.supervisor.stop-timeout=300ms",
                    "rustrade.supervisor.circuit-breaker.max-failures=0");

    @AfterEach
    void releaseHungThreads() {
        Gate.openAll();
    }

    // ------------------------------------------------------------------ 1. starvation

    @Test
    void oneStartThatIgnoresInterruptsDoesNotStarveOtherServices() {
        awaitNoCallThreads();
        Gate gate = new Gate();
        HostileLifecycle hung = new HostileLifecycle("hung");
        hung.onStart = call -> {
            if (call >= 2) {
                gate.hold();
            }
        };
        HostileLifecycle healthy = new HostileLifecycle("healthy");
        HostileLifecycle silent = new HostileLifecycle("silent");
        this.runner
                .withBean("hung", HostileLifecycle.class, () -> hung)
                .withBean("healthy", HostileLifecycle.class, () -> healthy)
                .withBean("silent", HostileLifecycle.class, () -> silent)
                .run(context -> {
                    Supervisor supervisor = context.getBean(Supervisor.class);
                    SupervisorEngine engine = context.getBean(SupervisorEngine.class);
                    assertThat(supervisor.services()).allMatch(s -> s.state() == ServiceState.RUNNING);

                    supervisor.reportFailure("hung", new IllegalStateException("connection lost"));
                    await().atMost(Duration.ofSeconds(2))
                            .until(() -> gate.held.get() == 1 && engine.abandonedCalls() == 1);
                    // Retries keep being asked for while the start hangs: none may enter start() again.
                    for (int i = 0; i < 3; i++) {
                        supervisor.restart("hung");
                        supervisor.reportFailure("hung", new IllegalStateException("still lost " + i));
                        supervisor.reset("hung");
                        assertCallThreadsBounded(engine);
                    }

                    for (int i = 1; i <= 3; i++) {
                        supervisor.reportFailure("healthy", new IllegalStateException("dropped " + i));
                        int starts = i + 1;
                        awaitThat("healthy restarted after failure %d", i)
                                .atMost(Duration.ofSeconds(2))
                                .until(() -> healthy.starts.get() == starts
                                        && state(supervisor, "healthy") == ServiceState.RUNNING);
                        assertCallThreadsBounded(engine);
                    }
                    assertThat(snapshot(supervisor, "healthy").failures()).isEqualTo(3);

                    silent.crashSilently();
                    awaitThat("the watchdog sees the silent stop and restarts it")
                            .atMost(Duration.ofSeconds(2))
                            .until(() -> snapshot(supervisor, "silent").failures() == 1
                                    && silent.starts.get() == 2
                                    && state(supervisor, "silent") == ServiceState.RUNNING);
                    assertThat(snapshot(supervisor, "silent").lastFailure().exception())
                            .endsWith("UnexpectedStopException");

                    assertThat(hung.maxStartsInside)
                            .as("start() of the hung bean entered twice at once")
                            .hasValue(1);
                    assertThat(hung.maxInside)
                            .as("calls on the hung bean overlapped")
                            .hasValue(1);
                    assertThat(hung.starts)
                            .as("start() called again while the hung one is out")
                            .hasValue(2);
                    assertThat(engine.abandonedCalls())
                            .as("stuck calls: at most one per service")
                            .isEqualTo(1);
                    assertCallThreadsBounded(engine);
                });
    }

    @Test
    void aHungFirstStartDoesNotHoldTheContextStartLongerThanStartTimeout() {
        Gate gate = new Gate();
        HostileLifecycle hung = new HostileLifecycle("hung");
        hung.onStart = call -> {
            if (call == 1) {
                gate.hold();
            }
        };
        HostileLifecycle later = new HostileLifecycle("later");
        later.phase = hung.phase + 1;
        long began = System.nanoTime();
        this.runner
                .withBean("hung", HostileLifecycle.class, () -> hung)
                .withBean("later", HostileLifecycle.class, () -> later)
                .run(context -> {
                    Duration took = Duration.ofNanos(System.nanoTime() - began);
                    assertThat(context).hasNotFailed();
                    // start-timeout is 300ms; the rest is the margin for building the context.
                    assertThat(took).isLessThan(Duration.ofMillis(300 + 2000));
                    Supervisor supervisor = context.getBean(Supervisor.class);
                    assertThat(state(supervisor, "hung")).isIn(ServiceState.BACKING_OFF, ServiceState.STARTING);
                    assertThat(snapshot(supervisor, "hung").failures()).isEqualTo(1);
                    assertThat(snapshot(supervisor, "hung").lastFailure().exception())
                            .endsWith("StartTimeoutException");
                    assertThat(later.starts)
                            .as("the bean of the next phase started")
                            .hasValue(1);
                    assertThat(state(supervisor, "later")).isEqualTo(ServiceState.RUNNING);

                    gate.open();
                    await().atMost(Duration.ofSeconds(2))
                            .until(() -> state(supervisor, "hung") == ServiceState.RUNNING && hung.starts.get() == 2);
                    assertThat(hung.maxInside).hasValue(1);
                });
    }

    // ------------------------------------------------------------------ 2. one call at a time

    @Test
    void aStartThatTakesThreeTimesStartTimeoutIsCalledOnlyOnceAtATime() {
        HostileLifecycle slow = new HostileLifecycle("slow");
        slow.onStart = call -> {
            if (call == 2 || call == 3) {
                HostileBeans.busyFor(600);
            }
        };
        this.runner
                .withPropertyValues(
                        "rustrade.supervisor.start-timeout=200ms", "rustrade.supervisor.watchdog-interval=20ms")
                .withBean("slow", HostileLifecycle.class, () -> slow)
                .run(context -> {
                    Supervisor supervisor = context.getBean(Supervisor.class);
                    supervisor.reportFailure("slow", new IllegalStateException("lost"));
                    await().atMost(Duration.ofSeconds(1)).until(() -> slow.startsInside.get() == 1);
                    // Everything that could call it again meanwhile.
                    supervisor.restart("slow");
                    supervisor.reportFailure("slow", new IllegalStateException("lost again"));
                    supervisor.reset("slow");
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> slow.starts.get() >= 4
                                    && state(supervisor, "slow") == ServiceState.RUNNING
                                    && slow.inside.get() == 0);
                    assertThat(slow.maxStartsInside)
                            .as("start() overlapping start()")
                            .hasValue(1);
                    assertThat(slow.maxInside)
                            .as("start/stop/isRunning overlapping")
                            .hasValue(1);
                    assertThat(snapshot(supervisor, "slow").failures()).isGreaterThanOrEqualTo(2);
                });
    }

    // ------------------------------------------------------------------ 3. never stuck in STOPPING

    @Test
    void neverStuckInStoppingWhenStopAndRestartComeDuringARestartsStart() {
        HostileLifecycle svc = new HostileLifecycle("svc");
        svc.onStart = call -> {
            if (call == 2) {
                HostileBeans.busyFor(500);
            }
        };
        this.runner
                .withPropertyValues(
                        "rustrade.supervisor.start-timeout=2s", "spring.lifecycle.timeout-per-shutdown-phase=10s")
                .withBean("svc", HostileLifecycle.class, () -> svc)
                .run(context -> {
                    Supervisor supervisor = context.getBean(Supervisor.class);
                    supervisor.restart("svc");
                    await().atMost(Duration.ofSeconds(1)).until(() -> svc.startsInside.get() == 1);
                    // ~150ms into the restart's 500ms start(), which is still running then.
                    await().pollDelay(Duration.ofMillis(150))
                            .atMost(Duration.ofSeconds(1))
                            .until(() -> svc.startsInside.get() == 1);
                    supervisor.stop("svc");
                    supervisor.restart("svc");
                    await().atMost(Duration.ofSeconds(3))
                            .until(() -> state(supervisor, "svc") == ServiceState.RUNNING && svc.inside.get() == 0);
                    assertThat(svc.running).isTrue();

                    supervisor.stop("svc");
                    await().atMost(Duration.ofSeconds(1))
                            .until(() -> state(supervisor, "svc") == ServiceState.STOPPED && !svc.running);
                    supervisor.start("svc");
                    await().atMost(Duration.ofSeconds(1))
                            .until(() -> state(supervisor, "svc") == ServiceState.RUNNING && svc.running);
                    supervisor.stop("svc");
                    await().atMost(Duration.ofSeconds(1)).until(() -> state(supervisor, "svc") == ServiceState.STOPPED);
                    supervisor.reset("svc");
                    await().atMost(Duration.ofSeconds(1))
                            .until(() -> state(supervisor, "svc") == ServiceState.RUNNING && svc.running);

                    int stopsBefore = svc.stops.get();
                    long closing = System.nanoTime();
                    context.close();
                    Duration closeTook = Duration.ofNanos(System.nanoTime() - closing);
                    assertThat(closeTook)
                            .as("close waited the shutdown phase out")
                            .isLessThan(Duration.ofSeconds(3));
                    assertThat(svc.stops.get()).as("stop() called by close").isGreaterThan(stopsBefore);
                    assertThat(svc.isRunning()).isFalse();
                    assertThat(svc.maxInside).hasValue(1);
                });
    }

    @Test
    void aStartThatComesWhileAStopIsInFlightEndsRunning() {
        HostileLifecycle svc = new HostileLifecycle("svc");
        svc.onStop = call -> HostileBeans.busyFor(300);
        this.runner.withBean("svc", HostileLifecycle.class, () -> svc).run(context -> {
            Supervisor supervisor = context.getBean(Supervisor.class);
            supervisor.stop("svc");
            await().atMost(Duration.ofSeconds(1)).until(() -> svc.inside.get() == 1 && svc.stops.get() == 1);
            assertThat(state(supervisor, "svc")).isEqualTo(ServiceState.STOPPING);
            // The operator changes their mind while stop() is still running: the last command wins.
            supervisor.start("svc");
            awaitThat("the start given during the stop is carried out")
                    .atMost(Duration.ofSeconds(2))
                    .untilAsserted(() ->
                            assertThat(describe(snapshot(supervisor, "svc"))).startsWith(ServiceState.RUNNING.name()));
            assertThat(svc.starts).hasValue(2);
            assertThat(svc.maxInside).hasValue(1);
        });
    }

    @Test
    void randomCommandsFrom16ThreadsNeverOverlapCallsAndAFinalStartEndsRunning() throws Exception {
        long seed = Long.getLong("faults.seed", System.nanoTime());
        String why = "seed " + seed + " (rerun with -Dfaults.seed=" + seed + ")";
        HostileLifecycle svc = new HostileLifecycle("svc");
        svc.onStart = call -> HostileBeans.busyFor(ThreadLocalRandom.current().nextInt(20));
        svc.onStop = call -> HostileBeans.busyFor(ThreadLocalRandom.current().nextInt(10));
        this.runner
                .withPropertyValues("rustrade.supervisor.watchdog-interval=20ms")
                .withBean("svc", HostileLifecycle.class, () -> svc)
                .run(context -> {
                    Supervisor supervisor = context.getBean(Supervisor.class);
                    SplittableRandom master = new SplittableRandom(seed);
                    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
                    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
                    List<Thread> threads = new ArrayList<>();
                    for (int t = 0; t < 16; t++) {
                        SplittableRandom random = master.split();
                        threads.add(new Thread(
                                () -> {
                                    try {
                                        while (System.nanoTime() < deadline) {
                                            switch (random.nextInt(4)) {
                                                case 0 -> supervisor.restart("svc");
                                                case 1 -> supervisor.stop("svc");
                                                case 2 -> supervisor.start("svc");
                                                default -> supervisor.reset("svc");
                                            }
                                            LockSupport.parkNanos(random.nextLong(2_000_000));
                                        }
                                    } catch (Throwable ex) {
                                        errors.add(ex);
                                    }
                                },
                                "commands-" + t));
                    }
                    threads.forEach(Thread::start);
                    for (Thread thread : threads) {
                        thread.join(5000);
                    }
                    assertThat(errors).as(why).isEmpty();
                    String before = describe(snapshot(supervisor, "svc"));
                    supervisor.start("svc");
                    awaitThat(why)
                            .atMost(Duration.ofSeconds(3))
                            .untilAsserted(() -> assertThat(state(supervisor, "svc"))
                                    .as(
                                            "%s; before the final start: %s; now: %s",
                                            why, before, describe(snapshot(supervisor, "svc")))
                                    .isEqualTo(ServiceState.RUNNING));
                    assertThat(svc.maxInside).as("overlapping calls, " + why).hasValue(1);
                    assertThat(svc.maxStartsInside).as(why).hasValue(1);
                });
    }

    // ------------------------------------------------------------------ 4. the watchdog

    @Test
    void oneBadIsRunningDoesNotTurnTheWatchdogOffForEveryone() {
        AtomicBoolean throwArmed = new AtomicBoolean();
        AtomicBoolean hangArmed = new AtomicBoolean();
        Gate gate = new Gate();
        HostileLifecycle throwing = new HostileLifecycle("throwing");
        throwing.onIsRunning = call -> {
            if (throwArmed.getAndSet(false)) {
                throw new NoClassDefFoundError("com/example/Gone");
            }
        };
        HostileLifecycle hanging = new HostileLifecycle("hanging");
        hanging.onIsRunning = call -> {
            if (hangArmed.getAndSet(false)) {
                gate.hold();
            }
        };
        HostileLifecycle crasher = new HostileLifecycle("crasher");
        this.runner
                .withPropertyValues("rustrade.supervisor.services.crasher.restart=never")
                .withBean("throwing", HostileLifecycle.class, () -> throwing)
                .withBean("hanging", HostileLifecycle.class, () -> hanging)
                .withBean("crasher", HostileLifecycle.class, () -> crasher)
                .run(context -> {
                    Supervisor supervisor = context.getBean(Supervisor.class);
                    SupervisorHealthIndicator health = context.getBean(SupervisorHealthIndicator.class);
                    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
                    throwArmed.set(true);
                    hangArmed.set(true);
                    await().atMost(Duration.ofSeconds(2))
                            .until(() -> snapshot(supervisor, "throwing").failures() == 1
                                    && snapshot(supervisor, "hanging").failures() == 1);

                    crasher.crashSilently();
                    awaitThat("a later silent crash is still seen")
                            .atMost(Duration.ofSeconds(2))
                            .until(() -> state(supervisor, "crasher") != ServiceState.RUNNING);
                    await().atMost(Duration.ofSeconds(1))
                            .until(() -> state(supervisor, "crasher") == ServiceState.FAILED);
                    assertThat(snapshot(supervisor, "crasher").failures()).isEqualTo(1);
                    assertThat(snapshot(supervisor, "crasher").lastFailure().exception())
                            .endsWith("UnexpectedStopException");
                    Health down = health.health();
                    assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(down.getDetails().get("services"))
                            .isInstanceOfSatisfying(
                                    Map.class, services -> assertThat(services).containsEntry("crasher", "FAILED"));

                    ServiceSnapshot threw = snapshot(supervisor, "throwing");
                    assertThat(threw.failures()).isEqualTo(1);
                    assertThat(threw.lastFailure().exception()).isEqualTo(NoClassDefFoundError.class.getName());
                    assertThat(threw.lastFailure().message()).isEqualTo("com/example/Gone");
                    await().atMost(Duration.ofSeconds(1))
                            .until(() -> state(supervisor, "throwing") == ServiceState.RUNNING);
                    ServiceSnapshot hung = snapshot(supervisor, "hanging");
                    assertThat(hung.failures()).isEqualTo(1);
                    assertThat(hung.lastFailure().exception()).endsWith("WatchdogTimeoutException");
                    assertThat(throwing.maxInside).hasValue(1);
                    assertThat(hanging.maxInside).hasValue(1);
                });
    }

    // ------------------------------------------------------------------ 5. unreadable failures

    @Test
    void aFailureWhoseGetMessageThrowsIsCounted() {
        HostileLifecycle reported = new HostileLifecycle("reported");
        HostileLifecycle restarting = new HostileLifecycle("restarting");
        restarting.onStart = call -> {
            if (call == 2) {
                throw new UnreadableException();
            }
        };
        UnreadableRunLoop loop = new UnreadableRunLoop();
        this.runner
                .withBean("reported", HostileLifecycle.class, () -> reported)
                .withBean("restarting", HostileLifecycle.class, () -> restarting)
                .withBean("loop", UnreadableRunLoop.class, () -> loop)
                .run(context -> {
                    Supervisor supervisor = context.getBean(Supervisor.class);
                    String unreadable = UnreadableException.class.getName();

                    supervisor.reportFailure("reported", new UnreadableException());
                    awaitThat("via reportFailure")
                            .atMost(Duration.ofSeconds(2))
                            .until(() -> snapshot(supervisor, "reported").failures() == 1
                                    && reported.starts.get() == 2
                                    && state(supervisor, "reported") == ServiceState.RUNNING);
                    assertThat(snapshot(supervisor, "reported").lastFailure().exception())
                            .isEqualTo(unreadable);

                    awaitThat("via a run loop")
                            .atMost(Duration.ofSeconds(2))
                            .until(() -> snapshot(supervisor, "loop").failures() == 1
                                    && loop.runs.get() == 2
                                    && state(supervisor, "loop") == ServiceState.RUNNING);
                    assertThat(snapshot(supervisor, "loop").lastFailure().exception())
                            .isEqualTo(unreadable);

                    supervisor.reportFailure("restarting", new IllegalStateException("lost"));
                    awaitThat("via a restart's start()")
                            .atMost(Duration.ofSeconds(2))
                            .until(() -> snapshot(supervisor, "restarting").failures() == 2
                                    && restarting.starts.get() == 3
                                    && state(supervisor, "restarting") == ServiceState.RUNNING);
                    assertThat(snapshot(supervisor, "restarting").lastFailure().exception())
                            .isEqualTo(unreadable);
                    assertThat(snapshot(supervisor, "restarting").events())
                            .extracting(HistoryTypes::typeOf)
                            .containsSubsequence("failed", "started");
                });
    }

    // ------------------------------------------------------------------ 6. restarts always call start()

    @Test
    void aRestartAlwaysCallsStartAfterAStopThatThrewBeforeClearingItsRunningFlag() {
        HostileLifecycle throwingStop = new HostileLifecycle("throwingStop");
        throwingStop.onStop = call -> {
            if (call == 1) {
                // Throws before the running flag is cleared: the bean still says it runs.
                throw new IllegalStateException("stop failed");
            }
        };
        this.runner
                .withBean("throwingStop", HostileLifecycle.class, () -> throwingStop)
                .run(context -> {
                    Supervisor supervisor = context.getBean(Supervisor.class);
                    supervisor.reportFailure("throwingStop", new IllegalStateException("lost"));
                    await().atMost(Duration.ofSeconds(2))
                            .until(() -> snapshot(supervisor, "throwingStop").restarts() == 1
                                    && state(supervisor, "throwingStop") == ServiceState.RUNNING
                                    && throwingStop.inside.get() == 0);
                    assertThat(throwingStop.stops).hasValue(1);
                    assertThat(throwingStop.starts.get())
                            .as("start() calls == 1 + restarts after a stop() that threw")
                            .isEqualTo(1 + snapshot(supervisor, "throwingStop").restarts());
                });
    }

    @Test
    void aRestartWaitsForAStopHungPastStopTimeoutThenCallsStart() {
        Gate gate = new Gate();
        HostileLifecycle hungStop = new HostileLifecycle("hungStop");
        hungStop.onStop = call -> {
            if (call == 1) {
                gate.hold();
            }
        };
        this.runner
                .withPropertyValues("rustrade.supervisor.stop-timeout=200ms")
                .withBean("hungStop", HostileLifecycle.class, () -> hungStop)
                .run(context -> {
                    Supervisor supervisor = context.getBean(Supervisor.class);
                    SupervisorEngine engine = context.getBean(SupervisorEngine.class);
                    supervisor.reportFailure("hungStop", new IllegalStateException("lost"));
                    awaitThat("the stop hangs, was abandoned and the restart is due")
                            .atMost(Duration.ofSeconds(2))
                            .until(() -> gate.held.get() == 1
                                    && engine.abandonedCalls() == 1
                                    && state(supervisor, "hungStop") == ServiceState.BACKING_OFF
                                    && snapshot(supervisor, "hungStop").nextRestartAt() == null);
                    assertThat(snapshot(supervisor, "hungStop").restarts())
                            .as("a restart waiting for the hung stop is not counted yet")
                            .isZero();
                    assertThat(hungStop.starts)
                            .as("no start() before the hung stop returned")
                            .hasValue(1);
                    gate.open();
                    await().atMost(Duration.ofSeconds(2))
                            .until(() -> state(supervisor, "hungStop") == ServiceState.RUNNING
                                    && hungStop.starts.get() == 2);
                    assertThat(snapshot(supervisor, "hungStop").restarts())
                            .as("start() calls == 1 + restarts once the hung stop returned")
                            .isEqualTo(hungStop.starts.get() - 1);
                    assertThat(hungStop.maxInside).hasValue(1);
                });
    }

    @Test
    void everyRestartCountedHadItsStartCalledWhenIsRunningThrowsAtRandom() {
        long seed = Long.getLong("faults.seed", System.nanoTime());
        String why = "seed " + seed + " (rerun with -Dfaults.seed=" + seed + ")";
        SplittableRandom random = new SplittableRandom(seed);
        AtomicBoolean armed = new AtomicBoolean();
        HostileLifecycle flaky = new HostileLifecycle("flaky");
        flaky.onIsRunning = call -> {
            if (armed.get()) {
                boolean fail;
                synchronized (random) {
                    fail = random.nextInt(100) < 30;
                }
                if (fail) {
                    throw new IllegalStateException("isRunning() failed");
                }
            }
        };
        this.runner
                .withPropertyValues("rustrade.supervisor.watchdog-interval=20ms")
                .withBean("flaky", HostileLifecycle.class, () -> flaky)
                .run(context -> {
                    Supervisor supervisor = context.getBean(Supervisor.class);
                    armed.set(true);
                    awaitThat(why)
                            .atMost(Duration.ofSeconds(5))
                            .until(() -> snapshot(supervisor, "flaky").restarts() >= 8);
                    armed.set(false);
                    awaitThat(why)
                            .during(Duration.ofMillis(150))
                            .atMost(Duration.ofSeconds(3))
                            .until(() -> state(supervisor, "flaky") == ServiceState.RUNNING && flaky.inside.get() == 0);
                    ServiceSnapshot snapshot = snapshot(supervisor, "flaky");
                    assertThat(snapshot.restarts())
                            .as("restarts == start() calls - 1 (failures %d), %s", snapshot.failures(), why)
                            .isEqualTo(flaky.starts.get() - 1);
                    assertThat(flaky.maxInside).as(why).hasValue(1);
                });
    }

    // ------------------------------------------------------------------ 7. bounded memory and queues

    @Test
    void aStormOfReportsFrom16ThreadsIsAbsorbedWithBoundedMemory() throws Exception {
        HostileLifecycle stormy = new HostileLifecycle("stormy");
        this.runner.withBean("stormy", HostileLifecycle.class, () -> stormy).run(context -> {
            Supervisor supervisor = context.getBean(Supervisor.class);
            long before = usedHeap();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            CountDownLatch done = new CountDownLatch(16);
            AtomicInteger reports = new AtomicInteger();
            for (int t = 0; t < 16; t++) {
                Thread thread = new Thread(
                        () -> {
                            try {
                                while (System.nanoTime() < deadline) {
                                    supervisor.reportFailure("stormy", new IllegalStateException("storm"));
                                    reports.incrementAndGet();
                                }
                            } finally {
                                done.countDown();
                            }
                        },
                        "storm-" + t);
                thread.start();
            }
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            awaitThat("the engine keeps up with %d reports", reports.get())
                    .atMost(Duration.ofSeconds(1))
                    .until(() -> state(supervisor, "stormy") == ServiceState.RUNNING);
            long failures = snapshot(supervisor, "stormy").failures();
            supervisor.reportFailure("stormy", new IllegalStateException("after the storm"));
            awaitThat("a failure after the storm is seen at once")
                    .atMost(Duration.ofSeconds(1))
                    .until(() -> snapshot(supervisor, "stormy").failures() > failures);
            await().atMost(Duration.ofSeconds(1)).until(() -> state(supervisor, "stormy") == ServiceState.RUNNING);
            long growth = usedHeap() - before;
            assertThat(growth)
                    .as("retained heap growth after %d reports", reports.get())
                    .isLessThan(50L * 1024 * 1024);
            assertThat(snapshot(supervisor, "stormy").events().size()).isLessThanOrEqualTo(100);
        });
    }

    @Test
    void aListenerBlockedForeverDoesNotStopSupervision() {
        HostileLifecycle first = new HostileLifecycle("first");
        HostileLifecycle second = new HostileLifecycle("second");
        HostileListeners.Blocking blocking = new HostileListeners.Blocking();
        this.runner
                .withBean("blocking", HostileListeners.Blocking.class, () -> blocking)
                .withBean("first", HostileLifecycle.class, () -> first)
                .withBean("second", HostileLifecycle.class, () -> second)
                .run(context -> {
                    Supervisor supervisor = context.getBean(Supervisor.class);
                    supervisor.reportFailure("first", new IllegalStateException("lost"));
                    await().atMost(Duration.ofSeconds(2)).until(() -> blocking.gate.held.get() == 1);
                    for (int i = 1; i <= 3; i++) {
                        supervisor.reportFailure("first", new IllegalStateException("lost " + i));
                        supervisor.reportFailure("second", new IllegalStateException("lost " + i));
                        int starts = i + 1;
                        awaitThat("restarts go on while a listener is blocked (round %d)", i)
                                .atMost(Duration.ofSeconds(2))
                                .until(() -> first.starts.get() == starts + 1
                                        && second.starts.get() == starts
                                        && state(supervisor, "first") == ServiceState.RUNNING
                                        && state(supervisor, "second") == ServiceState.RUNNING);
                    }
                    assertThat(snapshot(supervisor, "second").events())
                            .extracting(HistoryTypes::typeOf)
                            .filteredOn("failed"::equals)
                            .hasSize(3);
                    assertThat(supervisor.services()).allMatch(s -> s.state() == ServiceState.RUNNING);
                    // Let it go, or closing the context waits for it to take the last events.
                    blocking.gate.open();
                });
    }

    // ------------------------------------------------------------------ 8. listeners, names, settings

    @Test
    void aThrowingEventListenerDoesNotHideTheEventFromListenersOrderedAfterIt() {
        HostileListeners.Recording recording = new HostileListeners.Recording();
        this.runner
                .withBean("throwingListener", HostileListeners.Throwing.class, HostileListeners.Throwing::new)
                .withBean("recordingListener", HostileListeners.Recording.class, () -> recording)
                .withBean("svc", HostileLifecycle.class, () -> new HostileLifecycle("svc"))
                .run(context -> {
                    Supervisor supervisor = context.getBean(Supervisor.class);
                    await().atMost(Duration.ofSeconds(2))
                            .until(() -> recording.heard(ServiceStartedEvent.class, "svc"));
                    supervisor.reportFailure("svc", new IllegalStateException("lost"));
                    await().atMost(Duration.ofSeconds(2)).until(() -> recording.heard(ServiceFailedEvent.class, "svc"));
                });
    }

    @Test
    void unregisterThenRegisterOfTheSameNameNeverRunsTwoRunsAtOnce() {
        this.runner.withPropertyValues("rustrade.supervisor.stop-timeout=2s").run(context -> {
            Supervisor supervisor = context.getBean(Supervisor.class);
            AtomicInteger running = new AtomicInteger();
            AtomicInteger maxRunning = new AtomicInteger();
            LingeringRunLoop current = new LingeringRunLoop(running, maxRunning, 100);
            supervisor.register("poller", current);
            for (int i = 0; i < 5; i++) {
                LingeringRunLoop previous = current;
                await().atMost(Duration.ofSeconds(2)).until(() -> previous.runs.get() == 1);
                supervisor.unregister("poller");
                current = new LingeringRunLoop(running, maxRunning, 100);
                supervisor.register("poller", current);
            }
            LingeringRunLoop last = current;
            await().atMost(Duration.ofSeconds(2))
                    .until(() -> last.runs.get() == 1 && state(supervisor, "poller") == ServiceState.RUNNING);
            assertThat(maxRunning).as("runs of one name at once").hasValue(1);
        });
    }

    @Test
    void registerRejectsASlashANulAndA10KbName() {
        this.runner.run(context -> {
            Supervisor supervisor = context.getBean(Supervisor.class);
            UnreadableRunLoop service = new UnreadableRunLoop();
            String tenKb = "x".repeat(10 * 1024);
            assertThatIllegalArgumentException().isThrownBy(() -> supervisor.register("a/b", service));
            assertThatIllegalArgumentException().isThrownBy(() -> supervisor.register("a\u0000b", service));
            assertThatIllegalArgumentException().isThrownBy(() -> supervisor.register(tenKb, service));
            assertThat(supervisor.services())
                    .extracting(ServiceSnapshot::name)
                    .doesNotContain("a/b", "a\u0000b", tenKb);
            assertThat(service.runs).hasValue(0);
        });
    }

    @Test
    void serviceOfNullIsEmpty() {
        this.runner
                .withBean("svc", HostileLifecycle.class, () -> new HostileLifecycle("svc"))
                .run(context -> {
                    Supervisor supervisor = context.getBean(Supervisor.class);
                    assertThat(supervisor.service(null)).isEmpty();
                });
    }

    @Test
    void aStartTimeoutOf1nsStopsStartUp() {
        HostileLifecycle svc = new HostileLifecycle("svc");
        this.runner
                .withPropertyValues("rustrade.supervisor.start-timeout=1ns")
                .withBean("svc", HostileLifecycle.class, () -> svc)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .hasStackTraceContaining("rustrade.supervisor.start-timeout");
                    assertThat(svc.starts).as("no service started").hasValue(0);
                });
    }

    // ------------------------------------------------------------------ helpers

    /** An Awaitility wait whose failure says what was awaited. */
    private static ConditionFactory awaitThat(String what, Object... args) {
        return await(String.format(what, args));
    }

    /** State and the last events of a service, for failure messages. */
    private static String describe(ServiceSnapshot snapshot) {
        List<HistoryEntry> events = snapshot.events();
        return snapshot.state() + " " + events.subList(Math.max(0, events.size() - 6), events.size());
    }

    private static void assertCallThreadsBounded(SupervisorEngine engine) {
        int stuck = engine.abandonedCalls();
        assertThat(callThreads())
                .as("call threads with %d stuck call(s)", stuck)
                .isLessThanOrEqualTo(4 + stuck);
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
