package io.rustrade.supervisor.core;

import static io.rustrade.supervisor.ServiceState.BACKING_OFF;
import static io.rustrade.supervisor.ServiceState.FAILED;
import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.core.internal.CapturedFailure;
import io.rustrade.supervisor.testing.FakeLifecycle;
import io.rustrade.supervisor.testing.HostileExceptions;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every failure is counted exactly once, whatever its exception does when asked to describe itself. */
class HostileFailureTests {

    private final EngineFixture fixture = new EngineFixture();

    private FakeLifecycle startLifecycle(String name, ServiceOptions options) {
        FakeLifecycle lifecycle = new FakeLifecycle();
        this.fixture.engine.registerBean(name, lifecycle, options);
        this.fixture.engine.startService(name);
        this.fixture.runUntilIdle();
        return lifecycle;
    }

    @Test
    void aReportedFailureWhoseExceptionThrowsFromEveryMethodIsCountedOnce() {
        startLifecycle("feed", EngineFixture.exact().build());

        this.fixture.engine.reportFailure("feed", new HostileExceptions.Throwing());
        this.fixture.runUntilIdle();

        ServiceSnapshot snapshot = this.fixture.snapshot("feed");
        assertThat(snapshot.state()).isEqualTo(BACKING_OFF);
        assertThat(snapshot.failures()).isEqualTo(1);
        assertThat(snapshot.lastFailure().exception()).isEqualTo(HostileExceptions.Throwing.class.getName());
        assertThat(snapshot.lastFailure().message()).isNull();
        assertThat(snapshot.events())
                .filteredOn(event -> event.type().value().equals("failed"))
                .singleElement()
                .satisfies(event -> assertThat(event.detail())
                        .startsWith(HostileExceptions.Throwing.class.getName())
                        .contains("getMessage() threw java.lang.IllegalStateException"));
    }

    @Test
    void aRunLoopThatThrowsAnExceptionWhoseMethodsThrowIsCountedOnce() {
        this.fixture.engine.registerBean(
                "reconciler",
                cancellation -> {
                    throw new HostileExceptions.Throwing();
                },
                EngineFixture.exact().build());
        this.fixture.engine.startService("reconciler");
        this.fixture.runLoops();

        assertThat(this.fixture.state("reconciler")).isEqualTo(BACKING_OFF);
        assertThat(this.fixture.snapshot("reconciler").failures()).isEqualTo(1);
    }

    @Test
    void aRestartWhoseStartThrowsAnExceptionWhoseMethodsThrowIsCountedOnce() {
        FakeLifecycle lifecycle = startLifecycle("feed", EngineFixture.exact().build());
        lifecycle.failStarts(new HostileExceptions.Throwing());
        lifecycle.running = false;
        this.fixture.engine.reportFailure("feed", new IllegalStateException("lost"));
        this.fixture.advance(java.time.Duration.ofMillis(100));

        ServiceSnapshot snapshot = this.fixture.snapshot("feed");
        assertThat(snapshot.state()).isEqualTo(BACKING_OFF);
        assertThat(snapshot.failures()).isEqualTo(2);
        assertThat(snapshot.lastFailure().exception()).isEqualTo(HostileExceptions.Throwing.class.getName());
    }

    @Test
    void aFatalExceptionIsFoundInACyclicCauseChain() {
        startLifecycle(
                "feed",
                EngineFixture.exact()
                        .fatalExceptions(Set.of(IllegalStateException.class))
                        .build());

        this.fixture.engine.reportFailure("feed", HostileExceptions.cyclic("loop"));
        this.fixture.runUntilIdle();

        assertThat(this.fixture.state("feed")).isEqualTo(FAILED);
        assertThat(this.fixture.snapshot("feed").failures()).isEqualTo(1);
    }

    @Test
    void aCyclicCauseChainWithoutAFatalExceptionIsRetried() {
        startLifecycle(
                "feed",
                EngineFixture.exact()
                        .fatalExceptions(Set.of(UnsupportedOperationException.class))
                        .build());

        this.fixture.engine.reportFailure("feed", HostileExceptions.cyclic("loop"));
        this.fixture.runUntilIdle();

        assertThat(this.fixture.state("feed")).isEqualTo(BACKING_OFF);
        assertThat(this.fixture.snapshot("feed").lastFailure().message()).isEqualTo("loop");
    }

    @Test
    void aFailureWithoutAMessageShowsItsClassAlone() {
        startLifecycle("feed", EngineFixture.exact().build());

        this.fixture.engine.reportFailure("feed", new IllegalStateException());
        this.fixture.runUntilIdle();

        ServiceSnapshot snapshot = this.fixture.snapshot("feed");
        assertThat(snapshot.lastFailure().message()).isNull();
        assertThat(snapshot.events())
                .filteredOn(event -> event.type().value().equals("failed"))
                .singleElement()
                .satisfies(event -> assertThat(event.detail()).isEqualTo("java.lang.IllegalStateException"));
    }

    @Test
    void aHugeMessageIsCutWhenTheFailureIsRecorded() {
        startLifecycle("feed", EngineFixture.exact().build());

        this.fixture.engine.reportFailure("feed", HostileExceptions.withMessageOfLength(1 << 20));
        this.fixture.runUntilIdle();

        ServiceSnapshot snapshot = this.fixture.snapshot("feed");
        assertThat(snapshot.lastFailure().message()).hasSize(CapturedFailure.MAX_MESSAGE_LENGTH);
        assertThat(snapshot.events())
                .allSatisfy(event -> assertThat(event.detail().length())
                        .isLessThanOrEqualTo(CapturedFailure.MAX_MESSAGE_LENGTH + 100));
    }
}
