package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.FailureClassifier;
import io.rustrade.supervisor.HistoryEntry;
import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.StartTimeoutException;
import io.rustrade.supervisor.testing.FakeLifecycle;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A failure classifier holds failures fatal in code, asked where the failure was seen, never trusted blindly. */
class FailureClassifierRulesTests {

    /** Holds fatal every failure whose message says the account is suspended. */
    private static final FailureClassifier SUSPENDED = (service, failure) ->
            failure.getMessage() != null && failure.getMessage().contains("suspended");

    private final List<String> asked = new CopyOnWriteArrayList<>();

    private EngineFixture fixture(FailureClassifier classifier) {
        return new EngineFixture(builder -> builder.failureClassifier("venueRules", (service, failure) -> {
            this.asked.add(service + ": " + failure.getClass().getSimpleName());
            return classifier.isFatal(service, failure);
        }));
    }

    @Test
    void aStartFailureTheClassifierHoldsFatalLeavesTheServiceFailedAndTheHistoryNamesTheClassifier() {
        EngineFixture fixture = fixture(SUSPENDED);
        FakeLifecycle gateway = new FakeLifecycle().failStarts(new IllegalStateException("account suspended"));

        fixture.startBean("gateway", gateway, EngineFixture.exact().build());

        assertThat(fixture.state("gateway")).isEqualTo(ServiceState.FAILED);
        assertThat(this.asked).containsExactly("gateway: IllegalStateException");
        assertThat(fixture.snapshot("gateway").events())
                .filteredOn(entry -> entry.type() == HistoryEntry.Type.GAVE_UP)
                .singleElement()
                .extracting(HistoryEntry::detail)
                .isEqualTo("fatal by failure classifier 'venueRules': java.lang.IllegalStateException");
    }

    @Test
    void aFailureTheClassifierDoesNotHoldFatalIsRetried() {
        EngineFixture fixture = fixture(SUSPENDED);
        FakeLifecycle gateway = new FakeLifecycle().failStarts(new IllegalStateException("connection refused"));

        fixture.startBean("gateway", gateway, EngineFixture.exact().build());

        assertThat(fixture.state("gateway")).isEqualTo(ServiceState.BACKING_OFF);
        fixture.advance(Duration.ofMillis(100));
        assertThat(fixture.state("gateway")).isEqualTo(ServiceState.RUNNING);
    }

    @Test
    void aClassifierThatThrowsCountsAsNotFatal() {
        EngineFixture fixture = fixture((service, failure) -> {
            throw new IllegalStateException("classifier bug");
        });
        FakeLifecycle gateway = new FakeLifecycle().failStarts(new IllegalStateException("account suspended"));

        fixture.startBean("gateway", gateway, EngineFixture.exact().build());

        assertThat(fixture.state("gateway")).isEqualTo(ServiceState.BACKING_OFF);
        assertThat(this.asked).hasSize(1);
    }

    @Test
    void aReportedFailureIsClassifiedOnTheReportersThread() {
        EngineFixture fixture = fixture(SUSPENDED);
        fixture.startBean("gateway", new FakeLifecycle(), EngineFixture.exact().build());

        fixture.engine.reportFailure("gateway", new IllegalStateException("account suspended"));
        fixture.runUntilIdle();

        assertThat(fixture.state("gateway")).isEqualTo(ServiceState.FAILED);
        assertThat(this.asked).containsExactly("gateway: IllegalStateException");
    }

    @Test
    void aRunLoopsFailureIsClassifiedOnItsOwnThread() {
        EngineFixture fixture = fixture(SUSPENDED);
        fixture.engine.register("poller", cancellation -> {
            throw new IllegalStateException("account suspended");
        });

        fixture.runLoops();

        assertThat(fixture.state("poller")).isEqualTo(ServiceState.FAILED);
        assertThat(this.asked).containsExactly("poller: IllegalStateException");
    }

    @Test
    void aStopSeenByTheWatchdogIsTheSupervisorsVerdictAndIsNotClassified() {
        EngineFixture fixture = new EngineFixture(
                Duration.ofSeconds(1),
                0,
                builder -> builder.failureClassifier("everythingFatal", (service, failure) -> {
                    this.asked.add(service);
                    return true;
                }));
        FakeLifecycle feed = new FakeLifecycle();
        fixture.startBean("feed", feed, EngineFixture.exact().build());

        feed.running = false;
        fixture.advance(Duration.ofSeconds(1));

        assertThat(fixture.state("feed")).isIn(ServiceState.BACKING_OFF, ServiceState.RUNNING);
        assertThat(fixture.snapshot("feed").failures()).isEqualTo(1);
        assertThat(this.asked).isEmpty();
    }

    @Test
    void aClassifierThatHangsIsAbandonedWithTheStartItJudges() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> threads = new CopyOnWriteArrayList<>();
        try (SupervisorEngine engine = SupervisorEngine.builder()
                .watchdogInterval(Duration.ZERO)
                .failureClassifier("slowRules", (service, failure) -> {
                    threads.add(Thread.currentThread().getName());
                    // Hangs, deaf to interrupts, as a classifier stuck on a remote lookup would.
                    while (release.getCount() > 0) {
                        try {
                            release.await();
                        } catch (InterruptedException ex) {
                            // Ignored on purpose.
                        }
                    }
                    return true;
                })
                .build()) {
            engine.open();
            FakeLifecycle gateway = new FakeLifecycle().failStarts(new IllegalStateException("account suspended"));
            engine.registerBean(
                    "gateway",
                    gateway,
                    ServiceOptions.builder()
                            .startTimeout(Duration.ofMillis(200))
                            .stopTimeout(Duration.ofMillis(200))
                            .build());

            engine.startService("gateway");

            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> engine.service("gateway").orElseThrow().failures() == 1);
            assertThat(engine.service("gateway").orElseThrow().lastFailure().exception())
                    .as("the start, classifier included, outlived its timeout")
                    .isEqualTo(StartTimeoutException.class.getName());
            assertThat(engine.service("gateway").orElseThrow().state()).isNotEqualTo(ServiceState.STARTING);
            assertThat(threads).singleElement().asString().startsWith("rustrade-supervisor-call-");
            release.countDown();
        }
    }
}
