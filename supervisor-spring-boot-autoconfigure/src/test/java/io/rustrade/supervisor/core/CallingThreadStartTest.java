package io.rustrade.supervisor.core;

import static io.rustrade.supervisor.ServiceState.BACKING_OFF;
import static io.rustrade.supervisor.ServiceState.RUNNING;
import static io.rustrade.supervisor.ServiceState.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A lifecycle bean's first start, run by its container on the container's own thread ({@link
 * SupervisorEngine#startServiceOnCallingThread}), on virtual time.
 */
class CallingThreadStartTest {

    private final EngineFixture fixture = new EngineFixture();

    private final List<Thread> startThreads = new ArrayList<>();

    /** For each start: whether it ran as a task of the call executor. */
    private final List<Boolean> onCallExecutor = new ArrayList<>();

    /** What a test adds to the fake's start(), after the thread is recorded. */
    private Runnable duringStart = () -> {};

    private final FakeLifecycle feed = new FakeLifecycle();

    CallingThreadStartTest() {
        this.feed.onStart = () -> {
            this.startThreads.add(Thread.currentThread());
            this.onCallExecutor.add(this.fixture.calls.isInTask());
            this.duringStart.run();
        };
    }

    private void registerFeed() {
        this.fixture.engine.registerBean(
                "feed", this.feed, EngineFixture.exact().build());
        this.fixture.settle();
    }

    @Test
    void theFirstStartRunsOnTheCallingThreadAndReturnsWithoutWaitingForTheSupervisor() {
        registerFeed();

        CompletableFuture<Void> started = this.fixture.engine.startServiceOnCallingThread("feed");

        assertThat(started).isDone();
        assertThat(this.startThreads).containsExactly(Thread.currentThread());
        assertThat(this.onCallExecutor).containsExactly(false);
        assertThat(this.feed.running).isTrue();
        assertThat(this.fixture.engine.isActive("feed"))
                .as("active before the supervisor has applied the start")
                .isTrue();
        this.fixture.settle();
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
        assertThat(this.fixture.events(SupervisionEvent.Started.class)).hasSize(1);
    }

    @Test
    void aFailingFirstStartOnTheCallingThreadIsAFailureThatBacksOffAndRestartsOnACallThread() {
        this.feed.failStarts(new ConnectException("Connection refused"));
        registerFeed();

        CompletableFuture<Void> started = this.fixture.engine.startServiceOnCallingThread("feed");
        this.fixture.settle();

        assertThat(started).as("the failure is not thrown to the container").isDone();
        assertThat(this.fixture.state("feed")).isEqualTo(BACKING_OFF);
        assertThat(this.fixture.snapshot("feed").lastFailure().message()).isEqualTo("Connection refused");

        this.fixture.advance(Duration.ofMillis(100));

        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
        assertThat(this.feed.starts()).isEqualTo(2);
        assertThat(this.onCallExecutor)
                .as("the first start on the calling thread, the restart on a call thread")
                .containsExactly(false, true);
    }

    @Test
    void aFirstStartThatOutlivesTheStartTimeoutIsInterruptedCountedAsAFailureAndItsInterruptCleared() {
        registerFeed();
        List<Boolean> interruptedInStart = new ArrayList<>();
        this.duringStart = () -> {
            // The control thread catches up while start() is under way, and start-timeout passes.
            this.fixture.advance(Duration.ofSeconds(30));
            interruptedInStart.add(Thread.currentThread().isInterrupted());
        };

        this.fixture.engine.startServiceOnCallingThread("feed");

        assertThat(interruptedInStart).containsExactly(true);
        assertThat(Thread.currentThread().isInterrupted())
                .as("the interrupt meant for the abandoned call is cleared")
                .isFalse();
        this.fixture.settle();
        assertThat(this.fixture.snapshot("feed").lastFailure().exception())
                .isEqualTo(StartTimeoutException.class.getName());
        assertThat(this.fixture.snapshot("feed").failures())
                .as("the late return of the abandoned start is not counted again")
                .isEqualTo(1);
        assertThat(this.fixture.state("feed")).isEqualTo(BACKING_OFF);
    }

    @Test
    void anOperatorStartAppliedWhileTheContainerStartsTheBeanDoesNotStartItAgain() {
        registerFeed();
        this.fixture.engine.start("feed");
        // The operator's command is applied after the container has claimed the start, before its report.
        this.duringStart = this.fixture::settle;

        this.fixture.engine.startServiceOnCallingThread("feed");
        this.fixture.settle();

        assertThat(this.feed.starts()).isEqualTo(1);
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
    }

    @Test
    void aContainerStartAfterTheSupervisorBeganTheFirstStartWaitsForItInsteadOfStartingAgain() {
        registerFeed();
        this.fixture.engine.start("feed");
        this.fixture.scheduler.runUntilIdle();

        CompletableFuture<Void> started = this.fixture.engine.startServiceOnCallingThread("feed");

        assertThat(this.startThreads).as("not started on the calling thread").isEmpty();
        assertThat(started).isNotDone();
        this.fixture.settle();
        assertThat(started).isDone();
        assertThat(this.onCallExecutor).containsExactly(true);
    }

    @Test
    void laterContainerStartsGoThroughTheCallThreads() {
        registerFeed();
        this.fixture.engine.startServiceOnCallingThread("feed");
        this.fixture.settle();
        this.fixture.engine.stopService("feed");
        this.fixture.settle();
        assertThat(this.fixture.state("feed")).isEqualTo(STOPPED);

        CompletableFuture<Void> started = this.fixture.engine.startServiceOnCallingThread("feed");

        assertThat(started).isNotDone();
        this.fixture.settle();
        assertThat(started).isDone();
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
        assertThat(this.onCallExecutor).containsExactly(false, true);
    }

    @Test
    void aRunLoopServiceIsStartedByTheSupervisorEvenWhenItsContainerAsks() {
        this.fixture.engine.registerBean(
                "poller", cancellation -> {}, EngineFixture.exact().build());
        this.fixture.settle();

        CompletableFuture<Void> started = this.fixture.engine.startServiceOnCallingThread("poller");
        this.fixture.settle();

        assertThat(started).isDone();
        assertThat(this.fixture.runs.pending()).isEqualTo(1);
    }
}
