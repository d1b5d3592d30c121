package io.rustrade.supervisor.autoconfigure;

import io.rustrade.supervisor.Supervisor;
import io.rustrade.supervisor.core.SupervisionEvent;
import io.rustrade.supervisor.core.SupervisionListener;
import io.rustrade.supervisor.core.internal.CapturedFailure;
import io.rustrade.supervisor.event.CircuitClosedEvent;
import io.rustrade.supervisor.event.CircuitOpenedEvent;
import io.rustrade.supervisor.event.LeadershipGrantedEvent;
import io.rustrade.supervisor.event.LeadershipRevokedEvent;
import io.rustrade.supervisor.event.ServiceCompletedEvent;
import io.rustrade.supervisor.event.ServiceFailedEvent;
import io.rustrade.supervisor.event.ServiceRestartScheduledEvent;
import io.rustrade.supervisor.event.ServiceStartedEvent;
import io.rustrade.supervisor.event.ServiceStoppedEvent;
import io.rustrade.supervisor.event.ServiceWaitingEvent;
import io.rustrade.supervisor.event.SupervisorApplicationEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.SimpleApplicationEventMulticaster;
import org.springframework.context.support.AbstractApplicationContext;

/**
 * Publishes the supervisor's events as Spring application events (package {@code
 * io.rustrade.supervisor.event}), each to every listener of the context whatever another listener does.
 *
 * <p>The context's own multicaster stops at the first listener that throws, and the listeners ordered
 * after it never hear of the event. So the events go through a multicaster of the bridge's own, whose
 * error handler logs a listener's exception and goes on with the next listener. It is fed with the
 * context's listeners — the instances it holds, {@code @EventListener} methods included, and the names of
 * its listener beans — and sorts and filters them as the context's multicaster does: {@code @Order}, the
 * conditions of {@code @EventListener} and generic event types are honoured. It takes them again whenever
 * the context's set of listeners changes. An event also goes to the parent context, as {@code
 * publishEvent} does. Runs on the supervisor's event thread for application listeners, not on that of its
 * internal ones: a listener of the application that blocks holds up the other application listeners, not
 * the supervisor's log and meters.
 */
final class ApplicationEventBridge implements SupervisionListener {

    private static final Log logger = LogFactory.getLog(ApplicationEventBridge.class);

    /** How often the context's listeners are read again when they change while being read. */
    private static final int READ_ATTEMPTS = 3;

    private final Supervisor supervisor;

    private final ConfigurableApplicationContext context;

    private final SimpleApplicationEventMulticaster multicaster;

    /** The context's listener instances the multicaster was last fed with; event thread only. */
    private List<ApplicationListener<?>> fed;

    ApplicationEventBridge(Supervisor supervisor, ConfigurableApplicationContext context) {
        this.supervisor = supervisor;
        this.context = context;
        this.multicaster = new SimpleApplicationEventMulticaster(context.getBeanFactory());
        this.multicaster.setErrorHandler(ApplicationEventBridge::listenerFailed);
    }

    @Override
    public void onEvent(SupervisionEvent event) {
        SupervisorApplicationEvent applicationEvent = toApplicationEvent(event);
        if (applicationEvent == null) {
            return;
        }
        if (!(this.context instanceof AbstractApplicationContext)) {
            // No way to reach its listeners one by one: it delivers as it delivers everything.
            this.context.publishEvent(applicationEvent);
            return;
        }
        feedListeners();
        this.multicaster.multicastEvent(applicationEvent);
        ApplicationContext parent = this.context.getParent();
        if (parent != null) {
            parent.publishEvent(applicationEvent);
        }
    }

    /** Feeds the multicaster with the context's listeners when they are not those it was fed last. */
    private void feedListeners() {
        List<ApplicationListener<?>> current = currentListeners();
        if (current == null || current.equals(this.fed)) {
            return;
        }
        this.multicaster.removeAllListeners();
        current.forEach(this.multicaster::addApplicationListener);
        for (String name : this.context.getBeanFactory().getBeanNamesForType(ApplicationListener.class, true, false)) {
            this.multicaster.addApplicationListenerBean(name);
        }
        this.fed = current;
    }

    /**
     * A copy of the context's listener instances; {@code null} when they kept changing while being read
     * (the context adds listeners on its own thread), and the last ones fed are used once more.
     */
    private List<ApplicationListener<?>> currentListeners() {
        Collection<ApplicationListener<?>> listeners =
                ((AbstractApplicationContext) this.context).getApplicationListeners();
        for (int i = 0; i < READ_ATTEMPTS; i++) {
            try {
                return new ArrayList<>(listeners);
            } catch (ConcurrentModificationException ex) {
                // Read again.
            }
        }
        return null;
    }

    private static void listenerFailed(Throwable ex) {
        if (ex instanceof VirtualMachineError error) {
            throw error;
        }
        CapturedFailure.of(ex)
                .warn(logger, "An application listener failed on a supervisor event; the other listeners still get it");
    }

    private SupervisorApplicationEvent toApplicationEvent(SupervisionEvent event) {
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
        if (event instanceof SupervisionEvent.Waiting waiting) {
            return new ServiceWaitingEvent(this.supervisor, waiting.service(), waiting.at(), waiting.waitingFor());
        }
        if (event instanceof SupervisionEvent.LeadershipGranted granted) {
            return new LeadershipGrantedEvent(this.supervisor, granted.service(), granted.at(), granted.lock());
        }
        if (event instanceof SupervisionEvent.LeadershipRevoked revoked) {
            return new LeadershipRevokedEvent(
                    this.supervisor, revoked.service(), revoked.at(), revoked.lock(), revoked.reason());
        }
        return null;
    }
}
