package io.rustrade.supervisor.core;

import static io.rustrade.supervisor.ServiceState.BACKING_OFF;
import static io.rustrade.supervisor.ServiceState.CIRCUIT_OPEN;
import static io.rustrade.supervisor.ServiceState.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.CircuitOpenAction;
import io.rustrade.supervisor.testing.FakeLifecycle;
import java.io.IOException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A restart or probe called off leaves no timer behind, an unregistered service none at all, and a service
 * keeps at most one timer to refresh its count of recent failures: with thousands of services, timers that
 * would only fire to do nothing add up. Counted on the virtual scheduler, whose watchdog is off here: what is
 * pending is the services' own timers.
 */
class TimerReleaseRulesTests {

    private final EngineFixture fixture = new EngineFixture();

    private final FakeLifecycle feed = new FakeLifecycle();

    /** A feed whose first start failed: backing off, with its restart and its failure-count refresh pending. */
    private void backingOff() {
        this.feed.failStarts(new IOException("refused"));
        this.fixture.startBean("feed", this.feed, EngineFixture.exact().build());
        assertThat(this.fixture.state("feed")).isEqualTo(BACKING_OFF);
        assertThat(this.fixture.scheduler.pendingTimers()).isEqualTo(2);
    }

    private void assertCallingOffTheRestartLeavesOnlyTheRefresh(Consumer<SupervisorEngine> request) {
        backingOff();

        request.accept(this.fixture.engine);
        this.fixture.runUntilIdle();

        assertThat(this.fixture.scheduler.pendingTimers()).isEqualTo(1);
    }

    @Test
    void aStopDuringBackoffLeavesNoRestartTimer() {
        assertCallingOffTheRestartLeavesOnlyTheRefresh(engine -> engine.stop("feed"));
    }

    @Test
    void anOperatorsRestartDuringBackoffLeavesNoRestartTimer() {
        assertCallingOffTheRestartLeavesOnlyTheRefresh(engine -> engine.restart("feed"));
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
    }

    @Test
    void aResetDuringBackoffLeavesNoRestartTimer() {
        assertCallingOffTheRestartLeavesOnlyTheRefresh(engine -> engine.reset("feed"));
        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
    }

    @Test
    void suspensionDuringBackoffLeavesNoRestartTimer() {
        assertCallingOffTheRestartLeavesOnlyTheRefresh(SupervisorEngine::suspend);
    }

    @Test
    void anOperatorsStartOfAnOpenCircuitLeavesNoProbeTimer() {
        this.fixture.startBean(
                "feed",
                this.feed,
                EngineFixture.withBreaker(1, CircuitOpenAction.HALF_OPEN).build());
        this.fixture.engine.reportFailure("feed", new IOException("lost"));
        this.fixture.runUntilIdle();
        assertThat(this.fixture.state("feed")).isEqualTo(CIRCUIT_OPEN);
        long pending = this.fixture.scheduler.pendingTimers();

        this.fixture.engine.start("feed");
        this.fixture.runUntilIdle();

        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
        assertThat(this.fixture.scheduler.pendingTimers()).isEqualTo(pending - 1);
    }

    @Test
    void aServiceKeepsOneTimerToRefreshItsRecentFailuresHoweverOftenItIsPublished() {
        backingOff();

        for (int i = 0; i < 3; i++) {
            this.fixture.engine.whenResolved("feed");
            this.fixture.runUntilIdle();
        }

        assertThat(this.fixture.scheduler.pendingTimers()).isEqualTo(2);
    }

    @Test
    void anUnregisteredServiceLeavesNoTimerBehind() {
        this.fixture.engine.register(
                "loop",
                cancellation -> {
                    throw new IOException("lost");
                },
                EngineFixture.exact().build());
        this.fixture.runLoops();
        assertThat(this.fixture.state("loop")).isEqualTo(BACKING_OFF);
        assertThat(this.fixture.scheduler.pendingTimers()).isPositive();

        this.fixture.engine.unregister("loop");
        this.fixture.runUntilIdle();

        assertThat(this.fixture.engine.service("loop")).isEmpty();
        assertThat(this.fixture.scheduler.pendingTimers()).isZero();
    }
}
