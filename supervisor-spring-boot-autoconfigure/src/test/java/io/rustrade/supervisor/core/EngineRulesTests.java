package io.rustrade.supervisor.core;

import static io.rustrade.supervisor.ServiceState.RUNNING;
import static io.rustrade.supervisor.ServiceState.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.rustrade.supervisor.HistoryEntry;
import io.rustrade.supervisor.Jitter;
import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.testing.FakeLifecycle;
import io.rustrade.supervisor.testing.HistoryTypes;
import io.rustrade.supervisor.testing.ManualExecutor;
import io.rustrade.supervisor.testing.VirtualScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The supervisor's own rules, beyond each service's: how services are listed and counted, which options a
 * service registered at run time gets, what the builder refuses, what suspension holds back, and what an
 * unregistered service leaves behind.
 */
@ExtendWith(OutputCaptureExtension.class)
class EngineRulesTests {

    private final EngineFixture fixture = new EngineFixture();

    @Test
    void servicesAreListedInTheOrderOfTheirNames() {
        List<String> names = List.of("reconciler", "gateway", "quotes", "feed", "audit", "billing", "zeta", "alpha");
        names.forEach(name -> this.fixture.engine.register(name, cancellation -> {}));

        assertThat(this.fixture.engine.services())
                .extracting(ServiceSnapshot::name)
                .containsExactly("alpha", "audit", "billing", "feed", "gateway", "quotes", "reconciler", "zeta");
    }

    @Test
    void theActiveServicesAreThoseStartingRunningOrBackingOff() {
        this.fixture.startBean(
                "feed", new FakeLifecycle(), EngineFixture.exact().build());
        this.fixture.startBean(
                "quotes", new FakeLifecycle(), EngineFixture.exact().build());
        this.fixture.startBean(
                "gateway", new FakeLifecycle(), EngineFixture.exact().build());
        assertThat(this.fixture.engine.activeServices()).isEqualTo(3);

        this.fixture.engine.stop("gateway");
        this.fixture.runUntilIdle();

        assertThat(this.fixture.engine.activeServices()).isEqualTo(2);
    }

    @Test
    void aServiceRegisteredAtRunTimeGetsTheOptionsTheEngineWasBuiltToGiveIt() {
        ServiceOptions slow =
                ServiceOptions.builder().startTimeout(Duration.ofMinutes(2)).build();
        SupervisorEngine engine = SupervisorEngine.builder()
                .scheduler(new VirtualScheduler())
                .callExecutor(new ManualExecutor())
                .runLauncher(new ManualExecutor())
                .eventExecutor(Runnable::run)
                .registrationOptions(name -> name.equals("slow") ? slow : ServiceOptions.defaults())
                .build();

        engine.register("slow", cancellation -> {});
        engine.register("quick", cancellation -> {});

        assertThat(engine.options("slow")).isSameAs(slow);
        assertThat(engine.options("quick")).isEqualTo(ServiceOptions.defaults());
    }

    @Test
    void aBlankNameIsRefusedForABeanToo() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> this.fixture.engine.registerBean(" ", new FakeLifecycle(), ServiceOptions.defaults()))
                .withMessage("A service name must not be blank");
        assertThat(this.fixture.engine.services()).isEmpty();
    }

    @Test
    void theRegistrationIsInTheServicesHistoryOnceApplied() {
        this.fixture.engine.registerBean(
                "feed", new FakeLifecycle(), EngineFixture.exact().build());
        this.fixture.runUntilIdle();

        assertThat(this.fixture.snapshot("feed").events())
                .extracting(HistoryTypes::typeOf, HistoryEntry::detail)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("registered", "lifecycle"));
    }

    @Test
    void theBuilderRefusesANegativeWatchdogIntervalAndAHistorySizeOutOfRange() {
        SupervisorEngine.Builder builder = SupervisorEngine.builder();

        assertThatExceptionOfType(InvalidSettingException.class)
                .isThrownBy(() -> builder.watchdogInterval(Duration.ofSeconds(-1)))
                .withMessageContaining("watchdog-interval");
        assertThatExceptionOfType(InvalidSettingException.class)
                .isThrownBy(() -> builder.eventHistorySize(-1))
                .withMessageContaining("events.history-size");
        assertThatExceptionOfType(InvalidSettingException.class)
                .isThrownBy(() -> builder.eventHistorySize(SupervisorEngine.MAX_EVENT_HISTORY_SIZE + 1))
                .withMessageContaining("events.history-size");
        builder.eventHistorySize(SupervisorEngine.MAX_EVENT_HISTORY_SIZE).watchdogInterval(Duration.ZERO);
    }

    @Test
    void aServiceRegisteredWhileSupervisionIsSuspendedStartsOnlyWhenItResumes() {
        this.fixture.engine.suspend();
        this.fixture.runUntilIdle();

        this.fixture.engine.register("poller", cancellation -> {});
        this.fixture.runUntilIdle();

        assertThat(this.fixture.runs.pending()).isZero();
        assertThat(this.fixture.state("poller")).isEqualTo(STOPPED);

        this.fixture.engine.open();
        this.fixture.runUntilIdle();

        assertThat(this.fixture.runs.pending()).isEqualTo(1);
        assertThat(this.fixture.state("poller")).isEqualTo(RUNNING);
    }

    @Test
    void resumingSupervisionStartsOnlyTheServicesItSuspended() {
        FakeLifecycle feed = new FakeLifecycle();
        FakeLifecycle idle = new FakeLifecycle();
        this.fixture.startBean("feed", feed, EngineFixture.exact().build());
        this.fixture.engine.registerBean("idle", idle, EngineFixture.exact().build());
        this.fixture.runUntilIdle();

        this.fixture.engine.suspend();
        this.fixture.runUntilIdle();
        this.fixture.engine.open();
        this.fixture.runUntilIdle();

        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
        assertThat(feed.calls).containsExactly("start");
        assertThat(this.fixture.state("idle"))
                .as("never started by its container")
                .isEqualTo(STOPPED);
        assertThat(idle.calls).isEmpty();
    }

    @Test
    void aContainersStartWhileSupervisionIsSuspendedStartsNothing() {
        FakeLifecycle feed = new FakeLifecycle();
        this.fixture.engine.registerBean("feed", feed, EngineFixture.exact().build());
        this.fixture.engine.suspend();
        this.fixture.runUntilIdle();

        CompletableFuture<Void> started = this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();

        assertThat(started).isDone();
        assertThat(feed.calls).isEmpty();
        assertThat(this.fixture.state("feed")).isEqualTo(STOPPED);
    }

    @Test
    void aContainersSecondStartOfABeanWaitsForTheStartUnderWayAndCallsNothingMore() {
        FakeLifecycle feed = new FakeLifecycle();
        this.fixture.engine.registerBean("feed", feed, EngineFixture.exact().build());
        this.fixture.runUntilIdle();
        this.fixture.engine.startService("feed");

        CompletableFuture<Void> again = this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();

        assertThat(again).isDone();
        assertThat(feed.calls).containsExactly("start");
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
    }

    @Test
    void restartDelaysAreDrawnFromTheEnginesSourceOfRandomness() {
        FakeLifecycle feed = new FakeLifecycle();
        this.fixture.startBean(
                "feed",
                feed,
                ServiceOptions.builder()
                        .backoff(BackoffPolicy.builder()
                                .jitter(Jitter.FULL)
                                .baseDelay(Duration.ofSeconds(1))
                                .build())
                        .build());

        this.fixture.engine.reportFailure("feed", new IllegalStateException("socket closed"));
        this.fixture.runUntilIdle();

        assertThat(this.fixture.events(SupervisionEvent.RestartScheduled.class))
                .singleElement()
                .extracting(SupervisionEvent.RestartScheduled::delay)
                .as("the highest draw of full jitter: the whole ceiling")
                .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void anUnregisteredServiceLeavesNoTimerBehind() {
        FakeLifecycle feed = new FakeLifecycle();
        this.fixture.engine.register("poller", cancellation -> {
            throw new IllegalStateException("no connection");
        });
        this.fixture.runLoops();
        assertThat(this.fixture.scheduler.pendingTimers())
                .as("the restart, and the refresh of the recent failures")
                .isPositive();

        this.fixture.engine.unregister("poller");
        this.fixture.runUntilIdle();

        assertThat(this.fixture.engine.service("poller")).isEmpty();
        assertThat(this.fixture.events(SupervisionEvent.Unregistered.class)).hasSize(1);
        assertThat(this.fixture.scheduler.pendingTimers()).isZero();
        assertThat(feed.calls).isEmpty();
    }

    @Test
    void aNameRegisteredAfterTwoUnregistrationsStillWaitsForTheFirstRun() {
        this.fixture.engine.register("poller", cancellation -> {});
        this.fixture.runUntilIdle();
        this.fixture.engine.unregister("poller");
        this.fixture.engine.register("poller", cancellation -> {});
        this.fixture.engine.unregister("poller");
        this.fixture.runUntilIdle();

        this.fixture.engine.register("poller", cancellation -> {});
        this.fixture.runUntilIdle();

        assertThat(this.fixture.runs.pending())
                .as("the first run goes on; the third waits for it")
                .isEqualTo(1);
        assertThat(this.fixture.state("poller")).isEqualTo(STOPPED);
        this.fixture.runs.runNext();
        this.fixture.runUntilIdle();
        assertThat(this.fixture.runs.pending()).isEqualTo(1);
        assertThat(this.fixture.state("poller")).isEqualTo(RUNNING);
    }

    @Test
    void closingOnAnInterruptedThreadReturnsAtOnceAndKeepsTheInterrupt() {
        ManualExecutor events = new ManualExecutor();
        SupervisorEngine engine = SupervisorEngine.builder()
                .scheduler(VirtualScheduler.direct(VirtualScheduler.EPOCH, 0))
                .callExecutor(new ManualExecutor())
                .runLauncher(new ManualExecutor())
                .eventExecutor(events)
                .listener(event -> {})
                .build();
        engine.open();
        engine.registerBean("feed", new FakeLifecycle(), EngineFixture.exact().build());
        engine.startService("feed");
        Thread.currentThread().interrupt();
        try {
            long began = System.nanoTime();

            engine.close();

            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - began))
                    .as("neither the stop in flight nor the undelivered events were waited for")
                    .isLessThan(Duration.ofSeconds(1));
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void closingStopsEveryServiceStillRunningAndWarnsOfNothingWhenTheyStopInTime(CapturedOutput output) {
        FakeLifecycle feed = new FakeLifecycle();
        SupervisorEngine engine = SupervisorEngine.builder()
                .scheduler(VirtualScheduler.direct(VirtualScheduler.EPOCH, 0))
                .callExecutor(ManualExecutor.direct())
                .runLauncher(new ManualExecutor())
                .eventExecutor(Runnable::run)
                .build();
        engine.open();
        engine.registerBean("feed", feed, EngineFixture.exact().build());
        engine.startService("feed");
        assertThat(engine.service("feed").orElseThrow().state()).isEqualTo(RUNNING);

        engine.close();

        assertThat(feed.calls).containsExactly("start", "stop");
        assertThat(engine.service("feed").orElseThrow().state()).isEqualTo(STOPPED);
        assertThat(output).doesNotContain("Stopping services failed").doesNotContain("did not stop in time");
    }

    @Test
    void codeChainedOnAnAnswerThatBlocksDoesNotHoldSupervisionUp() throws Exception {
        FakeLifecycle report = new FakeLifecycle();
        FakeLifecycle feed = new FakeLifecycle();
        CountDownLatch startHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (SupervisorEngine engine = SupervisorEngine.builder().build()) {
            engine.open();
            engine.registerBean("report", report, EngineFixture.exact().build());
            engine.registerBean("feed", feed, EngineFixture.exact().build());
            engine.startService("feed").join();
            report.onStart = () -> await(startHeld);
            CompletableFuture<Void> reportStarted = engine.startService("report");
            CountDownLatch chained = new CountDownLatch(1);
            // Chained while the start is held, so the answer is not there yet: had it been, the caller's own
            // thread would run the continuation, as CompletableFuture does for a completed stage.
            engine.whenResolved("report").thenRun(() -> {
                chained.countDown();
                // A caller's continuation that blocks, as one waiting on I/O would.
                await(release);
            });
            startHeld.countDown();
            reportStarted.get(5, TimeUnit.SECONDS);
            assertThat(chained.await(5, TimeUnit.SECONDS)).isTrue();

            engine.reportFailure("feed", new IllegalStateException("socket closed"));

            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> engine.service("feed").orElseThrow().restarts() == 1
                            && engine.service("feed").orElseThrow().state() == RUNNING);
        } finally {
            release.countDown();
            startHeld.countDown();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void closingTwiceStopsOnceAndThrowsNothing() {
        FakeLifecycle feed = new FakeLifecycle();
        SupervisorEngine engine = SupervisorEngine.builder().build();
        engine.open();
        engine.registerBean("feed", feed, EngineFixture.exact().build());
        engine.startService("feed").join();

        engine.close();
        engine.close();

        assertThat(feed.calls).containsExactly("start", "stop");
    }

    @Test
    void anEscalationIsLoggedAsAnErrorNamingTheService(CapturedOutput output) {
        this.fixture.startBean(
                "gateway",
                new FakeLifecycle(),
                EngineFixture.withBreaker(1, io.rustrade.supervisor.CircuitOpenAction.SHUTDOWN)
                        .build());

        this.fixture.engine.reportFailure("gateway", new IllegalStateException("login refused"));
        this.fixture.runUntilIdle();

        assertThat(output).contains("Circuit of service 'gateway' opened with on-open 'shutdown': escalating");
    }
}
