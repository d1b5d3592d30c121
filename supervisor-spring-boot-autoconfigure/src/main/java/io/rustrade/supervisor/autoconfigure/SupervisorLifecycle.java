package io.rustrade.supervisor.autoconfigure;

import io.rustrade.supervisor.core.ContainerSupervisor;
import java.util.concurrent.ExecutionException;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Switches supervision on and off with the application context.
 *
 * <p>Supervision is switched off as soon as the context starts closing, before any bean is stopped: from
 * then on no restart is started and pending ones are cancelled. It runs in the lowest phase, so services
 * registered at run time start before, and stop after, every bean; a plain {@code stop()} of the context
 * also stops them, and the next {@code start()} starts them again.
 */
final class SupervisorLifecycle
        implements SmartLifecycle, ApplicationListener<ContextClosedEvent>, SupervisorInfrastructure {

    private final ContainerSupervisor engine;

    SupervisorLifecycle(ContainerSupervisor engine) {
        this.engine = engine;
    }

    @Override
    public void start() {
        this.engine.open();
    }

    @Override
    public void stop() {
        try {
            this.engine.suspend().get();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException ex) {
            throw new IllegalStateException("Failed to stop supervised services", ex.getCause());
        }
    }

    @Override
    public boolean isRunning() {
        return this.engine.isSupervising();
    }

    @Override
    public int getPhase() {
        return Integer.MIN_VALUE;
    }

    @Override
    public boolean isPauseable() {
        return false;
    }

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        this.engine.suspend();
    }
}
