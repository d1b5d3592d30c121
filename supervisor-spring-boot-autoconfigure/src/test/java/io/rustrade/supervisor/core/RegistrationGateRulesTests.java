package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import io.rustrade.supervisor.SupervisedService;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rules of the {@link RegistrationGate}: at most {@value RegistrationGate#MAX_WAITING} registrations
 * and unregistrations wait for the control thread; callers beyond are held back until half have been
 * applied; the control thread is never held back; a request that fails gives its place back; opening the
 * gate lets everyone through. Callers that are held back wait on threads of their own, which the tests
 * watch with Awaitility; where an engine is needed it runs on virtual time, except for the rule about the
 * control thread, which needs the real one.
 */
class RegistrationGateRulesTests {

    private static final SupervisedService IDLE = cancellation -> cancellation.await(Duration.ofMinutes(1));

    private final List<Thread> callers = new ArrayList<>();

    @AfterEach
    void stopCallers() throws InterruptedException {
        for (Thread caller : this.callers) {
            caller.interrupt();
            caller.join(TimeUnit.SECONDS.toMillis(5));
        }
    }

    private Thread caller(String name, Runnable body) {
        Thread caller = new Thread(body, name);
        caller.setDaemon(true);
        this.callers.add(caller);
        caller.start();
        return caller;
    }

    @Test
    void aCallerBeyondTheLimitIsHeldBackUntilHalfTheRequestsHaveBeenApplied() {
        RegistrationGate gate = new RegistrationGate();
        for (int i = 0; i < RegistrationGate.MAX_WAITING; i++) {
            assertThat(gate.enter()).as("request %d takes a place", i).isTrue();
        }
        AtomicBoolean entered = new AtomicBoolean();
        caller("one-too-many", () -> entered.set(gate.enter()));

        await("the caller held back").atMost(Duration.ofSeconds(5)).until(() -> gate.heldBack() == 1);
        for (int i = 0; i < RegistrationGate.MAX_WAITING - RegistrationGate.LET_IN_AT - 1; i++) {
            gate.leave();
        }
        assertThat(gate.waiting()).isEqualTo(RegistrationGate.LET_IN_AT + 1);
        assertThat(gate.heldBack())
                .as("not let in before half have been applied")
                .isEqualTo(1);
        assertThat(entered).isFalse();

        gate.leave();

        await("the caller let in").atMost(Duration.ofSeconds(5)).untilTrue(entered);
        assertThat(gate.heldBack()).isZero();
        assertThat(gate.waiting()).isEqualTo(RegistrationGate.LET_IN_AT + 1);
    }

    @Test
    void belowTheLimitNoCallerWaits() {
        RegistrationGate gate = new RegistrationGate();
        for (int round = 0; round < 3 * RegistrationGate.MAX_WAITING; round++) {
            assertThat(gate.enter()).isTrue();
            gate.leave();
        }
        assertThat(gate.waiting()).isZero();
        assertThat(gate.heldBack()).isZero();
    }

    @Test
    void openingTheGateLetsTheCallersHeldBackThroughWithoutAPlace() {
        RegistrationGate gate = new RegistrationGate();
        for (int i = 0; i < RegistrationGate.MAX_WAITING; i++) {
            gate.enter();
        }
        AtomicReference<Boolean> entered = new AtomicReference<>();
        caller("held-back", () -> entered.set(gate.enter()));
        await("the caller held back").atMost(Duration.ofSeconds(5)).until(() -> gate.heldBack() == 1);

        gate.open();

        await("the caller let through").atMost(Duration.ofSeconds(5)).until(() -> entered.get() != null);
        assertThat(entered.get()).as("no place taken, none to give back").isFalse();
        assertThat(gate.enter()).as("nobody is held back any more").isFalse();
    }

    @Test
    void aCallerFloodingRegistrationsIsHeldToThePaceOfTheControlThread() {
        EngineFixture fixture = new EngineFixture();
        RegistrationGate gate = fixture.engine.registrations();
        long postedBefore = fixture.scheduler.posted();
        int pairs = 4 * RegistrationGate.MAX_WAITING;
        AtomicInteger done = new AtomicInteger();
        caller("flooder", () -> {
            for (int i = 0; i < pairs; i++) {
                fixture.engine.register("flood-" + i, IDLE);
                fixture.engine.unregister("flood-" + i);
                done.incrementAndGet();
            }
        });

        await("the flooder held back").atMost(Duration.ofSeconds(5)).until(() -> gate.heldBack() == 1);
        assertThat(gate.waiting()).isEqualTo(RegistrationGate.MAX_WAITING);
        assertThat(done.get()).isEqualTo(RegistrationGate.MAX_WAITING / 2);
        // A registration posts three messages (the service's arrival, its start, its place given back), an
        // unregistration two: what the flood left for the control thread is bounded by the gate.
        assertThat(fixture.scheduler.posted() - postedBefore)
                .as("messages posted by the flood while nothing was applied")
                .isLessThanOrEqualTo(5L * RegistrationGate.MAX_WAITING / 2);

        await("the flood applied").atMost(Duration.ofSeconds(10)).until(() -> {
            fixture.runUntilIdle();
            return done.get() == pairs;
        });
        fixture.runUntilIdle();
        assertThat(gate.waiting()).isZero();
        assertThat(fixture.engine.services()).isEmpty();
    }

    @Test
    void aRequestThatFailsOnTheCallersThreadGivesItsPlaceBackAtOnce() throws InterruptedException {
        EngineFixture fixture = new EngineFixture();
        fixture.engine.register("feed", IDLE);
        fixture.runUntilIdle();
        AtomicInteger refused = new AtomicInteger();
        Thread caller = caller("duplicates", () -> {
            for (int i = 0; i < 4 * RegistrationGate.MAX_WAITING; i++) {
                try {
                    fixture.engine.register("feed", IDLE);
                } catch (IllegalArgumentException ex) {
                    refused.incrementAndGet();
                }
            }
        });

        caller.join(TimeUnit.SECONDS.toMillis(10));

        assertThat(caller.isAlive()).as("never held back").isFalse();
        assertThat(refused.get()).isEqualTo(4 * RegistrationGate.MAX_WAITING);
        assertThat(fixture.engine.registrations().waiting()).isZero();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> fixture.engine.register("feed", IDLE))
                .withMessageContaining("already supervised");
    }

    @Test
    void theControlThreadIsNeverHeldBackEvenWhenTheGateIsFull() throws InterruptedException {
        ThreadedControlScheduler control = new ThreadedControlScheduler("control", Clock.systemUTC());
        try (SupervisorEngine engine = SupervisorEngine.builder()
                .scheduler(control)
                .watchdogInterval(Duration.ZERO)
                .build()) {
            engine.open();
            RegistrationGate gate = engine.registrations();
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch hold = new CountDownLatch(1);
            control.execute(() -> {
                held.countDown();
                try {
                    hold.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();
            // Completed on the control thread, once it is let go: the registration chained on it runs there.
            AtomicReference<Thread> registeredOn = new AtomicReference<>();
            engine.whenApplied().thenRun(() -> {
                engine.register("from-callback", IDLE);
                registeredOn.set(Thread.currentThread());
            });
            AtomicInteger flooded = new AtomicInteger();
            caller("flooder", () -> {
                for (int i = 0; i <= RegistrationGate.MAX_WAITING; i++) {
                    engine.register("flood-" + i, IDLE);
                    flooded.incrementAndGet();
                }
            });
            await("the flooder held back").atMost(Duration.ofSeconds(5)).until(() -> gate.heldBack() == 1);
            assertThat(gate.waiting()).isEqualTo(RegistrationGate.MAX_WAITING);

            hold.countDown();

            await("the registration made on the control thread")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> registeredOn.get() != null);
            assertThat(registeredOn.get().getName()).isEqualTo("control");
            await("the flood let in and applied")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> flooded.get() == RegistrationGate.MAX_WAITING + 1 && gate.waiting() == 0);
            assertThat(engine.service("from-callback")).isPresent();
        } finally {
            control.close();
        }
    }
}
