package io.rustrade.supervisor.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.actuate.SupervisorEndpoint.ServiceDescriptor;
import io.rustrade.supervisor.core.LifecycleService;
import io.rustrade.supervisor.core.ServiceOptions;
import io.rustrade.supervisor.core.SupervisorEngine;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;

/** The {@code supervisor} endpoint's operations, on the production engine and its threads (SPEC §9). */
class SupervisorEndpointTests {

    private final SupervisorEngine engine = SupervisorEngine.builder().build();

    private final GatedService gateway = new GatedService();

    @AfterEach
    void close() {
        this.gateway.gate.countDown();
        this.engine.close();
    }

    private void startGateway() throws Exception {
        this.engine.open();
        this.engine.registerBean("orderGateway", this.gateway, ServiceOptions.defaults());
        this.gateway.gate.countDown();
        this.engine.startService("orderGateway").get(5, TimeUnit.SECONDS);
    }

    @Test
    void aCommandAnswersWithTheServiceOnceTheCommandHasTakenEffect() throws Exception {
        startGateway();
        SupervisorEndpoint endpoint = new SupervisorEndpoint(this.engine);

        ServiceDescriptor restarted = endpoint.act("orderGateway", "restart");

        assertThat(restarted.getState()).isEqualTo("RUNNING");
        assertThat(restarted.getRestarts()).isEqualTo(1);
        assertThat(this.gateway.starts).hasValue(2);

        ServiceDescriptor stopped = endpoint.act("orderGateway", "stop");

        assertThat(stopped.getState()).isEqualTo("STOPPED");
        assertThat(this.gateway.isRunning()).isFalse();
    }

    @Test
    void aStartThatOutlastsTheCommandTimeoutIsShownAsStarting() throws Exception {
        startGateway();
        SupervisorEndpoint endpoint = new SupervisorEndpoint(this.engine, Duration.ofMillis(50));
        endpoint.act("orderGateway", "stop");
        this.gateway.gate = new CountDownLatch(1);

        ServiceDescriptor starting = endpoint.act("orderGateway", "start");

        assertThat(starting.getState()).isEqualTo("STARTING");
        this.gateway.gate.countDown();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> this.engine.service("orderGateway").orElseThrow().state() == ServiceState.RUNNING);
    }

    @Test
    void instantsAreWrittenInUtcWithMillisecondPrecision() {
        assertThat(SupervisorEndpoint.format(java.time.Instant.parse("2026-11-27T10:15:30.123456789Z")))
                .isEqualTo("2026-11-27T10:15:30.123Z");
        assertThat(SupervisorEndpoint.format(java.time.Instant.parse("2026-11-27T10:15:30Z")))
                .isEqualTo("2026-11-27T10:15:30.000Z");
        assertThat(SupervisorEndpoint.format(null)).isNull();
    }

    @Test
    void anUnknownNameReadsAsNothing() {
        SupervisorEndpoint endpoint = new SupervisorEndpoint(this.engine);

        assertThat(endpoint.service("nobody")).isNull();
        assertThat(endpoint.act("nobody", "restart")).isNull();
        assertThat(endpoint.services().getServices()).isEmpty();
    }

    @Test
    void anInvalidActionIsAnInvalidRequestWhoseReasonListsTheValidActions() throws Exception {
        startGateway();
        SupervisorEndpoint endpoint = new SupervisorEndpoint(this.engine);

        assertThatExceptionOfType(InvalidEndpointRequestException.class)
                .isThrownBy(() -> endpoint.act("orderGateway", "jump"))
                .satisfies(ex -> assertThat(ex.getReason())
                        .isEqualTo("'action' must be one of restart, stop, start, reset, yield but was 'jump'"));
        assertThatExceptionOfType(InvalidEndpointRequestException.class)
                .isThrownBy(() -> endpoint.act("orderGateway", null))
                .withMessage("'action' is missing; it must be one of restart, stop, start, reset, yield");
    }

    @Test
    void aNegativeCommandTimeoutIsRejected() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> new SupervisorEndpoint(this.engine, Duration.ofSeconds(-1)))
                .withMessage("'commandTimeout' must not be negative but was PT-1S");
    }

    @Test
    void messagesAreCutToTheLimitWithoutSplittingACharacter() {
        String exact = "m".repeat(SupervisorEndpoint.MAX_MESSAGE_LENGTH);
        String emojiAtTheCut = "m".repeat(496) + "\uD83D\uDE80" + "tail";

        assertThat(SupervisorEndpoint.abbreviate(null)).isNull();
        assertThat(SupervisorEndpoint.abbreviate(exact)).isSameAs(exact);
        assertThat(SupervisorEndpoint.abbreviate(exact + "m")).hasSize(500).endsWith("m...");
        assertThat(SupervisorEndpoint.abbreviate(emojiAtTheCut)).isEqualTo("m".repeat(496) + "...");
    }

    /** A lifecycle service whose {@code start()} waits for its gate to open. */
    static final class GatedService implements LifecycleService {

        final AtomicInteger starts = new AtomicInteger();

        volatile CountDownLatch gate = new CountDownLatch(1);

        volatile boolean running;

        @Override
        public void start() throws InterruptedException {
            this.starts.incrementAndGet();
            this.gate.await(10, TimeUnit.SECONDS);
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
    }
}
