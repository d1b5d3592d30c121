package io.rustrade.supervisor.core;

import static io.rustrade.supervisor.ServiceState.BACKING_OFF;
import static io.rustrade.supervisor.ServiceState.RUNNING;
import static io.rustrade.supervisor.ServiceState.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.rustrade.supervisor.Cancellation;
import io.rustrade.supervisor.ServiceKind;
import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.SupervisedService;
import io.rustrade.supervisor.testing.FakeLifecycle;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Registration at run time (SPEC §2.3) and shutdown (SPEC §7). */
class RegistrationAndShutdownTests {

    private final EngineFixture fixture = new EngineFixture();

    private static final SupervisedService UNTIL_CANCELLED = cancellation -> {
        while (!cancellation.await(Duration.ofSeconds(1))) {
            // work
        }
    };

    private static final SupervisedService FAILING = cancellation -> {
        throw new IOException("unreachable");
    };

    @Test
    void aRegisteredServiceIsVisibleWhenRegisterReturns() {
        this.fixture.engine.register("poller", UNTIL_CANCELLED);

        assertThat(this.fixture.engine.service("poller"))
                .get()
                .extracting(ServiceSnapshot::state, ServiceSnapshot::kind)
                .containsExactly(STOPPED, ServiceKind.SERVICE);
    }

    @Test
    void aServiceRegisteredWhileSupervisingStartsAtOnce() {
        this.fixture.engine.register("poller", UNTIL_CANCELLED);
        this.fixture.runUntilIdle();

        assertThat(this.fixture.state("poller")).isEqualTo(RUNNING);
    }

    @Test
    void aDuplicateNameIsRejected() {
        this.fixture.engine.register("poller", UNTIL_CANCELLED);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> this.fixture.engine.register("poller", UNTIL_CANCELLED))
                .withMessage("A service named 'poller' is already supervised");
    }

    @Test
    void servicesAreListedByName() {
        this.fixture.engine.register("b", UNTIL_CANCELLED);
        this.fixture.engine.register("c", UNTIL_CANCELLED);
        this.fixture.engine.register("a", UNTIL_CANCELLED);

        assertThat(this.fixture.engine.services())
                .extracting(ServiceSnapshot::name)
                .containsExactly("a", "b", "c");
    }

    @Test
    void unregisterDuringBackoffCancelsTheRestartAndForgetsTheService() {
        RecordingService poller = new RecordingService(FAILING);
        this.fixture.engine.register("poller", poller);
        this.fixture.runLoops();
        assertThat(this.fixture.state("poller")).isEqualTo(BACKING_OFF);

        this.fixture.engine.unregister("poller");
        this.fixture.advance(Duration.ofMinutes(1));
        this.fixture.runLoops();

        assertThat(this.fixture.engine.service("poller")).isEmpty();
        assertThat(poller.runs).isEqualTo(1);
        assertThat(this.fixture.events(SupervisionEvent.Unregistered.class)).hasSize(1);
        this.fixture.engine.register("poller", UNTIL_CANCELLED);
        assertThat(this.fixture.engine.service("poller")).isPresent();
    }

    @Test
    void beansCannotBeUnregistered() {
        this.fixture.engine.registerBean("feed", new FakeLifecycle(), ServiceOptions.defaults());

        assertThatIllegalArgumentException()
                .isThrownBy(() -> this.fixture.engine.unregister("feed"))
                .withMessageContaining("is a bean of the application");
    }

    @Test
    void suspendingSupervisionCancelsPendingRestartsAndStartsNoNewOne() {
        FakeLifecycle feed = new FakeLifecycle().failStarts(new IOException("refused"));
        this.fixture.engine.registerBean("feed", feed, EngineFixture.exact().build());
        this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();
        assertThat(this.fixture.state("feed")).isEqualTo(BACKING_OFF);

        this.fixture.engine.suspend();
        this.fixture.advance(Duration.ofMinutes(1));

        assertThat(this.fixture.state("feed")).isEqualTo(STOPPED);
        assertThat(feed.starts()).isEqualTo(1);
    }

    @Test
    void aFailureDuringShutdownIsNotRetried() {
        FakeLifecycle feed = new FakeLifecycle();
        this.fixture.engine.registerBean("feed", feed, EngineFixture.exact().build());
        this.fixture.engine.startService("feed");
        this.fixture.runUntilIdle();

        this.fixture.engine.suspend();
        this.fixture.engine.reportFailure("feed", new IOException("closing"));
        this.fixture.advance(Duration.ofMinutes(1));

        assertThat(feed.starts()).isEqualTo(1);
        assertThat(this.fixture.engine.isActive("feed")).isFalse();
    }

    @Test
    void suspendStopsServicesRegisteredAtRunTimeAndOpenStartsThemAgain() {
        this.fixture.engine.register("poller", UNTIL_CANCELLED);
        this.fixture.runUntilIdle();

        CompletableFuture<Void> suspended = this.fixture.engine.suspend();
        this.fixture.runLoops();
        assertThat(suspended).isDone();
        assertThat(this.fixture.state("poller")).isEqualTo(STOPPED);

        this.fixture.engine.open();
        this.fixture.runUntilIdle();
        assertThat(this.fixture.state("poller")).isEqualTo(RUNNING);
    }

    @Test
    void aListenerThatThrowsDoesNotDisturbSupervision() {
        this.fixture.engine.addListener(event -> {
            throw new IllegalStateException("listener bug");
        });
        FakeLifecycle feed = new FakeLifecycle().failStarts(new IOException("refused"));
        this.fixture.engine.registerBean("feed", feed, EngineFixture.exact().build());

        this.fixture.engine.startService("feed");
        this.fixture.advance(Duration.ofMillis(100));

        assertThat(this.fixture.state("feed")).isEqualTo(RUNNING);
    }

    /** Counts its runs; delegates the work. */
    private static final class RecordingService implements SupervisedService {

        private final SupervisedService delegate;

        volatile int runs;

        RecordingService(SupervisedService delegate) {
            this.delegate = delegate;
        }

        @Override
        public void run(Cancellation cancellation) throws Exception {
            this.runs++;
            this.delegate.run(cancellation);
        }
    }
}
