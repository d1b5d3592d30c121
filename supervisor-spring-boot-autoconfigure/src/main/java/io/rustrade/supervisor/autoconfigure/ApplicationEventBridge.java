package io.rustrade.supervisor.autoconfigure;

import io.rustrade.supervisor.Supervisor;
import io.rustrade.supervisor.core.SupervisionEvent;
import io.rustrade.supervisor.core.SupervisionListener;
import io.rustrade.supervisor.event.CircuitClosedEvent;
import io.rustrade.supervisor.event.CircuitOpenedEvent;
import io.rustrade.supervisor.event.ServiceCompletedEvent;
import io.rustrade.supervisor.event.ServiceFailedEvent;
import io.rustrade.supervisor.event.ServiceRestartScheduledEvent;
import io.rustrade.supervisor.event.ServiceStartedEvent;
import io.rustrade.supervisor.event.ServiceStoppedEvent;
import io.rustrade.supervisor.event.SupervisorEvent;
import org.springframework.context.ApplicationEventPublisher;

/** Publishes the supervisor's events as Spring application events (package {@code io.rustrade.supervisor.event}). */
final class ApplicationEventBridge implements SupervisionListener {

    private final Supervisor supervisor;

    private final ApplicationEventPublisher publisher;

    ApplicationEventBridge(Supervisor supervisor, ApplicationEventPublisher publisher) {
        this.supervisor = supervisor;
        this.publisher = publisher;
    }

    @Override
    public void onEvent(SupervisionEvent event) {
        SupervisorEvent applicationEvent = toApplicationEvent(event);
        if (applicationEvent != null) {
            this.publisher.publishEvent(applicationEvent);
        }
    }

    private SupervisorEvent toApplicationEvent(SupervisionEvent event) {
        if (event instanceof SupervisionEvent.Started started) {
            return new ServiceStartedEvent(this.supervisor, started.service(), started.at());
        }
        if (event instanceof SupervisionEvent.Failed failed) {
            return new ServiceFailedEvent(
                    this.supervisor, failed.service(), failed.at(), failed.cause(), failed.attempt());
        }
        if (event instanceof SupervisionEvent.RestartScheduled scheduled) {
            return new ServiceRestartScheduledEvent(
                    this.supervisor, scheduled.service(), scheduled.at(), scheduled.delay(), scheduled.restartAt());
        }
        if (event instanceof SupervisionEvent.Stopped stopped) {
            return new ServiceStoppedEvent(this.supervisor, stopped.service(), stopped.at());
        }
        if (event instanceof SupervisionEvent.Completed completed) {
            return new ServiceCompletedEvent(this.supervisor, completed.service(), completed.at());
        }
        if (event instanceof SupervisionEvent.CircuitOpened opened) {
            return new CircuitOpenedEvent(
                    this.supervisor, opened.service(), opened.at(), opened.failures(), opened.maxFailures());
        }
        if (event instanceof SupervisionEvent.CircuitClosed closed) {
            return new CircuitClosedEvent(this.supervisor, closed.service(), closed.at());
        }
        return null;
    }
}
