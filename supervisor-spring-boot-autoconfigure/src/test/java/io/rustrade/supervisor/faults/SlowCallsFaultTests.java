package io.rustrade.supervisor.faults;

import static io.rustrade.supervisor.faults.FaultContexts.awaitNoCallThreads;
import static io.rustrade.supervisor.faults.FaultContexts.callThreads;
import static io.rustrade.supervisor.faults.FaultContexts.snapshot;
import static io.rustrade.supervisor.faults.FaultContexts.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustrade.supervisor.HistoryEntry;
import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.Supervisor;
import io.rustrade.supervisor.autoconfigure.SupervisorAutoConfiguration;
import io.rustrade.supervisor.core.SupervisorEngine;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;

/**
 * Calls that are slow but inside their timeout, in real application contexts: four beans whose {@code
 * isRunning()} or {@code start()} takes {@value #SLOW_SECONDS} s — as many as the supervisor has base call
 * threads — while {@code start-timeout} is {@value #START_TIMEOUT_SECONDS} s, so none of them is ever
 * abandoned. The rule checked: a slow call holds only its own thread, so another service's restart begins,
 * and another's silent crash is seen, within a small fraction of the slow calls' time.
 */
class SlowCallsFaultTests {

    private static final long SLOW_SECONDS = 5;

    private static final long START_TIMEOUT_SECONDS = 6;

    /** The supervisor's base call threads, each held by one slow call. */
    private static final int SLOW_BEANS = 4;

    /** What "promptly" means here: well under the slow calls' time. */
    private static final Duration PROMPTLY = Duration.ofMillis(1500);

    /** Opened at the end of each test: every slow call returns at once, and the context closes fast. */
    private final CountDownLatch release = new CountDownLatch(1);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(SupervisorAutoConfiguration.class, LifecycleAutoConfiguration.class))
            .withPropertyValues(
                    "rustrade.supervisor.backoff.base-delay=10ms",
                    "rustrade.supervisor.backoff.max-delay=20ms",
                    "rustrade.supervisor.backoff.jitter=none",
                    "rustrade.supervisor.watchdog-interval=50ms",
                    "rustrade.supervisor.start-timeout=" + START_TIMEOUT_SECONDS + "s",
                    "rustrade.supervisor.stop-timeout=1s",
                    "rustrade.supervisor.circuit-breaker.max-failures=0");

    @AfterEach
    void releaseSlowCalls() {
        this.release.countDown();
    }

    /** The healthy bean fails and the silent one stops on its own: the restart and the crash are seen promptly. */
    private static void failAndCrashAndExpectBothSeenPromptly(
            Supervisor supervisor, TimedBean healthy, TimedBean silent) {
        long failed = System.nanoTime();
        supervisor.reportFailure("healthy", new IllegalStateException("connection lost"));
        silent.crashSilently();

        await("the healthy service's restart calls start()").atMost(PROMPTLY).until(() -> healthy.starts.get() == 2);
        await("the silent crash is seen")
                .atMost(PROMPTLY)
                .until(() -> snapshot(supervisor, "silent").failures() == 1);
        assertThat(Duration.ofNanos(healthy.lastStartNanos.get() - failed))
                .as("from the failure to the restart's start()")
                .isLessThan(PROMPTLY);
    }

    /** The application: the slow beans, a healthy one that will fail, and one that will crash silently. */
    private ApplicationContextRunner withBeans(List<SlowBean> slow, TimedBean healthy, TimedBean silent) {
        ApplicationContextRunner beans = this.runner
                .withBean("healthy", TimedBean.class, () -> healthy)
                .withBean("silent", TimedBean.class, () -> silent);
        for (int i = 0; i < SLOW_BEANS; i++) {
            SlowBean bean = slow.get(i);
            beans = beans.withBean("slow" + i, SlowBean.class, () -> bean);
        }
        return beans;
    }

    @Test
    void aRestartBeginsPromptlyWhileFourBeansTakeSecondsToAnswerIsRunning() {
        awaitNoCallThreads();
        List<SlowBean> slow = slowBeans();
        TimedBean healthy = new TimedBean();
        TimedBean silent = new TimedBean();
        withBeans(slow, healthy, silent).run(context -> {
            Supervisor supervisor = context.getBean(Supervisor.class);
            SupervisorEngine engine = context.getBean(SupervisorEngine.class);
            assertThat(supervisor.services()).allMatch(service -> service.state() == ServiceState.RUNNING);

            slow.forEach(bean -> bean.slowIsRunning.set(true));
            await("every slow bean inside a slow isRunning()")
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> slow.stream().allMatch(bean -> bean.answering.get() == 1));

            failAndCrashAndExpectBothSeenPromptly(supervisor, healthy, silent);
            assertThat(slow)
                    .as("the slow calls are still under way: the promptness was not theirs")
                    .allMatch(bean -> bean.answering.get() == 1);
            await("both running again")
                    .atMost(PROMPTLY)
                    .until(() -> state(supervisor, "healthy") == ServiceState.RUNNING
                            && state(supervisor, "silent") == ServiceState.RUNNING);
            assertThat(snapshot(supervisor, "silent").lastFailure().exception()).endsWith("UnexpectedStopException");
            assertSlowCallsNeverAbandoned(supervisor, engine, slow);

            this.release.countDown();
        });
    }

    @Test
    void aRestartBeginsPromptlyWhileFourRestartsTakeSecondsToStart() {
        awaitNoCallThreads();
        List<SlowBean> slow = slowBeans();
        TimedBean healthy = new TimedBean();
        TimedBean silent = new TimedBean();
        withBeans(slow, healthy, silent).run(context -> {
            Supervisor supervisor = context.getBean(Supervisor.class);
            SupervisorEngine engine = context.getBean(SupervisorEngine.class);
            assertThat(supervisor.services()).allMatch(service -> service.state() == ServiceState.RUNNING);

            slow.forEach(bean -> bean.slowStart.set(true));
            for (int i = 0; i < SLOW_BEANS; i++) {
                supervisor.reportFailure("slow" + i, new IllegalStateException("feed dropped"));
            }
            await("every slow bean inside a slow start()")
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> slow.stream().allMatch(bean -> bean.starting.get() == 1));

            failAndCrashAndExpectBothSeenPromptly(supervisor, healthy, silent);
            assertThat(slow)
                    .as("the slow starts are still under way: the promptness was not theirs")
                    .allMatch(bean -> bean.starting.get() == 1);
            assertSlowCallsNeverAbandoned(supervisor, engine, slow);

            this.release.countDown();
            await("the slow restarts end running")
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> IntStream.range(0, SLOW_BEANS)
                            .allMatch(i -> state(supervisor, "slow" + i) == ServiceState.RUNNING));
            assertThat(slow).allMatch(bean -> bean.starts.get() == 2 && bean.maxInside.get() == 1);
        });
    }

    /**
     * Nothing was abandoned — each slow call stays inside its timeout and is never interrupted — and the
     * call threads are the four base ones plus at most one per slow call.
     */
    private static void assertSlowCallsNeverAbandoned(
            Supervisor supervisor, SupervisorEngine engine, List<SlowBean> slow) {
        assertThat(engine.abandonedCalls()).isZero();
        assertThat(slow).allMatch(bean -> !bean.interrupted.get() && bean.maxInside.get() == 1);
        for (int i = 0; i < SLOW_BEANS; i++) {
            assertThat(snapshot(supervisor, "slow" + i).events())
                    .extracting(HistoryEntry::type)
                    .doesNotContain(HistoryEntry.Type.CALL_ABANDONED);
        }
        assertThat(callThreads())
                .as("call threads: four, and one per slow call")
                .isLessThanOrEqualTo(4 + SLOW_BEANS);
    }

    private List<SlowBean> slowBeans() {
        return IntStream.range(0, SLOW_BEANS)
                .mapToObj(i -> new SlowBean(this.release))
                .toList();
    }

    /** A well-behaved bean that notes when its {@code start()} was last called. */
    static class TimedBean implements SmartLifecycle {

        final AtomicInteger starts = new AtomicInteger();

        final AtomicLong lastStartNanos = new AtomicLong();

        private volatile boolean running;

        @Override
        public void start() {
            this.lastStartNanos.set(System.nanoTime());
            this.starts.incrementAndGet();
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

        /** Stops without telling anybody, as a dropped connection does. */
        void crashSilently() {
            this.running = false;
        }
    }

    /**
     * A bean whose {@code isRunning()} or {@code start()}, once armed, takes {@value #SLOW_SECONDS} s (inside
     * the timeout), or until the test releases it. It notes whether it was ever interrupted and how many
     * calls were ever inside it at once.
     */
    static class SlowBean implements SmartLifecycle {

        final AtomicBoolean slowIsRunning = new AtomicBoolean();

        final AtomicBoolean slowStart = new AtomicBoolean();

        /** Slow {@code isRunning()} and {@code start()} calls inside the bean now. */
        final AtomicInteger answering = new AtomicInteger();

        final AtomicInteger starting = new AtomicInteger();

        final AtomicInteger starts = new AtomicInteger();

        final AtomicInteger maxInside = new AtomicInteger();

        final AtomicBoolean interrupted = new AtomicBoolean();

        private final AtomicInteger inside = new AtomicInteger();

        private final CountDownLatch release;

        private volatile boolean running;

        SlowBean(CountDownLatch release) {
            this.release = release;
        }

        @Override
        public void start() {
            enter();
            try {
                this.starts.incrementAndGet();
                if (this.slowStart.get()) {
                    slowly(this.starting);
                }
                this.running = true;
            } finally {
                exit();
            }
        }

        @Override
        public void stop() {
            enter();
            try {
                this.running = false;
            } finally {
                exit();
            }
        }

        @Override
        public boolean isRunning() {
            enter();
            try {
                if (this.slowIsRunning.get()) {
                    slowly(this.answering);
                }
                return this.running;
            } finally {
                exit();
            }
        }

        private void slowly(AtomicInteger counter) {
            counter.incrementAndGet();
            try {
                this.release.await(SLOW_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                this.interrupted.set(true);
                Thread.currentThread().interrupt();
            } finally {
                counter.decrementAndGet();
            }
        }

        private void enter() {
            this.maxInside.accumulateAndGet(this.inside.incrementAndGet(), Math::max);
        }

        private void exit() {
            this.inside.decrementAndGet();
        }
    }
}
