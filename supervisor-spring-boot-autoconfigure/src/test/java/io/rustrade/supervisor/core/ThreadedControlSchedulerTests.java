package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThreadedControlSchedulerTests {

    private final ThreadedControlScheduler scheduler = new ThreadedControlScheduler("control", Clock.systemUTC());

    @AfterEach
    void close() {
        this.scheduler.close();
    }

    @Test
    void tasksPostedFromOneThreadRunInTheOrderPostedOnTheControlThread() throws InterruptedException {
        int count = 10 * ThreadedControlScheduler.BATCH + 7;
        List<Integer> ran = new ArrayList<>();
        List<String> threads = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        for (int i = 0; i < count; i++) {
            int task = i;
            this.scheduler.execute(() -> {
                ran.add(task);
                threads.add(Thread.currentThread().getName());
            });
        }
        this.scheduler.execute(done::countDown);
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).hasSize(count).isSorted();
        assertThat(threads).containsOnly("control");
    }

    @Test
    void tasksPostedConcurrentlyAllRunOnce() throws InterruptedException {
        int perThread = 5_000;
        int threads = 4;
        CountDownLatch done = new CountDownLatch(perThread * threads);
        List<Thread> posters = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread poster = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    this.scheduler.execute(done::countDown);
                }
            });
            posters.add(poster);
            poster.start();
        }
        for (Thread poster : posters) {
            poster.join();
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aTimerThatFallsDueRunsWhileTasksKeepBeingPosted() throws InterruptedException {
        AtomicBoolean timerRan = new AtomicBoolean();
        CountDownLatch timer = new CountDownLatch(1);
        this.scheduler.schedule(
                () -> {
                    timerRan.set(true);
                    timer.countDown();
                },
                TimeUnit.MILLISECONDS.toNanos(1));
        // A task that posts another forever, until the timer has run: the mailbox is never empty.
        Runnable[] again = new Runnable[1];
        again[0] = () -> {
            if (!timerRan.get()) {
                this.scheduler.execute(again[0]);
            }
        };
        this.scheduler.execute(again[0]);
        assertThat(timer.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aTaskThatThrowsDoesNotStopTheTasksAfterIt() throws InterruptedException {
        CountDownLatch after = new CountDownLatch(1);
        this.scheduler.execute(() -> {
            throw new IllegalStateException("expected by the test");
        });
        this.scheduler.execute(after::countDown);
        assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aCancelledTimerDoesNotRun() throws InterruptedException {
        AtomicBoolean cancelledRan = new AtomicBoolean();
        CountDownLatch later = new CountDownLatch(1);
        // Due well after it is cancelled, even on a busy machine; the other timer falls due after it.
        this.scheduler
                .schedule(() -> cancelledRan.set(true), TimeUnit.MILLISECONDS.toNanos(200))
                .cancel();
        this.scheduler.schedule(later::countDown, TimeUnit.MILLISECONDS.toNanos(400));
        assertThat(later.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(cancelledRan).isFalse();
    }

    @Test
    void postingAfterCloseIsRejected() {
        this.scheduler.close();
        assertThatThrownBy(() -> this.scheduler.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
    }
}
