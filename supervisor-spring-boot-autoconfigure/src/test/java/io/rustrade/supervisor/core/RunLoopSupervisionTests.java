package io.rustrade.supervisor.core;

import static io.rustrade.supervisor.ServiceState.BACKING_OFF;
import static io.rustrade.supervisor.ServiceState.CIRCUIT_OPEN;
import static io.rustrade.supervisor.ServiceState.COMPLETED;
import static io.rustrade.supervisor.ServiceState.FAILED;
import static io.rustrade.supervisor.ServiceState.RUNNING;
import static io.rustrade.supervisor.ServiceState.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.Cancellation;
import io.rustrade.supervisor.CircuitOpenAction;
import io.rustrade.supervisor.RestartPolicy;
import io.rustrade.supervisor.ServiceKind;
import io.rustrade.supervisor.SupervisedService;
import io.rustrade.supervisor.testing.VirtualScheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** Supervision of run-loop services: restart policies (SPEC §4), fatal exceptions (SPEC §3). */
@ParameterizedClass(name = "clock from {0}")
@ValueSource(longs = {0, VirtualScheduler.NEAR_WRAP, VirtualScheduler.JUST_BEFORE_WRAP})
class RunLoopSupervisionTests {

    private final EngineFixture fixture;

    /** Runs every test with the clock from 0, and from two readings shortly before the wrap-around. */
    RunLoopSupervisionTests(long clockStart) {
        this.fixture = new EngineFixture(clockStart);
    }

    /** A run loop that plays a script: each run throws the next exception, or returns on null. */
    private static final class Script implements SupervisedService {

        private final Deque<Object> outcomes = new ArrayDeque<>();

        final AtomicInteger runs = new AtomicInteger();

        Script then(Object... outcomes) {
            for (Object outcome : outcomes) {
                this.outcomes.add(outcome);
            }
            return this;
        }

        @Override
        public void run(Cancellation cancellation) throws Exception {
            this.runs.incrementAndGet();
            Object outcome = this.outcomes.poll();
            if (outcome instanceof Exception ex) {
                throw ex;
            }
            if ("until-cancelled".equals(outcome)) {
                while (!cancellation.await(Duration.ofSeconds(1))) {
                    // a run loop's work
                }
                throw new InterruptedException("asked to stop");
            }
        }
    }

    private static final Object RETURN = "return";

    private static final Object UNTIL_CANCELLED = "until-cancelled";

    private void start(String name, SupervisedService service, ServiceOptions options) {
        this.fixture.engine.registerBean(name, service, options);
        this.fixture.engine.startService(name);
        this.fixture.runUntilIdle();
    }

    @Test
    void aRunLoopIsRunningOnceItsThreadIsLaunched() {
        Script script = new Script().then(UNTIL_CANCELLED);
        start("reconciler", script, EngineFixture.exact().build());

        assertThat(this.fixture.state("reconciler")).isEqualTo(RUNNING);
        assertThat(this.fixture.snapshot("reconciler").kind()).isEqualTo(ServiceKind.SERVICE);
    }

    @Test
    void aRunLoopThatThrowsIsRestartedAfterItsBackoff() {
        Script script = new Script().then(new IOException("positions out of sync"), UNTIL_CANCELLED);
        start("reconciler", script, EngineFixture.exact().build());

        this.fixture.runLoops();
        assertThat(this.fixture.state("reconciler")).isEqualTo(BACKING_OFF);
        this.fixture.advance(Duration.ofMillis(100));

        assertThat(this.fixture.state("reconciler")).isEqualTo(RUNNING);
        assertThat(this.fixture.snapshot("reconciler").failures()).isEqualTo(1);
        assertThat(this.fixture.snapshot("reconciler").restarts()).isEqualTo(1);
    }

    @Test
    void withRestartOnFailureARunLoopThatReturnsIsCompleted() {
        start("reconciler", new Script().then(RETURN), EngineFixture.exact().build());

        this.fixture.runLoops();

        assertThat(this.fixture.state("reconciler")).isEqualTo(COMPLETED);
        assertThat(this.fixture.events(SupervisionEvent.Completed.class))
                .singleElement()
                .satisfies(completed -> assertThat(completed.restartIn()).isNull());
        this.fixture.advance(Duration.ofHours(1));
        assertThat(this.fixture.state("reconciler")).isEqualTo(COMPLETED);
    }

    @Test
    void withRestartAlwaysARunLoopThatReturnsIsRestartedAfterTheBaseDelay() {
        Script script = new Script().then(RETURN, UNTIL_CANCELLED);
        start(
                "reconciler",
                script,
                EngineFixture.exact().restartPolicy(RestartPolicy.ALWAYS).build());

        this.fixture.runLoops();
        assertThat(this.fixture.state("reconciler")).isEqualTo(BACKING_OFF);
        assertThat(this.fixture.snapshot("reconciler").nextRestartAt())
                .isEqualTo(this.fixture.scheduler.now().plusMillis(100));
        assertThat(this.fixture.events(SupervisionEvent.Completed.class))
                .singleElement()
                .satisfies(completed -> assertThat(completed.restartIn()).isEqualTo(Duration.ofMillis(100)));
        this.fixture.advance(Duration.ofMillis(100));

        assertThat(this.fixture.state("reconciler")).isEqualTo(RUNNING);
        assertThat(this.fixture.runs.pending()).as("a second run was launched").isEqualTo(1);
        assertThat(this.fixture.snapshot("reconciler").failures()).isZero();
    }

    @Test
    void withRestartAlwaysCleanExitsDoNotEraseTheFailureHistory() {
        Script script = new Script();
        for (int i = 0; i < 3; i++) {
            script.then(new IOException("flaky " + i), RETURN);
        }
        start(
                "reconciler",
                script,
                EngineFixture.withBreaker(3, CircuitOpenAction.STOP)
                        .restartPolicy(RestartPolicy.ALWAYS)
                        .build());

        for (int i = 0; i < 6 && this.fixture.state("reconciler") != CIRCUIT_OPEN; i++) {
            this.fixture.runLoops();
            this.fixture.advance(Duration.ofSeconds(1));
        }

        assertThat(this.fixture.state("reconciler")).isEqualTo(CIRCUIT_OPEN);
        assertThat(this.fixture.snapshot("reconciler").failures()).isEqualTo(3);
    }

    @Test
    void withRestartNeverAFailureLeavesTheServiceFailed() {
        start(
                "reconciler",
                new Script().then(new IOException("boom")),
                EngineFixture.exact().restartPolicy(RestartPolicy.NEVER).build());

        this.fixture.runLoops();

        assertThat(this.fixture.state("reconciler")).isEqualTo(FAILED);
        assertThat(this.fixture.snapshot("reconciler").nextRestartAt()).isNull();
        assertThat(this.fixture.snapshot("reconciler").restartPolicy()).isEqualTo(RestartPolicy.NEVER);
        assertThat(this.fixture.events(SupervisionEvent.Failed.class))
                .singleElement()
                .satisfies(failed -> assertThat(failed.restartIn()).isNull());
        assertThat(this.fixture.events(SupervisionEvent.GaveUp.class))
                .singleElement()
                .extracting(SupervisionEvent.GaveUp::reason)
                .isEqualTo("restart policy is never");
    }

    @Test
    void aFatalExceptionAnywhereInTheCauseChainIsNeverRetried() {
        Exception fatal = new UncheckedIOException(new java.nio.file.AccessDeniedException("/etc/keys"));
        start(
                "reconciler",
                new Script().then(fatal),
                EngineFixture.exact()
                        .fatalExceptions(java.util.Set.of(java.nio.file.FileSystemException.class))
                        .build());

        this.fixture.runLoops();

        assertThat(this.fixture.state("reconciler")).isEqualTo(FAILED);
        assertThat(this.fixture.events(SupervisionEvent.GaveUp.class))
                .singleElement()
                .extracting(SupervisionEvent.GaveUp::reason)
                .isEqualTo("fatal exception java.io.UncheckedIOException");
    }

    @Test
    void stoppingARunLoopCancelsItAndIsNotAFailure() {
        start(
                "reconciler",
                new Script().then(UNTIL_CANCELLED),
                EngineFixture.exact().build());

        CompletableFuture<Void> stopped = this.fixture.engine.stopService("reconciler");
        this.fixture.runLoops();

        assertThat(stopped).isDone();
        assertThat(this.fixture.state("reconciler")).isEqualTo(STOPPED);
        assertThat(this.fixture.snapshot("reconciler").failures()).isZero();
        assertThat(this.fixture.events(SupervisionEvent.Stopped.class)).hasSize(1);
    }

    @Test
    void aRunLoopThatIgnoresCancellationIsAbandonedAfterTheStopTimeout() {
        start(
                "reconciler",
                new Script().then(UNTIL_CANCELLED),
                EngineFixture.exact().stopTimeout(Duration.ofSeconds(3)).build());

        CompletableFuture<Void> stopped = this.fixture.engine.stopService("reconciler");
        this.fixture.advance(Duration.ofSeconds(3));

        assertThat(stopped).isDone();
        assertThat(this.fixture.state("reconciler")).isEqualTo(STOPPED);
        this.fixture.runLoops();
        assertThat(this.fixture.state("reconciler"))
                .as("the late end of an abandoned run changes nothing")
                .isEqualTo(STOPPED);
        assertThat(this.fixture.snapshot("reconciler").failures()).isZero();
    }

    @Test
    void theUptimeOfEachRunIsReportedWhenItEnds() {
        start(
                "reconciler",
                new Script().then(new IOException("boom")),
                EngineFixture.exact().build());

        this.fixture.advance(Duration.ofSeconds(42));
        this.fixture.runLoops();

        assertThat(this.fixture.events(SupervisionEvent.Failed.class))
                .extracting(SupervisionEvent.Failed::runTime)
                .isEqualTo(List.of(Duration.ofSeconds(42)));
    }
}
