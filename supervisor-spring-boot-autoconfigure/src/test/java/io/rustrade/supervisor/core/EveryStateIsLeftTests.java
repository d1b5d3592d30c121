package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.CircuitOpenAction;
import io.rustrade.supervisor.GroupStrategy;
import io.rustrade.supervisor.RestartPolicy;
import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.testing.FakeLifecycle;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every state is left: from each state a service can be in, each operator command and the container's
 * close lead where the contract says (SPEC §9, §14, §15) — whatever call is in flight. A "STARTING" service
 * has its {@code start()} submitted and not yet run, a "STOPPING" one its {@code stop()}: the command meets
 * the call in flight, and the call then returns. On virtual time; the clock does not move after a command,
 * except after the close, which is then given ten minutes to show that nothing starts again.
 */
class EveryStateIsLeftTests {

    private final EngineFixture fixture = new EngineFixture();

    private final FakeLifecycle service = new FakeLifecycle();

    /** The service "svc" in {@code state}; for WAITING, in a group after "first", which backs off. */
    private void bringTo(ServiceState state) {
        switch (state) {
            case STOPPED ->
                this.fixture.engine.registerBean(
                        "svc", this.service, EngineFixture.exact().build());
            case RUNNING ->
                this.fixture.startBean(
                        "svc", this.service, EngineFixture.exact().build());
            case BACKING_OFF -> {
                this.fixture.startBean(
                        "svc", this.service, EngineFixture.exact().build());
                failOnce();
            }
            case STARTING -> {
                this.fixture.startBean(
                        "svc", this.service, EngineFixture.exact().build());
                failOnce();
                // The backoff is over; the restart's start() is submitted but no call thread has taken it.
                this.fixture.scheduler.advance(Duration.ofMillis(100));
                this.fixture.scheduler.fireNextTimer(this.fixture.scheduler.elapsedNanos());
                this.fixture.scheduler.runControlTasks();
            }
            case STOPPING -> {
                this.fixture.startBean(
                        "svc", this.service, EngineFixture.exact().build());
                this.fixture.engine.stop("svc");
                // The stop() is submitted but no call thread has taken it.
                this.fixture.scheduler.runControlTasks();
            }
            case CIRCUIT_OPEN -> {
                this.fixture.startBean(
                        "svc",
                        this.service,
                        EngineFixture.withBreaker(1, CircuitOpenAction.STOP).build());
                failOnce();
            }
            case FAILED -> {
                this.fixture.startBean(
                        "svc",
                        this.service,
                        EngineFixture.exact().restartPolicy(RestartPolicy.NEVER).build());
                failOnce();
            }
            case COMPLETED -> {
                this.fixture.engine.registerBean(
                        "svc", cancellation -> {}, EngineFixture.exact().build());
                this.fixture.engine.startService("svc");
                this.fixture.runLoops();
            }
            case WAITING -> {
                this.fixture.engine.useTopology(ServiceTopology.builder()
                        .group("g", GroupStrategy.REST_FOR_ONE, List.of("first", "svc"))
                        .build());
                this.fixture.startBean(
                        "first", new FakeLifecycle(), EngineFixture.exact().build());
                this.fixture.startBean(
                        "svc", this.service, EngineFixture.exact().build());
                this.fixture.engine.reportFailure("first", new IOException("lost"));
                this.fixture.runUntilIdle();
            }
            case STANDBY -> {
                this.fixture.engine.useElections((name, lock, outFor) -> {});
                this.fixture.startBean(
                        "svc",
                        this.service,
                        EngineFixture.exact().singletonLock("lock.svc").build());
            }
        }
        assertThat(this.fixture.state("svc")).as("brought to").isEqualTo(state);
    }

    private void failOnce() {
        this.fixture.engine.reportFailure("svc", new IOException("lost"));
        this.fixture.runUntilIdle();
    }

    private void apply(String command) {
        Consumer<String> action = switch (command) {
            case "stop" -> this.fixture.engine::stop;
            case "start" -> this.fixture.engine::start;
            case "reset" -> this.fixture.engine::reset;
            case "restart" -> this.fixture.engine::restart;
            // As the application's close does: supervision ends, then the container stops its beans.
            case "close" ->
                name -> {
                    this.fixture.engine.suspend();
                    this.fixture.engine.stopService(name);
                };
            default -> throw new IllegalArgumentException(command);
        };
        action.accept("svc");
        // Calls in flight return; a run loop's new run is launched (RUNNING) and left to run.
        this.fixture.runUntilIdle();
    }

    /**
     * What each command leads to from each state. {@code start} acts on STOPPED, FAILED, CIRCUIT_OPEN,
     * COMPLETED (and on a stop under way: the latest command wins); {@code reset} starts what does not run;
     * {@code start}/{@code restart} of a WAITING service change nothing (409 at the endpoint); a STANDBY
     * singleton starts only with leadership; {@code stop} and the close end in STOPPED from anywhere.
     */
    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @CsvSource({
        "STOPPED, stop, STOPPED",
        "STOPPED, start, RUNNING",
        "STOPPED, reset, RUNNING",
        "STOPPED, restart, RUNNING",
        "STOPPED, close, STOPPED",
        "STARTING, stop, STOPPED",
        "STARTING, start, RUNNING",
        "STARTING, reset, RUNNING",
        "STARTING, restart, RUNNING",
        "STARTING, close, STOPPED",
        "RUNNING, stop, STOPPED",
        "RUNNING, start, RUNNING",
        "RUNNING, reset, RUNNING",
        "RUNNING, restart, RUNNING",
        "RUNNING, close, STOPPED",
        "BACKING_OFF, stop, STOPPED",
        "BACKING_OFF, start, BACKING_OFF",
        "BACKING_OFF, reset, RUNNING",
        "BACKING_OFF, restart, RUNNING",
        "BACKING_OFF, close, STOPPED",
        "STOPPING, stop, STOPPED",
        "STOPPING, start, RUNNING",
        "STOPPING, reset, RUNNING",
        "STOPPING, restart, RUNNING",
        "STOPPING, close, STOPPED",
        "CIRCUIT_OPEN, stop, STOPPED",
        "CIRCUIT_OPEN, start, RUNNING",
        "CIRCUIT_OPEN, reset, RUNNING",
        "CIRCUIT_OPEN, restart, RUNNING",
        "CIRCUIT_OPEN, close, STOPPED",
        "FAILED, stop, STOPPED",
        "FAILED, start, RUNNING",
        "FAILED, reset, RUNNING",
        "FAILED, restart, RUNNING",
        "FAILED, close, STOPPED",
        "COMPLETED, stop, STOPPED",
        "COMPLETED, start, RUNNING",
        "COMPLETED, reset, RUNNING",
        "COMPLETED, restart, RUNNING",
        "COMPLETED, close, STOPPED",
        "WAITING, stop, STOPPED",
        "WAITING, start, WAITING",
        "WAITING, reset, WAITING",
        "WAITING, restart, WAITING",
        "WAITING, close, STOPPED",
        "STANDBY, stop, STOPPED",
        "STANDBY, start, STANDBY",
        "STANDBY, reset, STANDBY",
        "STANDBY, restart, STANDBY",
        "STANDBY, close, STOPPED"
    })
    void eachCommandFromEachStateLeadsWhereTheContractSays(ServiceState from, String command, ServiceState to) {
        bringTo(from);

        apply(command);

        assertThat(this.fixture.state("svc")).as(from + " + " + command).isEqualTo(to);
        assertThat(this.fixture.engine.abandonedCalls())
                .as("no call left stuck")
                .isZero();
        if (to == ServiceState.STOPPED && from != ServiceState.COMPLETED) {
            assertThat(this.service.isRunning()).as("the object is stopped too").isFalse();
        }
        if (command.equals("close")) {
            // Nothing starts once the close has begun, however long one waits.
            this.fixture.advance(Duration.ofMinutes(10));
            assertThat(this.fixture.state("svc")).as("still, after the close").isEqualTo(ServiceState.STOPPED);
        }
    }
}
