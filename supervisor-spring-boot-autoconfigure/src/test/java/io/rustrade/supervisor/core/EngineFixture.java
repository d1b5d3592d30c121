package io.rustrade.supervisor.core;

import io.rustrade.supervisor.CircuitOpenAction;
import io.rustrade.supervisor.Jitter;
import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.testing.ManualExecutor;
import io.rustrade.supervisor.testing.VirtualScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A supervisor engine on virtual time, whose worker calls and run loops run only when a test says so. Its
 * clock starts at 0 or, for tests that also check the wrap-around of nanosecond readings, at a given
 * reading such as {@link VirtualScheduler#NEAR_WRAP}.
 */
final class EngineFixture {

    final VirtualScheduler scheduler;

    final ManualExecutor calls = new ManualExecutor();

    final ManualExecutor runs = new ManualExecutor();

    final List<SupervisionEvent> events = new CopyOnWriteArrayList<>();

    final List<String> escalations = new CopyOnWriteArrayList<>();

    final SupervisorEngine engine;

    EngineFixture() {
        this(Duration.ZERO, 0);
    }

    EngineFixture(Duration watchdogInterval) {
        this(watchdogInterval, 0);
    }

    /** An engine whose clock's first reading is {@code clockStart}. */
    EngineFixture(long clockStart) {
        this(Duration.ZERO, clockStart);
    }

    EngineFixture(Duration watchdogInterval, long clockStart) {
        this(watchdogInterval, clockStart, builder -> {});
    }

    /** An engine with more settings than the fixture's. */
    EngineFixture(java.util.function.Consumer<SupervisorEngine.Builder> settings) {
        this(Duration.ZERO, 0, settings);
    }

    /** An engine with more settings than the fixture's, and a watchdog. */
    EngineFixture(
            Duration watchdogInterval,
            long clockStart,
            java.util.function.Consumer<SupervisorEngine.Builder> settings) {
        this.scheduler = new VirtualScheduler(clockStart);
        SupervisorEngine.Builder builder = SupervisorEngine.builder();
        settings.accept(builder);
        this.engine = builder.scheduler(this.scheduler)
                .callExecutor(this.calls)
                .runLauncher(this.runs)
                .eventExecutor(Runnable::run)
                .answerExecutor(Runnable::run)
                .random(ExtremeRandom.HIGHEST)
                .escalation((service, cause) -> this.escalations.add(service + ": " + cause.getMessage()))
                .watchdogInterval(watchdogInterval)
                .eventHistorySize(5)
                .listener(this.events::add)
                .build();
        this.engine.open();
        runUntilIdle();
    }

    /** Registers a lifecycle bean, has its container start it, and runs everything that follows. */
    void startBean(String name, LifecycleService service, ServiceOptions options) {
        this.engine.registerBean(name, service, options);
        this.engine.startService(name);
        runUntilIdle();
    }

    /** Options with exact (jitter-free) delays: 100ms, 200ms, 400ms, ... capped at 60s. */
    static ServiceOptions.Builder exact() {
        return ServiceOptions.builder()
                .backoff(BackoffPolicy.builder().jitter(Jitter.NONE).build());
    }

    static ServiceOptions.Builder withBreaker(int maxFailures, CircuitOpenAction onOpen) {
        return exact().circuitBreaker(CircuitBreakerPolicy.builder()
                .maxFailures(maxFailures)
                .onOpen(onOpen)
                .openDuration(Duration.ofMinutes(1))
                .maxOpenDuration(Duration.ofMinutes(10))
                .build());
    }

    /** Runs control tasks and worker calls until nothing is left to do (run loops excepted). */
    void runUntilIdle() {
        do {
            this.scheduler.runControlTasks();
        } while (this.calls.runNext());
        this.scheduler.runControlTasks();
    }

    /** Moves virtual time forward, running until idle after every timer on the way. */
    void advance(Duration duration) {
        runUntilIdle();
        long target = this.scheduler.elapsedNanos() + duration.toNanos();
        while (this.scheduler.fireNextTimer(target)) {
            runUntilIdle();
        }
        this.scheduler.advance(Duration.ofNanos(target - this.scheduler.elapsedNanos()));
        runUntilIdle();
    }

    /** Runs the run loops waiting to run (they must return), then runs until idle. */
    void runLoops() {
        runUntilIdle();
        this.runs.runAll();
        runUntilIdle();
    }

    ServiceSnapshot snapshot(String name) {
        return this.engine.service(name).orElseThrow();
    }

    ServiceState state(String name) {
        return snapshot(name).state();
    }

    <T extends SupervisionEvent> List<T> events(Class<T> type) {
        return this.events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
