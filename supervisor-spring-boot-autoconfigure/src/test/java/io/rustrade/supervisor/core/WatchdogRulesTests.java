package io.rustrade.supervisor.core;

import static io.rustrade.supervisor.ServiceState.BACKING_OFF;
import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.WatchdogTimeoutException;
import io.rustrade.supervisor.testing.FakeLifecycle;
import io.rustrade.supervisor.testing.VirtualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The watchdog's own rules: one tick pending at most, none once stopped or turned off, and a poll abandoned
 * at a tick shows in the snapshot at once.
 */
class WatchdogRulesTests {

    private final VirtualScheduler scheduler = new VirtualScheduler();

    @Test
    void startingTheWatchdogTwiceKeepsOneTickPending() {
        Watchdog watchdog = new Watchdog(this.scheduler, Duration.ofSeconds(1).toNanos(), List.of());

        watchdog.start();
        watchdog.start();

        assertThat(this.scheduler.pendingTimers()).isEqualTo(1);
        this.scheduler.advance(Duration.ofSeconds(1));
        assertThat(this.scheduler.pendingTimers()).as("the next tick").isEqualTo(1);
    }

    @Test
    void aStoppedWatchdogLeavesNoTimerBehind() {
        Watchdog watchdog = new Watchdog(this.scheduler, Duration.ofSeconds(1).toNanos(), List.of());
        watchdog.start();

        watchdog.stop();

        assertThat(this.scheduler.pendingTimers()).isZero();
    }

    @Test
    void aWatchdogIntervalOfZeroSchedulesNothing() {
        Watchdog watchdog = new Watchdog(this.scheduler, 0, List.of());

        watchdog.start();

        assertThat(this.scheduler.pendingTimers()).isZero();
    }

    @Test
    void aSuspendedSupervisorNeitherPollsNorKeepsATickPending() {
        EngineFixture fixture = new EngineFixture(Duration.ofSeconds(1));
        FakeLifecycle feed = new FakeLifecycle();
        fixture.startBean("feed", feed, EngineFixture.exact().build());
        AtomicInteger polls = new AtomicInteger();
        feed.onIsRunning = polls::incrementAndGet;
        fixture.advance(Duration.ofSeconds(1));
        assertThat(polls).as("polled while supervised").hasValue(1);

        fixture.engine.suspend();
        fixture.runUntilIdle();
        fixture.advance(Duration.ofSeconds(5));

        assertThat(fixture.scheduler.pendingTimers()).isZero();
        assertThat(polls).hasValue(1);
    }

    @Test
    void aPollAbandonedAtATickShowsItsFailureInTheSnapshotAtOnce() {
        EngineFixture fixture = new EngineFixture(Duration.ofSeconds(1));
        FakeLifecycle feed = new FakeLifecycle();
        fixture.startBean(
                "feed",
                feed,
                EngineFixture.exact().startTimeout(Duration.ofSeconds(3)).build());
        List<String> inside = new ArrayList<>();
        feed.onIsRunning = () -> {
            feed.onIsRunning = () -> {};
            // Began at the first tick, abandoned at the tick 3s later; no other timer falls due meanwhile.
            fixture.advance(Duration.ofSeconds(3));
            inside.add(fixture.state("feed") + " "
                    + fixture.snapshot("feed").lastFailure().exception());
        };

        fixture.advance(Duration.ofSeconds(1));

        assertThat(inside).containsExactly(BACKING_OFF + " " + WatchdogTimeoutException.class.getName());
    }
}
