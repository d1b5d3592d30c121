package io.rustrade.supervisor.autoconfigure;

import io.rustrade.supervisor.core.ContainerSupervisor;
import io.rustrade.supervisor.core.internal.CapturedFailure;
import io.rustrade.supervisor.core.internal.Durations;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * What the application context starts and stops in place of a supervised bean: it hands every call to
 * the supervisor, which calls the bean.
 *
 * <p>It keeps the bean's phase, auto-startup and pauseable flags. {@link #start()} returns once the
 * start attempt has resolved (the bean runs, or failed and backs off), so later beans and phases still
 * start after earlier ones; a failing start never fails the context. The bean's {@code start()} runs on
 * the supervisor's call threads, first start included, so the context waits for it at most {@code
 * start-timeout} (plus a margin) whatever it does: a hung start cannot hold the application's start-up.
 * {@link #isRunning()} stays true from the
 * start until the bean is stopped, backing off included, so that the context stops it at shutdown. The
 * callback of {@link #stop(Runnable)} runs exactly once, when the bean has stopped or its stop was
 * abandoned after {@code stop-timeout}.
 */
final class SupervisedLifecycle implements SmartLifecycle {

    private static final Log logger = LogFactory.getLog(SupervisedLifecycle.class);

    /** Beyond the supervisor's own timeouts, which resolve every wait; a safety net only. */
    private static final Duration MARGIN = Duration.ofSeconds(5);

    private final String name;

    private final ContainerSupervisor engine;

    private final int phase;

    private final boolean autoStartup;

    private final boolean pauseable;

    SupervisedLifecycle(String name, ContainerSupervisor engine, int phase, boolean autoStartup, boolean pauseable) {
        this.name = name;
        this.engine = engine;
        this.phase = phase;
        this.autoStartup = autoStartup;
        this.pauseable = pauseable;
    }

    @Override
    public void start() {
        await(
                this.engine.startService(this.name),
                this.engine.options(this.name).startTimeout(),
                "start");
    }

    @Override
    public void stop() {
        await(this.engine.stopService(this.name), this.engine.options(this.name).stopTimeout(), "stop");
    }

    @Override
    public void stop(Runnable callback) {
        this.engine.stopService(this.name).whenComplete((ignored, error) -> callback.run());
    }

    @Override
    public boolean isRunning() {
        return this.engine.isActive(this.name);
    }

    @Override
    public int getPhase() {
        return this.phase;
    }

    @Override
    public boolean isAutoStartup() {
        return this.autoStartup;
    }

    @Override
    public boolean isPauseable() {
        return this.pauseable;
    }

    private void await(CompletableFuture<Void> done, Duration timeout, String what) {
        try {
            done.get(Durations.toNanosSaturated(timeout) + Durations.toNanosSaturated(MARGIN), TimeUnit.NANOSECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException ex) {
            logger.warn("Gave up waiting for the " + what + " of service '" + this.name + "'");
        } catch (ExecutionException ex) {
            CapturedFailure.of(ex).warn(logger, "The " + what + " of service '" + this.name + "' failed");
        }
    }

    @Override
    public String toString() {
        return "SupervisedLifecycle[" + this.name + "]";
    }
}
