package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustrade.supervisor.testing.FakeLifecycle;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code start()} abandoned after its {@code start-timeout} may return after the supervisor has closed,
 * when no control thread and no call thread is left to stop what it started: the thread that returned from
 * it stops the bean then. Real threads: the defect lies in how they end.
 */
class LateStartAfterCloseTests {

    private static final Duration TIMEOUT = Duration.ofMillis(200);

    private final CountDownLatch release = new CountDownLatch(1);

    private final List<String> threads = new CopyOnWriteArrayList<>();

    private final FakeLifecycle feed = new FakeLifecycle();

    private final SupervisorEngine engine =
            SupervisorEngine.builder().watchdogInterval(Duration.ZERO).build();

    @AfterEach
    void releaseTheStart() {
        this.release.countDown();
        this.engine.close();
    }

    @Test
    void aStartThatReturnsAfterTheSupervisorClosedIsStoppedOnTheThreadThatReturnedIt() throws Exception {
        this.engine.open();
        this.engine.registerBean(
                "feed",
                this.feed,
                ServiceOptions.builder()
                        .startTimeout(TIMEOUT)
                        .stopTimeout(TIMEOUT)
                        .build());
        this.engine.startService("feed").get();
        await().atMost(Duration.ofSeconds(5)).until(() -> this.feed.running);
        this.feed.onStart = this::blockIgnoringInterrupts;

        // An operator's restart whose start() hangs past start-timeout: abandoned, then the application closes.
        this.engine.restart("feed");
        await().atMost(Duration.ofSeconds(5)).until(() -> this.engine.abandonedCalls() == 1);
        this.feed.onStop =
                () -> this.threads.add("stop on " + Thread.currentThread().getName());
        this.engine.close();
        assertThat(this.feed.running).as("still inside start()").isFalse();

        this.release.countDown();

        await().atMost(Duration.ofSeconds(5)).until(() -> this.feed.calls.size() == 4);
        assertThat(this.feed.calls).containsExactly("start", "stop", "start", "stop");
        assertThat(this.feed.running).as("the late start was stopped").isFalse();
        assertThat(this.threads).hasSize(2);
        assertThat(this.threads.get(1))
                .as("stopped on the thread its start returned on")
                .isEqualTo("stop on " + this.threads.get(0).substring("start on ".length()));
    }

    private void blockIgnoringInterrupts() {
        this.threads.add("start on " + Thread.currentThread().getName());
        boolean interrupted = false;
        while (true) {
            try {
                this.release.await();
                break;
            } catch (InterruptedException ex) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
