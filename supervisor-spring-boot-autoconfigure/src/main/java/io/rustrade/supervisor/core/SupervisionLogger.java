package io.rustrade.supervisor.core;

import io.rustrade.supervisor.core.internal.CapturedFailure;
import io.rustrade.supervisor.core.internal.Durations;
import java.time.Duration;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs what the supervisor does, for operators reading logs: failures at WARN (the stack trace at
 * DEBUG), an open circuit or a service given up at ERROR, restarts and closed circuits at INFO, and the
 * routine (registration, first starts, stops) at DEBUG. Logger name {@code io.rustrade.supervisor}.
 *
 * <p>A failure is one line that also says when the service restarts, so a storm of failures writes one
 * line per failure, not two: the {@code RestartScheduled} event that follows is logged at DEBUG only.
 * When the failure opens the circuit or ends supervision, the ERROR line that follows says so.
 *
 * <p>A service taken down with one it depends on (its group, {@code restart-dependents}) is an INFO line
 * naming the service it waits for.
 *
 * <p>A call abandoned after its timeout is a WARN line with the stack of the thread that is stuck in it;
 * its return, at last, an INFO line.
 *
 * <p>A failure is told by its {@link CapturedFailure#description() captured description}; its stack trace
 * is handed to the logging framework only when {@link CapturedFailure} finds that safe, so an exception
 * whose methods throw cannot make logging throw.
 *
 * <p>It is meant to be added as an internal listener ({@link ObservableSupervisor#addInternalListener}),
 * as the starter does: then no listener of the application, however long it blocks, delays or silences
 * its lines. It only formats and logs.
 */
public final class SupervisionLogger implements SupervisionListener {

    private final Log logger;

    public SupervisionLogger() {
        this(LogFactory.getLog("io.rustrade.supervisor"));
    }

    SupervisionLogger(Log logger) {
        this.logger = logger;
    }

    @Override
    public void onEvent(SupervisionEvent event) {
        // The lines written for every failure and restart are built only when their level is on: in a storm
        // this runs for every one.
        String service = "Service '" + event.service() + "'";
        if (event instanceof SupervisionEvent.Failed failed) {
            if (this.logger.isWarnEnabled()) {
                this.logger.warn(service + " failed (attempt " + failed.attempt() + ran(failed.runTime())
                        + restartsIn(failed.restartIn()) + "): "
                        + failed.failure().description());
            }
            if (this.logger.isDebugEnabled()) {
                failed.failure().debug(this.logger, service + " failure");
            }
        } else if (event instanceof SupervisionEvent.Restarting restarting) {
            if (this.logger.isInfoEnabled()) {
                this.logger.info(service + " is restarting (" + restarting.reason() + ")");
            }
        } else if (event instanceof SupervisionEvent.CircuitOpened opened) {
            this.logger.error("Circuit of service '" + event.service() + "' opened after " + opened.failures()
                    + " failures (max-failures " + opened.maxFailures() + ")"
                    + ((opened.probeAt() != null) ? "; a probe start follows at " + opened.probeAt() : ""));
        } else if (event instanceof SupervisionEvent.CircuitClosed closed) {
            this.logger.info("Circuit of service '" + event.service() + "' closed: " + closed.reason());
        } else if (event instanceof SupervisionEvent.GaveUp gaveUp) {
            this.logger.error(service + " is FAILED and will not be restarted: " + gaveUp.reason());
        } else if (event instanceof SupervisionEvent.CallAbandoned abandoned) {
            this.logger.warn(service + ": " + abandoned.call() + " did not return within "
                    + Durations.format(abandoned.timeout()) + "; abandoned (its thread was interrupted and stays"
                    + " with it), and the service is not called again until it returns" + stack(abandoned.stack()));
        } else if (event instanceof SupervisionEvent.AbandonedCallReturned returned) {
            this.logger.info(service + ": its abandoned " + returned.call() + " returned, "
                    + Durations.describe(returned.after()) + " after it began");
        } else if (event instanceof SupervisionEvent.Waiting waiting) {
            this.logger.info(service + " is waiting for '" + waiting.waitingFor() + "': it starts again once '"
                    + waiting.waitingFor() + "' runs");
        } else if (event instanceof SupervisionEvent.LeadershipGranted granted) {
            this.logger.info(service + ": this instance leads it now (lock '" + granted.lock() + "'); it starts here");
        } else if (event instanceof SupervisionEvent.LeadershipRevoked revoked) {
            String line = service + ": this instance no longer leads it (lock '" + revoked.lock() + "', "
                    + revoked.reason() + "); it is stopped here and stands by";
            if ("yielded".equals(revoked.reason()) || "released".equals(revoked.reason())) {
                // Asked for by an operator, or the application stops: expected.
                this.logger.info(line);
            } else {
                this.logger.warn(line);
            }
        } else if (event instanceof SupervisionEvent.Completed completed) {
            this.logger.info(service + " completed" + ran(completed.runTime())
                    + ((completed.restartIn() != null)
                            ? "; it restarts in " + Durations.describe(completed.restartIn())
                                    + " (restart policy always)"
                            : ""));
        } else if (this.logger.isDebugEnabled()) {
            this.logger.debug(event.toString());
        }
    }

    /** Where the stuck call was, as a stack trace reads, for the operator who must find out why. */
    private static String stack(List<StackTraceElement> frames) {
        if (frames.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder("; it was at:");
        for (StackTraceElement frame : frames) {
            text.append(System.lineSeparator()).append("\tat ").append(frame);
        }
        return text.toString();
    }

    private static String restartsIn(Duration delay) {
        return (delay != null) ? "; restarts in " + Durations.describe(delay) : "";
    }

    private static String ran(Duration runTime) {
        return (runTime != null) ? " after running " + Durations.describe(runTime) : "";
    }
}
