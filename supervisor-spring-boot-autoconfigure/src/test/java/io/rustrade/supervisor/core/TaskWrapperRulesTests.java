package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.SupervisedService;
import io.rustrade.supervisor.testing.FakeLifecycle;
import io.rustrade.supervisor.testing.ManualExecutor;
import io.rustrade.supervisor.testing.VirtualScheduler;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The rules of {@link TaskWrappers}: the wrappers go around the code in order, on its thread; the code runs
 * exactly once there, whatever a wrapper does; a wrapper that fails is left out, with a warning; and the
 * code's outcome is the call's. Then the engine: calls and runs of services run inside the wrappers, and a
 * hostile wrapper changes nothing of their supervision.
 */
@ExtendWith(OutputCaptureExtension.class)
class TaskWrapperRulesTests {

    /** What a wrapper put on the thread, as a logging context would: read by the code. */
    private static final ThreadLocal<String> CONTEXT = new ThreadLocal<>();

    private final List<String> journal = new ArrayList<>();

    private final AtomicInteger codeRuns = new AtomicInteger();

    @AfterEach
    void clearContext() {
        CONTEXT.remove();
    }

    /** A wrapper that notes its name and the service's around the task, and sets the context. */
    private SupervisorEngine.TaskWrapper noting(String name) {
        return (service, task) -> () -> {
            this.journal.add(name + " before " + service);
            String outer = CONTEXT.get();
            CONTEXT.set(name);
            try {
                task.run();
            } finally {
                CONTEXT.set(outer);
                this.journal.add(name + " after");
            }
        };
    }

    private Calls.UserCode code() {
        return () -> {
            this.codeRuns.incrementAndGet();
            this.journal.add("code in " + CONTEXT.get());
        };
    }

    private static TaskWrappers wrappers(SupervisorEngine.TaskWrapper... wrappers) {
        return new TaskWrappers(List.of(wrappers), NanoClock.system());
    }

    @Test
    void withoutWrappersTheCodeRunsAsItIsAndARunLoopIsLaunchedUnchanged() throws Exception {
        IOException refused = new IOException("refused");
        assertThatThrownBy(() -> TaskWrappers.NONE.run("feed", "start() of service 'feed'", () -> {
                    throw refused;
                }))
                .isSameAs(refused);
        Runnable run = () -> {};
        assertThat(TaskWrappers.NONE.around("feed", "run of service 'feed'", run))
                .isSameAs(run);
    }

    @Test
    void theWrappersGoAroundTheCodeInTheOrderGivenTheFirstInnermostAndAreToldTheService() throws Exception {
        wrappers(noting("inner"), noting("outer")).run("feed", "start() of service 'feed'", code());

        assertThat(this.journal)
                .containsExactly(
                        "outer before feed", "inner before feed", "code in inner", "inner after", "outer after");
        assertThat(CONTEXT.get()).as("each wrapper set the context back").isNull();
    }

    @Test
    void theCodesFailureGoesOutThroughTheWrappersAndIsThrownAsItWasThrown() {
        IOException refused = new IOException("refused");
        List<Throwable> seenByWrapper = new ArrayList<>();
        SupervisorEngine.TaskWrapper observing = (service, task) -> () -> {
            try {
                task.run();
            } catch (Throwable ex) {
                seenByWrapper.add(ex);
                throw ex;
            }
        };

        Throwable thrown = catchThrowable(() -> wrappers(observing).run("feed", "start() of service 'feed'", () -> {
            throw refused;
        }));

        assertThat(thrown).isSameAs(refused);
        assertThat(seenByWrapper).containsExactly(refused);
    }

    @Test
    void aWrapperThatSwallowsOrReplacesTheCodesFailureDoesNotChangeTheOutcome() {
        IllegalStateException refused = new IllegalStateException("refused");
        SupervisorEngine.TaskWrapper swallowing = (service, task) -> () -> {
            try {
                task.run();
            } catch (RuntimeException ex) {
                // a decorator that logs and forgets
            }
        };
        SupervisorEngine.TaskWrapper replacing = (service, task) -> () -> {
            try {
                task.run();
            } catch (RuntimeException ex) {
                throw new IllegalArgumentException("wrapped", ex);
            }
        };

        for (TaskWrappers wrappers :
                List.of(wrappers(swallowing), wrappers(replacing), wrappers(replacing, swallowing))) {
            assertThat(catchThrowable(() -> wrappers.run("feed", "stop() of service 'feed'", () -> {
                        throw refused;
                    })))
                    .isSameAs(refused);
        }
    }

    @Test
    void whenWrapThrowsOrReturnsNullTheCodeRunsOnceWithoutThatWrapperButInsideTheOthers(CapturedOutput output)
            throws Exception {
        SupervisorEngine.TaskWrapper throwing = (service, task) -> {
            throw new IllegalStateException("decorator broken");
        };
        SupervisorEngine.TaskWrapper nullReturning = (service, task) -> null;

        wrappers(noting("inner"), throwing, noting("outer")).run("feed", "start() of service 'feed'", code());
        wrappers(noting("inner"), nullReturning, noting("outer")).run("feed", "start() of service 'feed'", code());

        assertThat(this.codeRuns).hasValue(2);
        assertThat(this.journal)
                .containsExactly(
                        "outer before feed",
                        "inner before feed",
                        "code in inner",
                        "inner after",
                        "outer after",
                        "outer before feed",
                        "inner before feed",
                        "code in inner",
                        "inner after",
                        "outer after");
        assertThat(output)
                .contains("threw before running the start() of service 'feed'; it ran without that wrapper")
                .contains("decorator broken")
                .contains("returned null for the start() of service 'feed'; it ran without that wrapper");
    }

    @Test
    void whenWhatAWrapperReturnedThrowsBeforeRunningTheCodeOrNeverRunsItTheCodeRunsOnceWithoutIt(CapturedOutput output)
            throws Exception {
        SupervisorEngine.TaskWrapper throwingBefore = (service, task) -> () -> {
            throw new IllegalStateException("context missing");
        };
        SupervisorEngine.TaskWrapper neverRunning = (service, task) -> () -> {};

        wrappers(throwingBefore, noting("outer")).run("feed", "isRunning() of service 'feed'", code());
        wrappers(neverRunning).run("feed", "isRunning() of service 'feed'", code());

        assertThat(this.codeRuns).hasValue(2);
        assertThat(this.journal).containsExactly("outer before feed", "code in outer", "outer after", "code in null");
        assertThat(output)
                .contains("threw before running the isRunning() of service 'feed'")
                .contains("context missing")
                .contains("returned without running the isRunning() of service 'feed'");
    }

    @Test
    void theCodeRunsOnceOnItsOwnThreadWhateverTheWrapperDoesWithIt() throws Exception {
        List<Thread> codeThreads = new CopyOnWriteArrayList<>();
        SupervisorEngine.TaskWrapper twice = (service, task) -> () -> {
            task.run();
            task.run();
        };
        SupervisorEngine.TaskWrapper elsewhere = (service, task) -> () -> {
            Thread other = new Thread(task, "elsewhere");
            other.start();
            try {
                other.join();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        };
        Calls.UserCode recording = () -> codeThreads.add(Thread.currentThread());

        wrappers(twice).run("feed", "start() of service 'feed'", recording);
        wrappers(elsewhere).run("feed", "start() of service 'feed'", recording);

        assertThat(codeThreads).containsExactly(Thread.currentThread(), Thread.currentThread());
    }

    @Test
    void aWrapperThatThrowsAfterTheCodeReturnedChangesNothingButAWarning(CapturedOutput output) throws Exception {
        SupervisorEngine.TaskWrapper throwingAfter = (service, task) -> () -> {
            task.run();
            throw new IllegalStateException("span already closed");
        };

        wrappers(throwingAfter, noting("outer")).run("feed", "stop() of service 'feed'", code());

        assertThat(this.codeRuns).hasValue(1);
        assertThat(this.journal)
                .as("the wrappers around it see the code return")
                .containsExactly("outer before feed", "code in outer", "outer after");
        assertThat(output)
                .contains("threw after the stop() of service 'feed' returned; its outcome stands")
                .contains("span already closed");
    }

    @Test
    void anErrorFatalToTheJvmFromAWrapperIsTheCallsFailure() {
        OutOfMemoryError outOfMemory = new OutOfMemoryError("simulated");
        SupervisorEngine.TaskWrapper exhausted = (service, task) -> {
            throw outOfMemory;
        };

        assertThat(catchThrowable(() -> wrappers(exhausted).run("feed", "start() of service 'feed'", code())))
                .isSameAs(outOfMemory);
        assertThat(this.codeRuns).hasValue(0);
    }

    @Test
    void aFailingWrapperIsWarnedAboutOnceAMinuteAndAtDebugInBetween(CapturedOutput output) throws Exception {
        long[] now = {0};
        SupervisorEngine.TaskWrapper throwing = (service, task) -> {
            throw new IllegalStateException("decorator broken");
        };
        TaskWrappers wrappers = new TaskWrappers(List.of(throwing), () -> now[0]);

        wrappers.run("feed", "isRunning() of service 'feed'", code());
        wrappers.run("feed", "isRunning() of service 'feed'", code());
        now[0] += TaskWrappers.WARNING_INTERVAL_NANOS;
        wrappers.run("feed", "isRunning() of service 'feed'", code());

        assertThat(this.codeRuns).hasValue(3);
        assertThat(output.toString().split("threw before running the isRunning\\(\\) of service 'feed'", -1))
                .as("the first failure and the one a minute later are warned about, not the one between")
                .hasSize(3);
    }

    // ---------------------------------------------------------------- in the engine

    private final VirtualScheduler scheduler = new VirtualScheduler(0);

    private final ManualExecutor calls = new ManualExecutor();

    private final ManualExecutor runs = new ManualExecutor();

    private SupervisorEngine engine(SupervisorEngine.TaskWrapper... wrappers) {
        SupervisorEngine.Builder builder = SupervisorEngine.builder()
                .scheduler(this.scheduler)
                .callExecutor(this.calls)
                .runLauncher(this.runs)
                .eventExecutor(Runnable::run)
                .answerExecutor(Runnable::run)
                .watchdogInterval(Duration.ofSeconds(1));
        for (SupervisorEngine.TaskWrapper wrapper : wrappers) {
            builder.taskWrapper(wrapper);
        }
        SupervisorEngine engine = builder.build();
        engine.open();
        runUntilIdle();
        return engine;
    }

    private void runUntilIdle() {
        do {
            this.scheduler.runControlTasks();
        } while (this.calls.runNext() || this.runs.runNext());
        this.scheduler.runControlTasks();
    }

    private void advance(Duration duration) {
        runUntilIdle();
        long target = this.scheduler.elapsedNanos() + duration.toNanos();
        while (this.scheduler.fireNextTimer(target)) {
            runUntilIdle();
        }
        this.scheduler.advance(Duration.ofNanos(target - this.scheduler.elapsedNanos()));
        runUntilIdle();
    }

    @Test
    void everyCallIntoALifecycleServiceAndEveryRunOfARunLoopRunsInsideTheWrappersNamingItsService() {
        List<String> contexts = new CopyOnWriteArrayList<>();
        SupervisorEngine.TaskWrapper naming = (service, task) -> () -> {
            CONTEXT.set(service);
            try {
                task.run();
            } finally {
                CONTEXT.remove();
            }
        };
        SupervisorEngine engine = engine(naming);
        FakeLifecycle feed = new FakeLifecycle();
        feed.onStart = () -> contexts.add("start " + CONTEXT.get());
        feed.onIsRunning = () -> contexts.add("isRunning " + CONTEXT.get());
        feed.onStop = () -> contexts.add("stop " + CONTEXT.get());
        SupervisedService reconciler = cancellation -> contexts.add("run " + CONTEXT.get());

        engine.registerBean("feed", feed, ServiceOptions.defaults());
        engine.startService("feed");
        engine.register("reconciler", reconciler);
        advance(Duration.ofSeconds(1));
        engine.stopService("feed");
        runUntilIdle();

        assertThat(contexts)
                .contains("start feed", "isRunning feed", "stop feed", "run reconciler")
                .allSatisfy(context -> assertThat(context).doesNotEndWith("null"));
        assertThat(CONTEXT.get()).as("nothing is left on the thread").isNull();
    }

    @Test
    void aHostileWrapperChangesNothingOfSupervision() {
        SupervisorEngine.TaskWrapper hostile = (service, task) -> {
            throw new IllegalStateException("decorator broken");
        };
        SupervisorEngine engine = engine(hostile);
        FakeLifecycle feed = new FakeLifecycle();
        AtomicInteger runs = new AtomicInteger();

        engine.registerBean("feed", feed, ServiceOptions.defaults());
        engine.startService("feed");
        engine.register("reconciler", cancellation -> runs.incrementAndGet());
        runUntilIdle();
        advance(Duration.ofSeconds(3));

        assertThat(engine.service("feed").orElseThrow().state()).isEqualTo(ServiceState.RUNNING);
        assertThat(engine.service("feed").orElseThrow().failures()).isZero();
        assertThat(feed.starts()).isEqualTo(1);
        assertThat(runs).hasValue(1);
        assertThat(engine.service("reconciler").orElseThrow().state())
                .as("its run ran, and its end was seen")
                .isEqualTo(ServiceState.COMPLETED);
        assertThat(engine.service("reconciler").orElseThrow().failures()).isZero();
    }
}
