package io.rustrade.supervisor.actuate;

import io.rustrade.supervisor.Jitter;
import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.core.BackoffPolicy;
import io.rustrade.supervisor.core.CircuitBreakerPolicy;
import io.rustrade.supervisor.core.ServiceOptions;
import io.rustrade.supervisor.core.SupervisorEngine;
import io.rustrade.supervisor.testing.FakeLifecycle;
import io.rustrade.supervisor.testing.ManualExecutor;
import io.rustrade.supervisor.testing.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;

/**
 * A supervisor engine that applies every command, start and stop at once on the calling thread, on
 * virtual time starting at {@link #EPOCH}: what a test sees right after a call is its outcome once
 * everything it led to has run. Run loops run on the calling thread too, so they must return. Its clock's
 * readings start near their wrap-around ({@link VirtualScheduler#NEAR_WRAP}), which {@link
 * VirtualScheduler#now()} does not show.
 */
final class DirectSupervisor {

    static final Instant EPOCH = Instant.parse("2026-11-27T10:15:30.120Z");

    final VirtualScheduler scheduler = VirtualScheduler.direct(EPOCH, VirtualScheduler.NEAR_WRAP);

    final SupervisorEngine engine;

    DirectSupervisor() {
        this(100);
    }

    DirectSupervisor(int historySize) {
        this(historySize, ManualExecutor.direct());
    }

    /** A supervisor whose run loops are launched by {@code runs}. */
    DirectSupervisor(int historySize, SupervisorEngine.RunLauncher runs) {
        this.engine = SupervisorEngine.builder()
                .scheduler(this.scheduler)
                .callExecutor(ManualExecutor.direct())
                .runLauncher(runs)
                .eventExecutor(Runnable::run)
                .watchdogInterval(Duration.ZERO)
                .eventHistorySize(historySize)
                .build();
        this.engine.open();
    }

    /** Options with jitter-free delays: {@code base-delay} 100ms, doubling up to 60s. */
    static ServiceOptions.Builder exact() {
        return ServiceOptions.builder()
                .backoff(BackoffPolicy.builder().jitter(Jitter.NONE).build());
    }

    /** Jitter-free options whose circuit opens at the given number of failures. */
    static ServiceOptions.Builder breaker(int maxFailures) {
        return exact().circuitBreaker(
                        CircuitBreakerPolicy.builder().maxFailures(maxFailures).build());
    }

    /** Registers a lifecycle service as a bean of an application, and starts it. */
    FakeLifecycle lifecycle(String name, ServiceOptions options) {
        FakeLifecycle service = new FakeLifecycle();
        this.engine.registerBean(name, service, options);
        this.engine.startService(name);
        return service;
    }

    void fail(String name, Throwable cause) {
        this.engine.reportFailure(name, cause);
    }

    void advance(Duration duration) {
        this.scheduler.advance(duration);
    }

    ServiceSnapshot snapshot(String name) {
        return this.engine.service(name).orElseThrow();
    }
}
