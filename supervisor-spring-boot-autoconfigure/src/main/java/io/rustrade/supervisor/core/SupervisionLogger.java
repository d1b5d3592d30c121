package io.rustrade.supervisor.core;

import io.rustrade.supervisor.core.internal.CapturedFailure;
import io.rustrade.supervisor.core.internal.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
 * <p><b>Storms are summed up.</b> Within a second of the first failure line, at most {@value
 * #LINES_PER_WINDOW} failures and {@value #LINES_PER_WINDOW} restarts are written one by one; the others of
 * that second are counted, and one WARN line sums them up — how many, of how many services, the services
 * that failed most and the causes by class — once the second is over (at the next event, or a second later
 * at the latest). A storm of ten thousand failures is thus about twenty lines, not twenty thousand, and no
 * failure goes untold: each is its own line or counted in exactly one summary. Their stack traces (DEBUG)
 * are still written one by one.
 *
 * <p>It is meant to be added as an internal listener ({@link ObservableSupervisor#addInternalListener}),
 * as the starter does: then no listener of the application, however long it blocks, delays or silences
 * its lines. It only formats and logs.
 */
public final class SupervisionLogger implements SupervisionListener {

    /** Failures, and restarts, written one by one within a window; the rest are summed up. */
    static final int LINES_PER_WINDOW = 10;

    /** The window of the line budget. */
    static final Duration WINDOW = Duration.ofSeconds(1);

    /** The services named in a summary, at most; the causes named, at most. */
    private static final int NAMED = 5;

    /** Writes the summaries of storms that end with no event after them; one daemon thread for every logger. */
    private static final ScheduledExecutorService SUMMARIES = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "rustrade-supervisor-log-summaries");
        thread.setDaemon(true);
        return thread;
    });

    private final Log logger;

    /** Runs a task a window later: the summary of a storm that no event follows. */
    private final Consumer<Runnable> later;

    /** When the current window began, by the events' instants; null before the first failure. */
    private Instant windowStart;

    private int failureLines;

    private int restartLines;

    /** Failures of the window not written one by one, by service and by cause. */
    private final Map<String, Integer> quietServices = new HashMap<>();

    private final Map<String, Integer> quietCauses = new HashMap<>();

    private int quietFailures;

    private int quietRestarts;

    private boolean summaryArmed;

    public SupervisionLogger() {
        this(LogFactory.getLog("io.rustrade.supervisor"));
    }

    SupervisionLogger(Log logger) {
        this(logger, task -> SUMMARIES.schedule(task, WINDOW.toNanos(), TimeUnit.NANOSECONDS));
    }

    SupervisionLogger(Log logger, Consumer<Runnable> later) {
        this.logger = logger;
        this.later = later;
    }

    @Override
    public void onEvent(SupervisionEvent event) {
        // The lines written for every failure and restart are built only when their level is on: in a storm
        // this runs for every one.
        String service = "Service '" + event.service() + "'";
        if (event instanceof SupervisionEvent.Failed failed) {
            if (this.logger.isWarnEnabled() && mayWriteFailure(failed)) {
                this.logger.warn(service + " failed (attempt " + failed.attempt() + ran(failed.runTime())
                        + restartsIn(failed.restartIn()) + "): "
                        + failed.failure().description());
            }
            if (this.logger.isDebugEnabled()) {
                failed.failure().debug(this.logger, service + " failure");
            }
        } else if (event instanceof SupervisionEvent.Restarting restarting) {
            if (this.logger.isInfoEnabled() && mayWriteRestart(restarting)) {
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

    /** Whether the failure gets its own line; if not, it is counted for the window's summary. */
    private synchronized boolean mayWriteFailure(SupervisionEvent.Failed failed) {
        roll(failed.at());
        if (this.failureLines < LINES_PER_WINDOW) {
            this.failureLines++;
            return true;
        }
        this.quietFailures++;
        this.quietServices.merge(failed.service(), 1, Integer::sum);
        this.quietCauses.merge(failed.failure().className(), 1, Integer::sum);
        armSummary();
        return false;
    }

    /** Whether the restart gets its own line; if not, it is counted for the window's summary. */
    private synchronized boolean mayWriteRestart(SupervisionEvent.Restarting restarting) {
        roll(restarting.at());
        if (this.restartLines < LINES_PER_WINDOW) {
            this.restartLines++;
            return true;
        }
        this.quietRestarts++;
        armSummary();
        return false;
    }

    /** A new window begins when the event is past the current one: what the last one counted is summed up. */
    private void roll(Instant at) {
        if (this.windowStart == null || !at.isBefore(this.windowStart.plus(WINDOW))) {
            summarize();
            this.windowStart = at;
            this.failureLines = 0;
            this.restartLines = 0;
        }
    }

    private void armSummary() {
        if (!this.summaryArmed) {
            this.summaryArmed = true;
            try {
                this.later.accept(this::summarizeLate);
            } catch (RuntimeException ex) {
                // The summary is written with the next event instead.
                this.summaryArmed = false;
            }
        }
    }

    /** A window later: the storm's summary, when no event has written it yet. */
    private synchronized void summarizeLate() {
        this.summaryArmed = false;
        summarize();
    }

    /** Writes what the window counted, if anything, and forgets it. */
    private void summarize() {
        if (this.quietFailures == 0 && this.quietRestarts == 0) {
            return;
        }
        StringBuilder line = new StringBuilder("Failure storm: ");
        if (this.quietFailures > 0) {
            line.append(this.quietFailures)
                    .append(" more failures of ")
                    .append(this.quietServices.size())
                    .append(" services within ")
                    .append(Durations.describe(WINDOW))
                    .append(" of ")
                    .append(this.windowStart)
                    .append(", not logged one by one; most: ")
                    .append(most(this.quietServices))
                    .append("; causes: ")
                    .append(most(this.quietCauses));
        }
        if (this.quietRestarts > 0) {
            line.append((this.quietFailures > 0) ? "; and " : "")
                    .append(this.quietRestarts)
                    .append(" restarts not logged one by one");
        }
        this.logger.warn(line.toString());
        this.quietFailures = 0;
        this.quietRestarts = 0;
        this.quietServices.clear();
        this.quietCauses.clear();
    }

    /** The names counted most, most first (ties by name), with their counts; how many more there are. */
    private static String most(Map<String, Integer> counts) {
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(NAMED, sorted.size()); i++) {
            text.append((i > 0) ? ", " : "")
                    .append(sorted.get(i).getKey())
                    .append(" (")
                    .append(sorted.get(i).getValue())
                    .append(')');
        }
        if (sorted.size() > NAMED) {
            text.append(" and ").append(sorted.size() - NAMED).append(" more");
        }
        return text.toString();
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
