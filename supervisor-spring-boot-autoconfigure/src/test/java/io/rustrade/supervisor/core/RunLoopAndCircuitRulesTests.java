package io.rustrade.supervisor.core;

import static io.rustrade.supervisor.ServiceState.CIRCUIT_OPEN;
import static io.rustrade.supervisor.ServiceState.COMPLETED;
import static io.rustrade.supervisor.ServiceState.FAILED;
import static io.rustrade.supervisor.ServiceState.RUNNING;
import static io.rustrade.supervisor.ServiceState.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustrade.supervisor.CircuitOpenAction;
import io.rustrade.supervisor.CircuitState;
import io.rustrade.supervisor.SupervisedService;
import io.rustrade.supervisor.testing.FakeLifecycle;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Run loops and the circuit breaker: a run's thread is interrupted by its stop and by nothing after it
 * returned, an error fatal to the JVM goes on to the thread after supervision heard of it, a run abandoned
 * after {@code stop-timeout} is told how long after its stop it returned; a half-open probe that fails reopens
 * the circuit, one that completes closes it, and a circuit closes once however it closes.
 */
class RunLoopAndCircuitRulesTests {

    private final EngineFixture fixture = new EngineFixture();

    private void startLoop(SupervisedService loop, ServiceOptions options) {
        this.fixture.engine.registerBean("loop", loop, options);
        this.fixture.engine.startService("loop");
        this.fixture.runUntilIdle();
    }

    @Test
    void aStopInterruptsTheThreadOfTheRun() {
        List<Boolean> interrupted = new ArrayList<>();
        startLoop(
                cancellation -> {
                    this.fixture.engine.stop("loop");
                    this.fixture.runUntilIdle();
                    interrupted.add(Thread.interrupted());
                },
                EngineFixture.exact().build());

        this.fixture.runLoops();

        assertThat(interrupted).containsExactly(true);
        assertThat(this.fixture.state("loop")).isEqualTo(STOPPED);
    }

    @Test
    void aStopThatComesAfterTheRunReturnedInterruptsNothing() {
        startLoop(
                cancellation -> this.fixture.engine.stop("loop"),
                EngineFixture.exact().build());

        this.fixture.runLoops();

        assertThat(Thread.interrupted())
                .as("the thread that ran the loop is left alone")
                .isFalse();
        assertThat(this.fixture.state("loop")).isEqualTo(STOPPED);
    }

    @Test
    void anErrorFatalToTheJvmGoesOnToTheRunsThreadAndEndsSupervisionOfTheService() {
        startLoop(
                cancellation -> {
                    throw new StackOverflowError("deep");
                },
                EngineFixture.exact().build());

        assertThatThrownBy(this.fixture.runs::runNext).isInstanceOf(StackOverflowError.class);
        this.fixture.runUntilIdle();

        assertThat(this.fixture.state("loop")).isEqualTo(FAILED);
        assertThat(this.fixture.events(SupervisionEvent.GaveUp.class))
                .singleElement()
                .satisfies(gaveUp ->
                        assertThat(gaveUp.reason()).isEqualTo("fatal exception java.lang.StackOverflowError"));
        assertThat(this.fixture.events(SupervisionEvent.Failed.class))
                .singleElement()
                .satisfies(failed -> assertThat(failed.restartIn()).isNull());
    }

    @Test
    void aRunAbandonedAfterTheStopTimeoutIsToldHowLongAfterItsStopItReturned() {
        startLoop(
                cancellation -> {
                    this.fixture.engine.stop("loop");
                    this.fixture.advance(Duration.ofSeconds(10));
                    Thread.interrupted();
                },
                EngineFixture.exact().stopTimeout(Duration.ofSeconds(2)).build());

        this.fixture.runLoops();

        assertThat(this.fixture.events(SupervisionEvent.CallAbandoned.class))
                .singleElement()
                .satisfies(abandoned -> assertThat(abandoned.call()).isEqualTo("run()"));
        assertThat(this.fixture.events(SupervisionEvent.AbandonedCallReturned.class))
                .singleElement()
                .satisfies(returned -> assertThat(returned.after()).isEqualTo(Duration.ofSeconds(10)));
    }

    @Test
    void aRunLoopThatReturnsTellsOfNoCircuitClosing() {
        startLoop(cancellation -> {}, EngineFixture.exact().build());

        this.fixture.runLoops();

        assertThat(this.fixture.state("loop")).isEqualTo(COMPLETED);
        assertThat(this.fixture.events(SupervisionEvent.CircuitClosed.class)).isEmpty();
    }

    @Test
    void aHalfOpenProbeThatCompletesClosesTheCircuit() {
        AtomicInteger runs = new AtomicInteger();
        startLoop(
                cancellation -> {
                    if (runs.incrementAndGet() == 1) {
                        throw new IOException("lost");
                    }
                },
                EngineFixture.withBreaker(1, CircuitOpenAction.HALF_OPEN).build());
        this.fixture.runLoops();
        assertThat(this.fixture.state("loop")).isEqualTo(CIRCUIT_OPEN);

        this.fixture.advance(Duration.ofMinutes(1));
        this.fixture.runLoops();

        assertThat(this.fixture.state("loop")).isEqualTo(COMPLETED);
        assertThat(this.fixture.snapshot("loop").circuit()).isEqualTo(CircuitState.CLOSED);
        assertThat(this.fixture.events(SupervisionEvent.CircuitClosed.class))
                .singleElement()
                .satisfies(closed -> assertThat(closed.reason()).isEqualTo("probe completed"));
    }

    @Test
    void aFailedProbeReopensTheCircuitEvenWhenItsWindowHoldsFewerFailuresThanTheMaximum() {
        FakeLifecycle gateway = new FakeLifecycle();
        this.fixture.startBean(
                "gateway",
                gateway,
                EngineFixture.exact()
                        .circuitBreaker(CircuitBreakerPolicy.builder()
                                .maxFailures(2)
                                .window(Duration.ofSeconds(30))
                                .onOpen(CircuitOpenAction.HALF_OPEN)
                                .openDuration(Duration.ofMinutes(1))
                                .maxOpenDuration(Duration.ofMinutes(10))
                                .build())
                        .build());
        this.fixture.engine.reportFailure("gateway", new IOException("lost"));
        this.fixture.advance(Duration.ofMillis(100));
        this.fixture.engine.reportFailure("gateway", new IOException("lost"));
        this.fixture.runUntilIdle();
        assertThat(this.fixture.state("gateway")).isEqualTo(CIRCUIT_OPEN);
        this.fixture.advance(Duration.ofMinutes(1));
        assertThat(this.fixture.state("gateway")).as("the probe").isEqualTo(RUNNING);

        this.fixture.engine.reportFailure("gateway", new IOException("lost"));
        this.fixture.runUntilIdle();

        assertThat(this.fixture.state("gateway")).isEqualTo(CIRCUIT_OPEN);
        assertThat(this.fixture.snapshot("gateway").nextRestartAt())
                .as("open twice as long")
                .isEqualTo(this.fixture.scheduler.now().plus(Duration.ofMinutes(2)));
        assertThat(this.fixture.events(SupervisionEvent.Failed.class))
                .last()
                .satisfies(failed -> assertThat(failed.restartIn()).isNull());
    }

    @Test
    void aResetDuringTheProbeClosesTheCircuitOnce() {
        FakeLifecycle gateway = new FakeLifecycle();
        this.fixture.startBean(
                "gateway",
                gateway,
                EngineFixture.withBreaker(1, CircuitOpenAction.HALF_OPEN).build());
        this.fixture.engine.reportFailure("gateway", new IOException("lost"));
        this.fixture.advance(Duration.ofMinutes(1));
        assertThat(this.fixture.snapshot("gateway").circuit()).isEqualTo(CircuitState.HALF_OPEN);

        this.fixture.engine.reset("gateway");
        this.fixture.advance(Duration.ofHours(1));

        assertThat(this.fixture.events(SupervisionEvent.CircuitClosed.class))
                .singleElement()
                .satisfies(closed -> assertThat(closed.reason()).isEqualTo("reset"));
        assertThat(this.fixture.state("gateway")).isEqualTo(RUNNING);
    }
}
