package io.rustrade.supervisor.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rustrade.supervisor.Cancellation;
import io.rustrade.supervisor.Jitter;
import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.SupervisedService;
import io.rustrade.supervisor.Supervisor;
import io.rustrade.supervisor.core.BackoffPolicy;
import io.rustrade.supervisor.core.LifecycleService;
import io.rustrade.supervisor.core.ServiceOptions;
import io.rustrade.supervisor.core.SupervisorEngine;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.Ordered;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.CompositeTaskDecorator;

/**
 * The context of services' code (ADR 015): every call into a lifecycle bean and every run of a run loop
 * carries the MDC key {@code service}, gone from the thread afterwards, and runs inside the application's
 * {@code TaskDecorator} beans; a decorator that fails does not stop supervision.
 */
@ExtendWith(OutputCaptureExtension.class)
class ServiceContextTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(SupervisorAutoConfiguration.class, LifecycleAutoConfiguration.class))
            .withPropertyValues(
                    "rustrade.supervisor.backoff.base-delay=10ms",
                    "rustrade.supervisor.backoff.jitter=none",
                    "rustrade.supervisor.watchdog-interval=20ms");

    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    /** What the MDC holds now: the service key, and the mark of {@link MarkingDecorator}. */
    private static String mdc() {
        return MDC.get(ServiceMdc.KEY) + (MDC.get("decorated") != null ? " decorated" : "");
    }

    @Test
    void everyCallIntoALifecycleBeanCarriesTheServiceKeyItsFirstStartToo() {
        RecordingFeed feed = new RecordingFeed();
        this.runner.withBean("feed", RecordingFeed.class, () -> feed).run(context -> {
            Supervisor supervisor = context.getBean(Supervisor.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> feed.count("isRunning") >= 2);
            supervisor.restart("feed");
            await().atMost(Duration.ofSeconds(5)).until(() -> feed.count("start") == 2);
            context.stop();

            assertThat(feed.seen.subList(0, 2))
                    .as("the first start, the container's, asks isRunning() first")
                    .containsExactly("isRunning feed", "start feed");
            assertThat(feed.seen)
                    .contains("isRunning feed", "stop feed")
                    .containsOnly("start feed", "isRunning feed", "stop feed");
            assertThat(MDC.get(ServiceMdc.KEY)).as("the context's thread").isNull();
        });
    }

    @Test
    void everyRunOfARunLoopCarriesTheServiceKey() {
        RecordingRunLoop loop = new RecordingRunLoop();
        this.runner.withBean("reconciler", RecordingRunLoop.class, () -> loop).run(context -> {
            await().atMost(Duration.ofSeconds(5)).until(() -> loop.seen.size() == 2);

            assertThat(loop.seen).as("the failed run and its restart").containsExactly("reconciler", "reconciler");
        });
    }

    @Test
    void theKeyIsGoneFromAPooledThreadOnceItsCallReturnedThrewOrWasAbandoned() throws Exception {
        ExecutorService callThread = Executors.newSingleThreadExecutor();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger starts = new AtomicInteger();
        List<String> seen = new CopyOnWriteArrayList<>();
        LifecycleService feed = new LifecycleService() {

            private volatile boolean running;

            @Override
            public void start() throws Exception {
                seen.add(MDC.get(ServiceMdc.KEY));
                int start = starts.incrementAndGet();
                if (start == 1) {
                    throw new IllegalStateException("login refused");
                }
                if (start == 2) {
                    // Ignores the interrupt of its abandonment: stuck until released.
                    while (!release.await(10, TimeUnit.SECONDS)) {
                        Thread.onSpinWait();
                    }
                }
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
        };
        try (SupervisorEngine engine = SupervisorEngine.builder()
                .callExecutor(callThread)
                .watchdogInterval(Duration.ZERO)
                .taskWrapper(new ServiceMdc())
                .build()) {
            engine.open();
            engine.registerBean(
                    "feed",
                    feed,
                    ServiceOptions.builder()
                            .backoff(BackoffPolicy.builder()
                                    .baseDelay(Duration.ofMillis(300))
                                    .jitter(Jitter.NONE)
                                    .build())
                            .startTimeout(Duration.ofMillis(200))
                            .build());
            engine.startService("feed").get(5, TimeUnit.SECONDS);
            assertThat(CompletableFuture.supplyAsync(() -> MDC.get(ServiceMdc.KEY), callThread)
                            .get(5, TimeUnit.SECONDS))
                    .as("after a start that threw")
                    .isNull();

            await().atMost(Duration.ofSeconds(5))
                    .until(() -> engine.service("feed").orElseThrow().failures() == 2);
            assertThat(starts).as("the second start is stuck, abandoned").hasValue(2);
            release.countDown();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> engine.service("feed").orElseThrow().state() == ServiceState.RUNNING);
            assertThat(CompletableFuture.supplyAsync(() -> MDC.get(ServiceMdc.KEY), callThread)
                            .get(5, TimeUnit.SECONDS))
                    .as("after an abandoned start returned, and the start after it")
                    .isNull();
            assertThat(seen).containsExactly("feed", "feed", "feed");
        } finally {
            release.countDown();
            callThread.shutdownNow();
        }
    }

    @Test
    void theKeyIsSetBackToWhatItWasAfterTheCodeAlsoWhenItThrows() {
        MDC.put(ServiceMdc.KEY, "outer");
        Runnable throwing = new ServiceMdc().wrap("feed", () -> {
            assertThat(MDC.get(ServiceMdc.KEY)).isEqualTo("feed");
            throw new IllegalStateException("login refused");
        });

        assertThatThrownBy(throwing::run).hasMessage("login refused");
        assertThat(MDC.get(ServiceMdc.KEY)).isEqualTo("outer");
    }

    @Test
    void theApplicationsTaskDecoratorWrapsCallsAndRunsAndSeesTheServiceKey() {
        RecordingFeed feed = new RecordingFeed();
        RecordingRunLoop loop = new RecordingRunLoop();
        MarkingDecorator decorator = new MarkingDecorator();
        this.runner
                .withBean("feed", RecordingFeed.class, () -> feed)
                .withBean("reconciler", RecordingRunLoop.class, () -> loop)
                .withBean("decorator", TaskDecorator.class, () -> decorator)
                .run(context -> {
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> feed.count("isRunning") >= 1 && loop.seen.size() == 2);
                    context.stop();

                    assertThat(feed.seen)
                            .contains("start feed decorated", "isRunning feed decorated", "stop feed decorated")
                            .allSatisfy(entry -> assertThat(entry).endsWith("feed decorated"));
                    assertThat(loop.seen).containsExactly("reconciler decorated", "reconciler decorated");
                    assertThat(decorator.decoratedFor)
                            .as("the key is set before the decorator is called")
                            .contains("feed", "reconciler")
                            .doesNotContainNull();
                });
    }

    @Test
    void severalTaskDecoratorsApplyInTheirOrderAsInSpringBootsExecutors() {
        List<String> supervised = new CopyOnWriteArrayList<>();
        RecordingRunLoop loop = new RecordingRunLoop(() -> supervised.add("code"));
        this.runner
                .withBean("reconciler", RecordingRunLoop.class, () -> loop)
                .withBean("second", TaskDecorator.class, () -> new OrderedDecorator(2, supervised))
                .withBean("first", TaskDecorator.class, () -> new OrderedDecorator(1, supervised))
                .run(context -> {
                    await().atMost(Duration.ofSeconds(5)).until(() -> loop.seen.size() == 1);
                });
        // The decorators are left once the run has returned, after the context has cancelled it.
        await().atMost(Duration.ofSeconds(5)).until(() -> supervised.size() == 5);
        List<String> boot = new CopyOnWriteArrayList<>();
        new CompositeTaskDecorator(List.of(new OrderedDecorator(1, boot), new OrderedDecorator(2, boot)))
                .decorate(() -> boot.add("code"))
                .run();

        assertThat(boot).containsExactly("enter 2", "enter 1", "code", "exit 1", "exit 2");
        assertThat(supervised).isEqualTo(boot);
    }

    /** What a decorator does wrong. */
    enum Hostility {
        THROWS {
            @Override
            Runnable decorate(Runnable task) {
                throw new IllegalStateException("decorator broken");
            }
        },
        RETURNS_NULL {
            @Override
            Runnable decorate(Runnable task) {
                return null;
            }
        },
        ITS_TASK_THROWS_BEFORE {
            @Override
            Runnable decorate(Runnable task) {
                return () -> {
                    throw new IllegalStateException("no trace context");
                };
            }
        },
        ITS_TASK_NEVER_RUNS_THE_CODE {
            @Override
            Runnable decorate(Runnable task) {
                return () -> {};
            }
        },
        ITS_TASK_THROWS_AFTER {
            @Override
            Runnable decorate(Runnable task) {
                return () -> {
                    task.run();
                    throw new IllegalStateException("span already closed");
                };
            }
        },
        ITS_TASK_CLEARS_THE_MDC {
            @Override
            Runnable decorate(Runnable task) {
                return () -> {
                    MDC.clear();
                    try {
                        task.run();
                    } finally {
                        MDC.clear();
                    }
                };
            }
        };

        abstract Runnable decorate(Runnable task);
    }

    @ParameterizedTest
    @EnumSource(Hostility.class)
    void aHostileTaskDecoratorDoesNotStopSupervisionNorTheServiceKey(Hostility hostility, CapturedOutput output) {
        RecordingFeed feed = new RecordingFeed();
        RecordingRunLoop loop = new RecordingRunLoop(0);
        this.runner
                .withBean("feed", RecordingFeed.class, () -> feed)
                .withBean("reconciler", RecordingRunLoop.class, () -> loop)
                .withBean("hostile", TaskDecorator.class, () -> hostility::decorate)
                .run(context -> {
                    Supervisor supervisor = context.getBean(Supervisor.class);
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> feed.count("isRunning") >= 3 && loop.seen.size() == 1);
                    context.stop();

                    assertThat(supervisor.service("feed").orElseThrow().failures())
                            .isZero();
                    assertThat(supervisor.service("reconciler").orElseThrow().failures())
                            .isZero();
                    assertThat(feed.count("start")).isEqualTo(1);
                    assertThat(feed.seen)
                            .contains("stop feed")
                            .allSatisfy(entry -> assertThat(entry).endsWith(" feed"));
                    assertThat(loop.seen).containsExactly("reconciler");
                });
        if (hostility != Hostility.ITS_TASK_CLEARS_THE_MDC) {
            // One warning a minute per decorator, naming the first service it failed.
            assertThat(output)
                    .contains("Task wrapper TaskDecorator ")
                    .containsPattern("of service '(feed|reconciler)'");
        }
    }

    /** A lifecycle bean that records, for each call, what it is and what the MDC holds. */
    static final class RecordingFeed implements SmartLifecycle {

        final List<String> seen = new CopyOnWriteArrayList<>();

        private volatile boolean running;

        @Override
        public void start() {
            this.seen.add("start " + mdc());
            this.running = true;
        }

        @Override
        public void stop() {
            this.seen.add("stop " + mdc());
            this.running = false;
        }

        @Override
        public boolean isRunning() {
            this.seen.add("isRunning " + mdc());
            return this.running;
        }

        long count(String call) {
            return this.seen.stream()
                    .filter(entry -> entry.startsWith(call + " "))
                    .count();
        }
    }

    /**
     * A run loop that records what the MDC holds in each run; its first {@code failures} runs throw, later
     * ones wait to be cancelled.
     */
    static final class RecordingRunLoop implements SupervisedService {

        final List<String> seen = new CopyOnWriteArrayList<>();

        private final int failures;

        private final Runnable onRun;

        RecordingRunLoop() {
            this(1);
        }

        RecordingRunLoop(int failures) {
            this.failures = failures;
            this.onRun = () -> {};
        }

        RecordingRunLoop(Runnable onRun) {
            this.failures = 0;
            this.onRun = onRun;
        }

        @Override
        public void run(Cancellation cancellation) {
            this.seen.add(mdc());
            this.onRun.run();
            if (this.seen.size() <= this.failures) {
                throw new IllegalStateException("connection reset");
            }
            while (!cancellation.isCancelled()) {
                cancellation.await(Duration.ofMinutes(1));
            }
        }
    }

    /** Marks the MDC while its task runs, and notes the service key it was called with. */
    static final class MarkingDecorator implements TaskDecorator {

        final List<String> decoratedFor = new CopyOnWriteArrayList<>();

        @Override
        public Runnable decorate(Runnable task) {
            this.decoratedFor.add(String.valueOf(MDC.get(ServiceMdc.KEY)));
            return () -> {
                MDC.put("decorated", "yes");
                try {
                    task.run();
                } finally {
                    MDC.remove("decorated");
                }
            };
        }
    }

    /** Notes when its task is entered and left; ordered. */
    record OrderedDecorator(int order, List<String> journal) implements TaskDecorator, Ordered {

        @Override
        public Runnable decorate(Runnable task) {
            return () -> {
                this.journal.add("enter " + this.order);
                try {
                    task.run();
                } finally {
                    this.journal.add("exit " + this.order);
                }
            };
        }

        @Override
        public int getOrder() {
            return this.order;
        }
    }
}
