package io.rustrade.supervisor.faults;

import static io.rustrade.supervisor.faults.FaultContexts.snapshot;
import static io.rustrade.supervisor.faults.FaultContexts.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.rustrade.supervisor.Cancellation;
import io.rustrade.supervisor.CircuitState;
import io.rustrade.supervisor.HistoryEntry;
import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.SupervisedService;
import io.rustrade.supervisor.Supervisor;
import io.rustrade.supervisor.actuate.SupervisorEndpoint;
import io.rustrade.supervisor.actuate.autoconfigure.SupervisorEndpointAutoConfiguration;
import io.rustrade.supervisor.actuate.autoconfigure.SupervisorHealthContributorAutoConfiguration;
import io.rustrade.supervisor.actuate.autoconfigure.SupervisorMetricsAutoConfiguration;
import io.rustrade.supervisor.autoconfigure.SupervisorAutoConfiguration;
import io.rustrade.supervisor.core.SupervisorEngine;
import io.rustrade.supervisor.core.internal.CapturedFailure;
import io.rustrade.supervisor.faults.HostileBeans.Gate;
import io.rustrade.supervisor.faults.HostileBeans.HostileLifecycle;
import io.rustrade.supervisor.testing.HostileExceptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerConfiguration;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.GenericApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Faults injected into real application contexts, about what the supervisor keeps and what it shows: memory
 * bounded by what operators can see, meters that leave zero when something is stuck or lost, an abandoned
 * call that is visible everywhere, a close that hung calls cannot hold up, and failures counted once
 * whatever their exception does. Each test is named after the rule it checks; every thread a test blocks is
 * released when it ends.
 */
@ExtendWith(OutputCaptureExtension.class)
class BoundsAndMetersFaultTests {

    /** Large enough that a hung call is never abandoned by its own timeout within a test. */
    private static final String NEVER_TIMES_OUT = "30s";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    SupervisorAutoConfiguration.class,
                    LifecycleAutoConfiguration.class,
                    SupervisorEndpointAutoConfiguration.class,
                    SupervisorMetricsAutoConfiguration.class,
                    SupervisorHealthContributorAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class,
                    MetricsAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class))
            .withPropertyValues(
                    "management.endpoints.web.exposure.include=supervisor",
                    "rustrade.supervisor.backoff.base-delay=10ms",
                    "rustrade.supervisor.backoff.max-delay=20ms",
                    "rustrade.supervisor.backoff.jitter=none",
                    "rustrade.supervisor.watchdog-interval=50ms",
                    "rustrade.supervisor.start-timeout=300ms",
                    "rustrade.supervisor.stop-timeout=300ms",
                    "rustrade.supervisor.circuit-breaker.max-failures=0");

    @AfterEach
    void releaseBlockedThreads() {
        Gate.openAll();
    }

    // ------------------------------------------------------------------ 1. memory bounded by what is visible

    @Test
    void theFailureRingHoldsOnlyFailuresInsideTheWindowEvenAtTheLargestMaxFailures() {
        int thrown = 2000;
        FailingRunLoop loop = new FailingRunLoop(thrown, () -> new IllegalStateException("connection reset"));
        // Otherwise each failure writes two lines.
        try (QuietLogs quiet = QuietLogs.of("io.rustrade.supervisor", LogLevel.ERROR)) {
            runFailureStorm(loop, thrown);
        }
    }

    private void runFailureStorm(FailingRunLoop loop, int thrown) {
        this.runner
                .withPropertyValues(
                        // No upper limit is enforced on max-failures: the largest accepted value is the int's.
                        "rustrade.supervisor.circuit-breaker.max-failures=" + Integer.MAX_VALUE,
                        "rustrade.supervisor.circuit-breaker.window=1ms",
                        "rustrade.supervisor.backoff.base-delay=1ms",
                        "rustrade.supervisor.backoff.max-delay=1ms")
                .withBean("loop", FailingRunLoop.class, () -> loop)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Supervisor supervisor = context.getBean(Supervisor.class);
                    assertThat(snapshot(supervisor, "loop").circuitBreaker().maxFailures())
                            .isEqualTo(Integer.MAX_VALUE);
                    // Each failure is followed by a restart delay of 1ms, the length of the window: at any
                    // moment at most one failure (two, with a tick of slack) can be inside the window.
                    int mostInside = 0;
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (loop.runs.get() <= thrown && System.nanoTime() < deadline) {
                        mostInside = Math.max(
                                mostInside, snapshot(supervisor, "loop").recentFailures());
                        Thread.onSpinWait();
                    }
                    awaitThat("%d failures thrown by the run loop and counted", thrown)
                            .atMost(Duration.ofSeconds(5))
                            .until(() -> snapshot(supervisor, "loop").failures() == thrown
                                    && state(supervisor, "loop") == ServiceState.RUNNING);
                    assertThat(mostInside)
                            .as("failures held inside a 1ms window while %d failures came 1ms apart", thrown)
                            .isLessThanOrEqualTo(2);
                    awaitThat("the last failure leaves the 1ms window")
                            .atMost(Duration.ofSeconds(1))
                            .until(() -> snapshot(supervisor, "loop").recentFailures() == 0);

                    ServiceSnapshot after = snapshot(supervisor, "loop");
                    assertThat(after.failures()).isEqualTo(thrown);
                    assertThat(after.circuit()).isEqualTo(CircuitState.CLOSED);
                    assertThat(after.events().size()).as("history kept").isLessThanOrEqualTo(100);
                    JsonNode json = endpointJson(context, "loop");
                    assertThat(json.get("recentFailures").asInt()).isZero();
                    assertThat(json.get("failures").asLong()).isEqualTo(thrown);
                    assertThat(json.get("events").size()).isLessThanOrEqualTo(100);
                    assertThat(context.getBean(MeterRegistry.class)
                                    .get("rustrade.supervisor.failures.recent")
                                    .tag("service", "loop")
                                    .gauge()
                                    .value())
                            .isZero();
                });
    }

    @Test
    void aHistorySizeAboveItsLimitStopsStartUpWithAFailureAnalysisReport(CapturedOutput output) {
        HostileLifecycle svc = new HostileLifecycle("svc");
        SpringApplication application = new SpringApplication(SupervisorOnly.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setBannerMode(Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        application.setRegisterShutdownHook(false);
        application.addInitializers(context ->
                ((GenericApplicationContext) context).registerBean("svc", HostileLifecycle.class, () -> svc));

        Throwable failure = catchThrowable(() -> application.run("--rustrade.supervisor.events.history-size=1001"));

        assertThat(failure).isNotNull().hasStackTraceContaining("rustrade.supervisor.events.history-size");
        assertThat(output)
                .contains("APPLICATION FAILED TO START")
                .contains("The supervisor's configuration is invalid. Property"
                        + " 'rustrade.supervisor.events.history-size' was 1001 (origin:"
                        + " \"rustrade.supervisor.events.history-size\" from property source \"commandLineArgs\"),"
                        + " but it must be at most 1000.")
                .contains("Update 'rustrade.supervisor.events.history-size' in the application's configuration;"
                        + " it must be at most 1000.");
        assertThat(svc.starts)
                .as("services started before the configuration was rejected")
                .hasValue(0);
    }

    @Test
    void aFailureMessageOfOneMegabyteIsKeptAndShownCutTo500Characters() {
        String megabyte = "m".repeat(1024 * 1024);
        FailingRunLoop loop = new FailingRunLoop(1, () -> new IllegalStateException(megabyte));
        HostileLifecycle reported = new HostileLifecycle("reported");
        this.runner
                .withBean("loop", FailingRunLoop.class, () -> loop)
                .withBean("reported", HostileLifecycle.class, () -> reported)
                .run(context -> {
                    Supervisor supervisor = context.getBean(Supervisor.class);
                    supervisor.reportFailure("reported", new IllegalStateException(megabyte));
                    awaitThat("both failures counted and both services running again")
                            .atMost(Duration.ofSeconds(2))
                            .until(() -> snapshot(supervisor, "loop").failures() == 1
                                    && state(supervisor, "loop") == ServiceState.RUNNING
                                    && snapshot(supervisor, "reported").failures() == 1
                                    && state(supervisor, "reported") == ServiceState.RUNNING);
                    for (String name : List.of("loop", "reported")) {
                        ServiceSnapshot snapshot = snapshot(supervisor, name);
                        assertThat(snapshot.lastFailure().exception()).isEqualTo(IllegalStateException.class.getName());
                        assertThat(snapshot.lastFailure().message())
                                .as("%s: last failure's message", name)
                                .hasSize(CapturedFailure.MAX_MESSAGE_LENGTH)
                                .startsWith("mmm")
                                .endsWith("...");
                        // The history tells the failure as "<class>: <message>", the message cut as above.
                        int longestDetail =
                                IllegalStateException.class.getName().length() + 2 + CapturedFailure.MAX_MESSAGE_LENGTH;
                        assertThat(snapshot.events())
                                .as("%s: history", name)
                                .filteredOn(event -> event.type().value().equals("failed"))
                                .singleElement()
                                .satisfies(event ->
                                        assertThat(event.detail().length()).isLessThanOrEqualTo(longestDetail));
                        assertThat(snapshot.events())
                                .allSatisfy(event -> assertThat(event.detail().length())
                                        .as("%s: %s detail", name, event.type())
                                        .isLessThanOrEqualTo(longestDetail));

                        JsonNode json = endpointJson(context, name);
                        assertThat(json.get("lastFailure").get("message").asString())
                                .as("%s: endpoint's lastFailure.message", name)
                                .hasSizeLessThanOrEqualTo(CapturedFailure.MAX_MESSAGE_LENGTH)
                                .startsWith("mmm");
                        assertThat(json.get("events").values())
                                .as("%s: endpoint's events", name)
                                .anySatisfy(event ->
                                        assertThat(event.get("type").asString()).isEqualTo("failed"))
                                .allSatisfy(
                                        event -> assertThat(event.get("detail").asString())
                                                .hasSizeLessThanOrEqualTo(CapturedFailure.MAX_MESSAGE_LENGTH));
                    }
                });
    }

    // ------------------------------------------------------------------ 2. meters above zero

    @Test
    void theAbandonedCallsGaugeIsOneWhileAStartIsStuckAndZeroOnceItReturns() {
        Gate gate = new Gate();
        HostileLifecycle stuck = new HostileLifecycle("stuck");
        stuck.onStart = call -> {
            if (call == 2) {
                gate.hold();
            }
        };
        this.runner.withBean("stuck", HostileLifecycle.class, () -> stuck).run(context -> {
            Supervisor supervisor = context.getBean(Supervisor.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            Supplier<Double> abandoned = () ->
                    registry.get("rustrade.supervisor.calls.abandoned").gauge().value();
            assertThat(abandoned.get()).isZero();

            supervisor.reportFailure("stuck", new IllegalStateException("connection lost"));
            awaitThat("the restart's start() hangs past start-timeout and is abandoned")
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> gate.held.get() == 1 && abandoned.get() == 1.0);
            awaitThat("the gauge stays at 1 while the call is stuck")
                    .during(Duration.ofMillis(200))
                    .atMost(Duration.ofSeconds(1))
                    .until(() -> abandoned.get() == 1.0);

            gate.open();
            awaitThat("the gauge is back to 0 once the stuck start() returned")
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> abandoned.get() == 0.0);
            await().atMost(Duration.ofSeconds(2)).until(() -> state(supervisor, "stuck") == ServiceState.RUNNING);
            assertThat(stuck.maxInside).as("calls on the stuck bean overlapped").hasValue(1);
        });
    }

    @Test
    void eventsBeyondTheBacklogLimitAreCountedAsDroppedWhileAListenerIsBlocked(CapturedOutput output) {
        // Every start() throws while failing is set: with a 1ns backoff, each service fails, backs off and
        // restarts as fast as the supervisor can, three or so events per failure, for more than the 100,000
        // events the listeners may fall behind by while the blocked listener holds the event thread.
        AtomicBoolean failing = new AtomicBoolean(true);
        int services = 8;
        HostileListeners.Blocking blocking = new HostileListeners.Blocking();
        ApplicationContextRunner storm = this.runner
                .withPropertyValues(
                        "rustrade.supervisor.backoff.base-delay=1ns",
                        "rustrade.supervisor.backoff.max-delay=1ns",
                        "rustrade.supervisor.events.history-size=0",
                        "rustrade.supervisor.watchdog-interval=0")
                .withBean("blocking", HostileListeners.Blocking.class, () -> blocking);
        for (int i = 0; i < services; i++) {
            HostileLifecycle svc = new HostileLifecycle("svc" + i);
            svc.onStart = call -> {
                if (failing.get()) {
                    throw new IllegalStateException("login refused");
                }
            };
            storm = storm.withBean("svc" + i, HostileLifecycle.class, () -> svc);
        }
        // One line per failure and per restart would be written once the listener lets go.
        try (QuietLogs quiet = QuietLogs.of(
                "io.rustrade.supervisor",
                LogLevel.ERROR,
                "io.rustrade.supervisor.core.SupervisorEngine",
                LogLevel.WARN)) {
            storm.run(context -> {
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                Supplier<Double> dropped = () -> registry.get("rustrade.supervisor.events.dropped")
                        .functionCounter()
                        .count();
                try {
                    awaitThat("the listener is blocked by the first failure")
                            .atMost(Duration.ofSeconds(2))
                            .until(() -> blocking.gate.held.get() == 1);
                    awaitThat("events are dropped once 100,000 wait for the blocked listener")
                            .atMost(Duration.ofSeconds(30))
                            .until(() -> dropped.get() > 0);
                } finally {
                    failing.set(false);
                }
                Supervisor supervisor = context.getBean(Supervisor.class);
                awaitThat("supervision went on while events were dropped")
                        .atMost(Duration.ofSeconds(5))
                        .until(() -> supervisor.services().stream()
                                .filter(s -> s.name().startsWith("svc"))
                                .allMatch(s -> s.state() == ServiceState.RUNNING));
                assertThat(dropped.get())
                        .as("dropped events equal the engine's count")
                        .isEqualTo(
                                (double) context.getBean(SupervisorEngine.class).droppedEvents());
                assertThat(output).contains("Supervision listeners are 100000 events behind");
                blocking.gate.open();
                // The backlog is delivered while the logs are still quiet.
                context.getBean(SupervisorEngine.class).whenDelivered().get(30, TimeUnit.SECONDS);
            });
        }
    }

    // ------------------------------------------------------------------ 3. an abandoned call is visible

    @Test
    void anAbandonedCallIsInTheHistoryTheLastFailureAndAWarningWithTheStuckStack(CapturedOutput output) {
        Gate gate = new Gate();
        HostileLifecycle hung = new HostileLifecycle("hung");
        hung.onStart = call -> {
            if (call == 2) {
                gate.hold();
            }
        };
        this.runner.withBean("hung", HostileLifecycle.class, () -> hung).run(context -> {
            Supervisor supervisor = context.getBean(Supervisor.class);
            supervisor.reportFailure("hung", new IllegalStateException("connection lost"));
            awaitThat("the restart's start() is abandoned after start-timeout")
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> gate.held.get() == 1
                            && snapshot(supervisor, "hung").events().stream()
                                    .anyMatch(event -> event.type().value().equals("call-abandoned")));

            ServiceSnapshot snapshot = snapshot(supervisor, "hung");
            assertThat(snapshot.events())
                    .filteredOn(event -> event.type().value().equals("call-abandoned"))
                    .singleElement()
                    .extracting(HistoryEntry::detail)
                    .asString()
                    .startsWith("start() did not return within 300ms");
            assertThat(snapshot.failures())
                    .as("the first failure and the timed-out start")
                    .isEqualTo(2);
            assertThat(snapshot.lastFailure().exception()).endsWith("StartTimeoutException");
            assertThat(snapshot.lastFailure().message()).isEqualTo("start() did not return within 300ms");

            JsonNode json = endpointJson(context, "hung");
            assertThat(json.get("lastFailure").get("exception").asString()).endsWith("StartTimeoutException");
            assertThat(json.get("lastFailure").get("message").asString())
                    .isEqualTo("start() did not return within 300ms");
            assertThat(json.get("events").values()).anySatisfy(event -> {
                assertThat(event.get("type").asString()).isEqualTo("call-abandoned");
                assertThat(event.get("detail").asString()).startsWith("start() did not return within 300ms");
            });

            awaitThat("a WARN line names the service and the stack of the stuck start()")
                    .atMost(Duration.ofSeconds(2))
                    .untilAsserted(() -> assertThat(warning(output, "Service 'hung': start() did not return"))
                            .contains("abandoned")
                            .contains("it was at:")
                            // A frame reads "at [loader//]class.method(File.java:line)".
                            .contains(HostileLifecycle.class.getName() + ".start(HostileBeans.java:")
                            .contains(Gate.class.getName() + ".hold(HostileBeans.java:"));
            gate.open();
            await().atMost(Duration.ofSeconds(2)).until(() -> state(supervisor, "hung") == ServiceState.RUNNING);
        });
    }

    // ------------------------------------------------------------------ 4. close is bounded

    @Test
    void closingWhileAStartHangsIgnoringInterruptsTakesAboutStopTimeout() {
        Gate gate = new Gate();
        HostileLifecycle hung = new HostileLifecycle("hung");
        hung.onStart = call -> {
            if (call == 2) {
                gate.hold();
            }
        };
        HostileLifecycle healthy = new HostileLifecycle("healthy");
        this.runner
                .withPropertyValues(
                        "rustrade.supervisor.start-timeout=" + NEVER_TIMES_OUT,
                        "rustrade.supervisor.stop-timeout=500ms",
                        "spring.lifecycle.timeout-per-shutdown-phase=30s")
                .withBean("hung", HostileLifecycle.class, () -> hung)
                .withBean("healthy", HostileLifecycle.class, () -> healthy)
                .run(context -> {
                    Supervisor supervisor = context.getBean(Supervisor.class);
                    supervisor.reportFailure("hung", new IllegalStateException("connection lost"));
                    await().atMost(Duration.ofSeconds(2)).until(() -> gate.held.get() == 1);
                    int stopsBefore = hung.stops.get();

                    Duration took = closeWithin(context, Duration.ofSeconds(20));

                    assertThat(took)
                            .as("close with a start() hanging; stop-timeout 500ms, shutdown phase 30s")
                            .isLessThan(Duration.ofSeconds(5));
                    assertThat(healthy.stops)
                            .as("the healthy service was stopped")
                            .hasValue(1);
                    assertThat(hung.stops)
                            .as("stop() called on the bean while its start() was still inside")
                            .hasValue(stopsBefore);
                    gate.open();
                    await().atMost(Duration.ofSeconds(2)).until(() -> hung.inside.get() == 0);
                    assertThat(hung.maxInside)
                            .as("calls on the hung bean overlapped")
                            .hasValue(1);
                });
    }

    @Test
    void closingWhileAnIsRunningPollHangsTakesAboutStopTimeout() {
        Gate gate = new Gate();
        AtomicBoolean hangNextPoll = new AtomicBoolean();
        HostileLifecycle polled = new HostileLifecycle("polled");
        polled.onIsRunning = call -> {
            if (hangNextPoll.getAndSet(false)) {
                gate.hold();
            }
        };
        this.runner
                .withPropertyValues(
                        "rustrade.supervisor.start-timeout=" + NEVER_TIMES_OUT,
                        "rustrade.supervisor.stop-timeout=500ms",
                        "spring.lifecycle.timeout-per-shutdown-phase=30s")
                .withBean("polled", HostileLifecycle.class, () -> polled)
                .run(context -> {
                    hangNextPoll.set(true);
                    await().atMost(Duration.ofSeconds(2)).until(() -> gate.held.get() == 1);

                    Duration took = closeWithin(context, Duration.ofSeconds(20));

                    assertThat(took)
                            .as("close with an isRunning() hanging; stop-timeout 500ms, shutdown phase 30s")
                            .isLessThan(Duration.ofSeconds(5));
                    assertThat(polled.stops)
                            .as("stop() called on the bean while its isRunning() was still inside")
                            .hasValue(0);
                    gate.open();
                    await().atMost(Duration.ofSeconds(2)).until(() -> polled.inside.get() == 0);
                    assertThat(polled.maxInside)
                            .as("calls on the polled bean overlapped")
                            .hasValue(1);
                });
    }

    // ------------------------------------------------------------------ 5. every failure counted once

    @Test
    void everyFailureIsCountedOnceWhateverItsExceptionDoes() {
        int thrown = 3;
        FailingRunLoop unreadable = new FailingRunLoop(thrown, HostileExceptions.Throwing::new);
        FailingRunLoop cyclic = new FailingRunLoop(thrown, () -> HostileExceptions.cyclic("first of a cycle"));
        FailingRunLoop silent = new FailingRunLoop(thrown, IllegalStateException::new);
        this.runner
                .withBean("unreadable", FailingRunLoop.class, () -> unreadable)
                .withBean("cyclic", FailingRunLoop.class, () -> cyclic)
                .withBean("silent", FailingRunLoop.class, () -> silent)
                .run(context -> {
                    Supervisor supervisor = context.getBean(Supervisor.class);
                    Map<String, FailingRunLoop> loops =
                            Map.of("unreadable", unreadable, "cyclic", cyclic, "silent", silent);
                    loops.forEach((name, loop) -> awaitThat("%s: %d failures, then running", name, thrown)
                            .atMost(Duration.ofSeconds(3))
                            .until(() ->
                                    loop.runs.get() == thrown + 1 && state(supervisor, name) == ServiceState.RUNNING));
                    loops.forEach((name, loop) -> {
                        ServiceSnapshot snapshot = snapshot(supervisor, name);
                        assertThat(snapshot.failures())
                                .as("%s: failures counted", name)
                                .isEqualTo(thrown);
                        assertThat(snapshot.restarts()).as("%s: restarts", name).isEqualTo(thrown);
                        assertThat(snapshot.events())
                                .as("%s: history", name)
                                .filteredOn(event -> event.type().value().equals("failed"))
                                .hasSize(thrown);
                        assertThat(loop.runs).as("%s: runs", name).hasValue(thrown + 1);
                    });
                    assertThat(snapshot(supervisor, "unreadable").lastFailure().exception())
                            .isEqualTo(HostileExceptions.Throwing.class.getName());
                    assertThat(snapshot(supervisor, "unreadable").lastFailure().message())
                            .isNull();
                    assertThat(snapshot(supervisor, "cyclic").lastFailure().message())
                            .isEqualTo("first of a cycle");
                    assertThat(snapshot(supervisor, "silent").lastFailure().exception())
                            .isEqualTo(IllegalStateException.class.getName());
                    assertThat(snapshot(supervisor, "silent").lastFailure().message())
                            .isNull();
                    assertThat(context.getBean(MeterRegistry.class)
                                    .get("rustrade.supervisor.failures")
                                    .functionCounters())
                            .as("the failures counters")
                            .allSatisfy(counter -> assertThat(counter.count()).isEqualTo(thrown));
                });
    }

    // ------------------------------------------------------------------ fixtures

    /** Only the supervisor's auto-configuration, for an application started with {@link SpringApplication}. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({SupervisorAutoConfiguration.class, LifecycleAutoConfiguration.class})
    static class SupervisorOnly {}

    /** A run loop whose first {@code failures} runs throw a fresh exception each, then runs until cancelled. */
    static final class FailingRunLoop implements SupervisedService {

        final AtomicInteger runs = new AtomicInteger();

        private final int failures;

        private final Supplier<? extends RuntimeException> exception;

        FailingRunLoop(int failures, Supplier<? extends RuntimeException> exception) {
            this.failures = failures;
            this.exception = exception;
        }

        @Override
        public void run(Cancellation cancellation) {
            if (this.runs.incrementAndGet() <= this.failures) {
                throw this.exception.get();
            }
            while (!cancellation.await(Duration.ofSeconds(10))) {
                // work
            }
        }
    }

    /**
     * Sets logger levels for a test and puts the levels configured before back when closed: a storm of
     * events must not write a line for each.
     */
    static final class QuietLogs implements AutoCloseable {

        private final LoggingSystem system = LoggingSystem.get(QuietLogs.class.getClassLoader());

        private final Map<String, LogLevel> before = new java.util.LinkedHashMap<>();

        static QuietLogs of(Object... namesAndLevels) {
            QuietLogs quiet = new QuietLogs();
            for (int i = 0; i < namesAndLevels.length; i += 2) {
                quiet.set((String) namesAndLevels[i], (LogLevel) namesAndLevels[i + 1]);
            }
            return quiet;
        }

        private void set(String name, LogLevel level) {
            LoggerConfiguration configuration = this.system.getLoggerConfiguration(name);
            this.before.put(name, (configuration != null) ? configuration.getConfiguredLevel() : null);
            this.system.setLogLevel(name, level);
        }

        @Override
        public void close() {
            this.before.forEach(this.system::setLogLevel);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Closes the context on another thread and answers how long it took, failing if it took longer than the bound. */
    private static Duration closeWithin(ConfigurableApplicationContext context, Duration bound) throws Exception {
        long began = System.nanoTime();
        CompletableFuture<Void> closed = CompletableFuture.runAsync(context::close, runnable -> {
            Thread thread = new Thread(runnable, "test-context-close");
            thread.setDaemon(true);
            thread.start();
        });
        try {
            closed.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            // Whatever happened, a hung close must not hold its thread past the test.
            Gate.openAll();
        }
        return Duration.ofNanos(System.nanoTime() - began);
    }

    /** The endpoint's answer for one service, as the JSON an operator reads. */
    private static JsonNode endpointJson(ConfigurableApplicationContext context, String name) {
        return JsonMapper.shared()
                .valueToTree(context.getBean(SupervisorEndpoint.class).service(name));
    }

    /** The WARN entry whose first line contains the text, with the lines that follow it (a stack). */
    private static String warning(CapturedOutput output, String text) {
        String[] lines = output.getOut().split("\\R");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains("WARN") && lines[i].contains(text)) {
                int end = i + 1;
                while (end < lines.length && lines[end].startsWith("\tat ")) {
                    end++;
                }
                return String.join("\n", Arrays.asList(lines).subList(i, end));
            }
        }
        return "";
    }

    private static ConditionFactory awaitThat(String what, Object... args) {
        return await(String.format(what, args));
    }
}
