package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.CircuitOpenAction;
import io.rustrade.supervisor.Jitter;
import io.rustrade.supervisor.RestartPolicy;
import io.rustrade.supervisor.testing.FakeLifecycle;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The parts of snapshots that the options decide: as the snapshot shows them, built once per options. */
class SnapshotSettingsTests {

    private final EngineFixture fixture = new EngineFixture();

    @Test
    void servicesOnTheSameOptionsShareTheSettingsPartsOfTheirSnapshots() {
        ServiceOptions options = EngineFixture.withBreaker(3, CircuitOpenAction.HALF_OPEN)
                .restartPolicy(RestartPolicy.ALWAYS)
                .build();
        this.fixture.engine.registerBean("feed", new FakeLifecycle(), options);
        this.fixture.engine.registerBean("gateway", new FakeLifecycle(), options);
        this.fixture.runUntilIdle();

        assertThat(this.fixture.snapshot("feed").backoff())
                .isSameAs(this.fixture.snapshot("gateway").backoff());
        assertThat(this.fixture.snapshot("feed").circuitBreaker())
                .isSameAs(this.fixture.snapshot("gateway").circuitBreaker());
        assertThat(this.fixture.snapshot("feed").restartPolicy()).isEqualTo(RestartPolicy.ALWAYS);
        assertThat(this.fixture.snapshot("feed").backoff().jitter()).isEqualTo(Jitter.NONE);
        assertThat(this.fixture.snapshot("feed").circuitBreaker().onOpen()).isEqualTo(CircuitOpenAction.HALF_OPEN);
        assertThat(this.fixture.snapshot("feed").circuitBreaker().maxFailures()).isEqualTo(3);
        assertThat(this.fixture.snapshot("feed").circuitBreaker().openDuration())
                .isEqualTo(Duration.ofMinutes(1));
    }
}
