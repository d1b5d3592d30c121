package io.rustrade.supervisor.actuate;

import io.rustrade.supervisor.Jitter;
import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.core.BackoffPolicy;
import io.rustrade.supervisor.core.CircuitBreakerPolicy;
import io.rustrade.supervisor.core.LifecycleService;
import io.rustrade.supervisor.core.ServiceOptions;
import io.rustrade.supervisor.core.SupervisorEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A supervisor engine that applies every command, start and stop at once on the calling thread, on
 * virtual time starting at {@link #EPOCH}: what a test sees right after a call is its outcome once everything it led to has run.
 * Run loops run on the calling thread too, so they must return.
 */
final class DirectSupervisor {

    static final Instant EPOCH = Instant.parse("2026-11-27T10:15:30.120Z");

    final DirectScheduler scheduler = new DirectScheduler(EPOCH);

    final SupervisorEngine engine;

    DirectSupervisor() {
        this(100);
    }

    DirectSupervisor(int historySize) {
        this(historySize, (name, run) -> run.run());
    }

    /** A supervisor whose run loops are launched by {@code runs}. */
    DirectSupervisor(int historySize, SupervisorEngine.RunLauncher runs) {
        this.engine = SupervisorEngine.builder()
                .scheduler(this.scheduler)
                .callExecutor(new DirectExecutorService())
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
    TestService lifecycle(String name, ServiceOptions options) {
        TestService service = new TestService();
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

    /** A lifecycle service that starts and stops at once. */
    static final class TestService implements LifecycleService {

        volatile boolean running;

        volatile int starts;

        @Override
        public void start() {
            this.starts++;
            this.running = true;
        }

        @Override
        public void stop() {
            this.running = false;
        }

        @Override
        public boolean isRunning() {
            return this.running;
        }
    }

    /** Runs every task at once on the submitting thread. */
    static final class DirectExecutorService extends AbstractExecutorService {

        private volatile boolean shutdown;

        @Override
        public void execute(Runnable command) {
            command.run();
        }

        @Override
        public void shutdown() {
            this.shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            this.shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return this.shutdown;
        }

        @Override
        public boolean isTerminated() {
            return this.shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
