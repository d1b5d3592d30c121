package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The rules of the production control thread ({@link ThreadedControlScheduler}) beyond running tasks in
 * order: it is a daemon, posted tasks give timers that fell due their turn every {@value
 * ThreadedControlScheduler#BATCH} tasks, none is left behind when a batch ends, and a task that throws is
 * logged. Real threads: the test holds the control thread with a latch to line work up.
 */
@ExtendWith(OutputCaptureExtension.class)
class ControlThreadRulesTests {

    private final ThreadedControlScheduler scheduler = new ThreadedControlScheduler("control", Clock.systemUTC());

    private final CountDownLatch hold = new CountDownLatch(1);

    @AfterEach
    void close() {
        this.hold.countDown();
        this.scheduler.close();
    }

    /** Holds the control thread until the test lets it go; returns once it is held. */
    private void holdTheControlThread() throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        this.scheduler.execute(() -> {
            held.countDown();
            try {
                this.hold.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void theControlThreadIsADaemonWithTheGivenName() throws InterruptedException {
        AtomicReference<Thread> control = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);

        this.scheduler.execute(() -> {
            control.set(Thread.currentThread());
            ran.countDown();
        });

        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(control.get().getName()).isEqualTo("control");
        assertThat(control.get().isDaemon()).isTrue();
    }

    @Test
    void aTimerThatFellDueRunsAfterExactlyOneBatchOfPostedTasks() throws InterruptedException {
        holdTheControlThread();
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        this.scheduler.schedule(() -> ran.add("timer"), 0);
        for (int i = 1; i < 2 * ThreadedControlScheduler.BATCH; i++) {
            int task = i;
            this.scheduler.execute(() -> ran.add("task " + task));
        }
        this.scheduler.execute(done::countDown);

        this.hold.countDown();

        assertThat(done.await(5, TimeUnit.SECONDS))
                .as("the tasks left after a batch still run")
                .isTrue();
        assertThat(ran.indexOf("timer"))
                .as("after the holding task and the rest of its batch")
                .isEqualTo(ThreadedControlScheduler.BATCH - 1);
        assertThat(ran).hasSize(2 * ThreadedControlScheduler.BATCH);
    }

    @Test
    void theTasksAfterOneThatThrowsAnErrorFatalToTheJvmStillRun() throws InterruptedException {
        holdTheControlThread();
        CountDownLatch after = new CountDownLatch(1);
        this.scheduler.execute(() -> {
            throw new OutOfMemoryError("simulated");
        });
        this.scheduler.execute(after::countDown);

        this.hold.countDown();

        assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aTaskThatThrowsIsLoggedAsAnError(CapturedOutput output) throws InterruptedException {
        CountDownLatch after = new CountDownLatch(1);

        this.scheduler.execute(() -> {
            throw new IllegalStateException("broken task");
        });
        this.scheduler.execute(after::countDown);

        assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(output)
                .contains("Supervisor task failed; supervision goes on")
                .contains("broken task");
    }
}
