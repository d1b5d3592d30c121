package io.rustrade.supervisor.core;

import java.time.Duration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs what the supervisor does, for operators reading logs: failures at WARN (the stack trace at
 * DEBUG), an open circuit or a service given up at ERROR, restarts and closed circuits at INFO, and the
 * routine (registration, first starts, stops) at DEBUG. Logger name {@code io.rustrade.supervisor}.
 */
public final class SupervisionLogger implements SupervisionListener {

    private static final Log logger = LogFactory.getLog("io.rustrade.supervisor");

    @Override
    public void onEvent(SupervisionEvent event) {
        String service = "Service '" + event.service() + "'";
        if (event instanceof SupervisionEvent.Failed failed) {
            logger.warn(service + " failed (attempt " + failed.attempt() + ")" + ran(failed.runTime()) + ": "
                    + failed.cause());
            if (logger.isDebugEnabled()) {
                logger.debug(service + " failure", failed.cause());
            }
        } else if (event instanceof SupervisionEvent.RestartScheduled scheduled) {
            logger.info(service + " restarts in " + Durations.describe(scheduled.delay()));
        } else if (event instanceof SupervisionEvent.Restarting restarting) {
            logger.info(service + " is restarting (" + restarting.reason() + ")");
        } else if (event instanceof SupervisionEvent.CircuitOpened opened) {
            logger.error("Circuit of service '" + event.service() + "' opened after " + opened.failures()
                    + " failures (max-failures " + opened.maxFailures() + ")"
                    + ((opened.probeAt() != null) ? "; a probe start follows at " + opened.probeAt() : ""));
        } else if (event instanceof SupervisionEvent.CircuitClosed closed) {
            logger.info("Circuit of service '" + event.service() + "' closed: " + closed.reason());
        } else if (event instanceof SupervisionEvent.GaveUp gaveUp) {
            logger.error(service + " is FAILED and will not be restarted: " + gaveUp.reason());
        } else if (event instanceof SupervisionEvent.Completed completed) {
            logger.info(service + " completed" + ran(completed.runTime())
                    + (completed.restarting() ? "; it restarts (restart policy always)" : ""));
        } else if (logger.isDebugEnabled()) {
            logger.debug(event.toString());
        }
    }

    private static String ran(Duration runTime) {
        return (runTime != null) ? " after running " + Durations.describe(runTime) : "";
    }
}
