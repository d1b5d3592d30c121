package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.ReleasedFailureException;
import io.rustrade.supervisor.testing.HostileExceptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;

class SupervisionLoggerTests {

    private static final Instant AT = Instant.parse("2026-11-28T10:00:00Z");

    private final RecordingLog log = new RecordingLog(true);

    private final SupervisionLogger logger = new SupervisionLogger(this.log);

    @Test
    void aFailureThatIsRestartedIsOneWarningThatSaysWhen() {
        this.logger.onEvent(new SupervisionEvent.Failed(
                "feed",
                AT,
                new IllegalStateException("socket closed"),
                3,
                Duration.ofSeconds(30),
                Duration.ofMillis(678)));
        this.logger.onEvent(
                new SupervisionEvent.RestartScheduled("feed", AT, Duration.ofMillis(678), AT.plusMillis(678)));

        assertThat(this.log.lines("WARN"))
                .containsExactly("Service 'feed' failed (attempt 3 after running 30s; restarts in 678ms): "
                        + "java.lang.IllegalStateException: socket closed");
        assertThat(this.log.lines("INFO")).isEmpty();
        assertThat(this.log.lines("DEBUG")).anySatisfy(line -> assertThat(line).startsWith("RestartScheduled["));
    }

    @Test
    void aWaitingServiceIsOneInfoLineNamingTheServiceItWaitsFor() {
        this.logger.onEvent(new SupervisionEvent.Waiting("pricingEngine", AT, "feed"));

        assertThat(this.log.lines("INFO"))
                .containsExactly("Service 'pricingEngine' is waiting for 'feed': it starts again once 'feed' runs");
        assertThat(this.log.lines("WARN")).isEmpty();
    }

    @Test
    void anAbandonedCallIsAWarningWithTheStackOfTheStuckThreadAndItsReturnIsInfo() {
        StackTraceElement frame = new StackTraceElement("com.example.Feed", "connect", "Feed.java", 42);
        this.logger.onEvent(new SupervisionEvent.CallAbandoned(
                "feed", AT, "start()", Duration.ofSeconds(30), java.util.List.of(frame)));
        this.logger.onEvent(new SupervisionEvent.AbandonedCallReturned("feed", AT, "start()", Duration.ofSeconds(95)));

        assertThat(this.log.lines("WARN"))
                .containsExactly("Service 'feed': start() did not return within 30s; abandoned (its thread was"
                        + " interrupted and stays with it), and the service is not called again until it returns;"
                        + " it was at:" + System.lineSeparator() + "\tat com.example.Feed.connect(Feed.java:42)");
        assertThat(this.log.lines("INFO"))
                .containsExactly("Service 'feed': its abandoned start() returned, 1m35s after it began");
    }

    @Test
    void aFailureWhileStartingSaysNoRunTime() {
        this.logger.onEvent(new SupervisionEvent.Failed(
                "gateway", AT, new IllegalStateException("login refused"), 1, null, Duration.ofMillis(10)));

        assertThat(this.log.lines("WARN"))
                .containsExactly("Service 'gateway' failed (attempt 1; restarts in 10ms): "
                        + "java.lang.IllegalStateException: login refused");
    }

    @Test
    void aFailureThatOpensTheCircuitIsFollowedByAnError() {
        this.logger.onEvent(new SupervisionEvent.Failed(
                "feed", AT, new IllegalStateException("socket closed"), 5, Duration.ofSeconds(2), null));
        this.logger.onEvent(new SupervisionEvent.CircuitOpened("feed", AT, 5, 5, null));

        assertThat(this.log.lines("WARN"))
                .containsExactly(
                        "Service 'feed' failed (attempt 5 after running 2s): java.lang.IllegalStateException: socket closed");
        assertThat(this.log.lines("ERROR"))
                .containsExactly("Circuit of service 'feed' opened after 5 failures (max-failures 5)");
    }

    @Test
    void aCompletedRunLoopThatRestartsSaysWhen() {
        this.logger.onEvent(
                new SupervisionEvent.Completed("poller", AT, Duration.ofMinutes(2), Duration.ofMillis(500)));
        this.logger.onEvent(new SupervisionEvent.Completed("batch", AT, Duration.ofSeconds(1), null));

        assertThat(this.log.lines("INFO"))
                .containsExactly(
                        "Service 'poller' completed after running 2m; it restarts in 500ms (restart policy always)",
                        "Service 'batch' completed after running 1s");
    }

    @Test
    void theStackTraceOfAFailureIsAtDebug() {
        IllegalStateException cause = new IllegalStateException("socket closed");
        this.logger.onEvent(new SupervisionEvent.Failed("feed", AT, cause, 1, null, Duration.ofMillis(10)));

        assertThat(this.log.throwables).containsExactly(cause);
    }

    @Test
    void aFailureToldWithoutItsExceptionIsTheSameWarningAndItsStandInIsWhatDebugGets() {
        SupervisionEvent.Failed failed = new SupervisionEvent.Failed(
                "feed",
                AT,
                new IllegalStateException("socket closed"),
                3,
                Duration.ofSeconds(30),
                Duration.ofMillis(678));

        this.logger.onEvent(failed.released());

        assertThat(this.log.lines("WARN"))
                .containsExactly("Service 'feed' failed (attempt 3 after running 30s; restarts in 678ms): "
                        + "java.lang.IllegalStateException: socket closed");
        assertThat(this.log.throwables)
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
                .isInstanceOf(ReleasedFailureException.class)
                .hasMessage("java.lang.IllegalStateException: socket closed");
    }

    @Test
    void aFailureWhoseExceptionCannotDescribeItselfToldWithoutItIsLoggedByItsCapturedDescription() {
        SupervisionEvent.Failed failed = new SupervisionEvent.Failed(
                "feed", AT, new HostileExceptions.Throwing(), 1, null, Duration.ofMillis(10));

        this.logger.onEvent(failed.released());

        String described = HostileExceptions.Throwing.class.getName()
                + " (message unavailable: getMessage() threw java.lang.IllegalStateException)";
        assertThat(this.log.lines("WARN"))
                .containsExactly("Service 'feed' failed (attempt 1; restarts in 10ms): " + described);
        assertThat(this.log.throwables)
                .as("the stand-in describes itself safely")
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
                .isInstanceOf(ReleasedFailureException.class)
                .hasMessage(described);
    }

    @Test
    void aFailureWhoseExceptionCannotDescribeItselfIsLoggedByItsCapturedDescription() {
        this.logger.onEvent(new SupervisionEvent.Failed(
                "feed", AT, new HostileExceptions.Throwing(), 1, null, Duration.ofMillis(10)));

        String described = HostileExceptions.Throwing.class.getName()
                + " (message unavailable: getMessage() threw java.lang.IllegalStateException)";
        assertThat(this.log.lines("WARN"))
                .containsExactly("Service 'feed' failed (attempt 1; restarts in 10ms): " + described);
        assertThat(this.log.lines("DEBUG"))
                .singleElement()
                .asString()
                .startsWith("Service 'feed' failure: " + described);
        assertThat(this.log.throwables).isEmpty();
    }

    @Test
    void aStackTraceWhoseCausesFormACycleIsNotHandedToTheLoggingFramework() {
        this.logger.onEvent(new SupervisionEvent.Failed(
                "feed", AT, HostileExceptions.cyclic("loop"), 1, null, Duration.ofMillis(10)));

        assertThat(this.log.lines("WARN"))
                .containsExactly(
                        "Service 'feed' failed (attempt 1; restarts in 10ms): java.lang.RuntimeException: loop");
        assertThat(this.log.throwables).isEmpty();
    }

    @Test
    void linesOfLevelsThatAreOffAreNotEvenBuilt() {
        RecordingLog quiet = new RecordingLog(false);
        SupervisionLogger logger = new SupervisionLogger(quiet);
        logger.onEvent(new SupervisionEvent.Failed(
                "feed", AT, new IllegalStateException("socket closed"), 1, null, Duration.ofMillis(10)));
        logger.onEvent(new SupervisionEvent.Restarting("feed", AT, "backoff"));

        assertThat(quiet.entries).isEmpty();
    }

    @Test
    void aStormIsTenFailureLinesAndOneSummaryThatCountsEveryOtherFailureByServiceAndCause() {
        List<Runnable> later = new ArrayList<>();
        SupervisionLogger logger = new SupervisionLogger(this.log, later::add);
        for (int i = 0; i < 1000; i++) {
            Throwable cause = (i % 4 == 0) ? new java.io.IOException("reset") : new IllegalStateException("gone");
            logger.onEvent(new SupervisionEvent.Failed(
                    "feed-" + (i % 100), AT.plusMillis(i % 900), cause, 1, null, Duration.ofMillis(10)));
        }
        assertThat(this.log.lines("WARN")).hasSize(SupervisionLogger.LINES_PER_WINDOW);

        // The storm ends with no event after it: the summary is written a window later.
        assertThat(later).hasSize(1);
        later.get(0).run();

        List<String> warnings = this.log.lines("WARN");
        assertThat(warnings).hasSize(SupervisionLogger.LINES_PER_WINDOW + 1);
        assertThat(warnings.get(SupervisionLogger.LINES_PER_WINDOW))
                .isEqualTo("Failure storm: 990 more failures of 100 services within 1s of 2026-11-28T10:00:00Z,"
                        + " not logged one by one; most: feed-10 (10), feed-11 (10), feed-12 (10), feed-13 (10),"
                        + " feed-14 (10) and 95 more; causes: java.lang.IllegalStateException (743),"
                        + " java.io.IOException (247)");
    }

    @Test
    void noFailureGoesUntoldEachIsItsOwnLineOrCountedInExactlyOneSummary() {
        List<Runnable> later = new ArrayList<>();
        SupervisionLogger logger = new SupervisionLogger(this.log, later::add);
        int failures = 0;
        // Three storms, a window apart, the last one summed up by the timer.
        for (int window = 0; window < 3; window++) {
            for (int i = 0; i < 25 + window; i++) {
                logger.onEvent(new SupervisionEvent.Failed(
                        "feed", AT.plusSeconds(window), new IllegalStateException("gone"), 1, null, null));
                failures++;
            }
        }
        later.forEach(Runnable::run);

        int told = 0;
        for (String line : this.log.lines("WARN")) {
            if (line.startsWith("Failure storm: ")) {
                told += Integer.parseInt(line.substring("Failure storm: ".length(), line.indexOf(" more failures")));
            } else {
                told++;
            }
        }
        assertThat(told).isEqualTo(failures);
        assertThat(this.log.lines("WARN"))
                .filteredOn(line -> line.startsWith("Failure storm"))
                .hasSize(3);
    }

    @Test
    void restartsInAStormAreSummedUpToo() {
        List<Runnable> later = new ArrayList<>();
        SupervisionLogger logger = new SupervisionLogger(this.log, later::add);
        for (int i = 0; i < 50; i++) {
            logger.onEvent(new SupervisionEvent.Restarting("feed-" + i, AT, "backoff"));
        }
        later.forEach(Runnable::run);

        assertThat(this.log.lines("INFO")).hasSize(SupervisionLogger.LINES_PER_WINDOW);
        assertThat(this.log.lines("WARN")).containsExactly("Failure storm: 40 restarts not logged one by one");
    }

    @Test
    void failuresSpreadOverTimeAreEachTheirOwnLine() {
        for (int i = 0; i < 30; i++) {
            this.logger.onEvent(new SupervisionEvent.Failed(
                    "feed", AT.plusSeconds(i), new IllegalStateException("gone"), 1, null, null));
        }

        assertThat(this.log.lines("WARN")).hasSize(30).noneMatch(line -> line.startsWith("Failure storm"));
    }

    @Test
    void aRestartIsInfo() {
        this.logger.onEvent(new SupervisionEvent.Restarting("feed", AT, "backoff elapsed"));

        assertThat(this.log.lines("INFO")).containsExactly("Service 'feed' is restarting (backoff elapsed)");
        assertThat(this.log.lines("DEBUG")).isEmpty();
    }

    @Test
    void anOpenedCircuitThatWillBeProbedSaysWhen() {
        this.logger.onEvent(new SupervisionEvent.CircuitOpened("feed", AT, 5, 5, AT.plusSeconds(300)));

        assertThat(this.log.lines("ERROR"))
                .containsExactly("Circuit of service 'feed' opened after 5 failures (max-failures 5); a probe start"
                        + " follows at 2026-11-28T10:05:00Z");
    }

    @Test
    void aClosedCircuitIsInfoWithItsReason() {
        this.logger.onEvent(new SupervisionEvent.CircuitClosed("feed", AT, "probe start succeeded"));

        assertThat(this.log.lines("INFO")).containsExactly("Circuit of service 'feed' closed: probe start succeeded");
        assertThat(this.log.lines("DEBUG")).isEmpty();
    }

    @Test
    void aServiceGivenUpIsAnErrorWithItsReason() {
        this.logger.onEvent(new SupervisionEvent.GaveUp("feed", AT, "fatal exception"));

        assertThat(this.log.lines("ERROR"))
                .containsExactly("Service 'feed' is FAILED and will not be restarted: fatal exception");
        assertThat(this.log.lines("DEBUG")).isEmpty();
    }

    @Test
    void anAbandonedCallWhoseStackIsUnknownSaysNoWhere() {
        this.logger.onEvent(
                new SupervisionEvent.CallAbandoned("feed", AT, "stop()", Duration.ofSeconds(30), List.of()));

        assertThat(this.log.lines("WARN"))
                .containsExactly("Service 'feed': stop() did not return within 30s; abandoned (its thread was"
                        + " interrupted and stays with it), and the service is not called again until it returns");
    }

    /** A {@link Log} with every level on or every level off, that keeps what it is given, prefixed with the level. */
    private static final class RecordingLog implements Log {

        private final boolean enabled;

        private final List<String> entries = new ArrayList<>();

        private final List<Throwable> throwables = new ArrayList<>();

        RecordingLog(boolean enabled) {
            this.enabled = enabled;
        }

        List<String> lines(String level) {
            return this.entries.stream()
                    .filter(entry -> entry.startsWith(level + " "))
                    .map(entry -> entry.substring(level.length() + 1))
                    .toList();
        }

        /** Keeps every call, even to a level that is off, so that a test sees calls that should not be made. */
        private void add(String level, Object message, Throwable throwable) {
            if (throwable != null) {
                // As a logging framework does to print the stack trace.
                throwable.getMessage();
                this.throwables.add(throwable);
            }
            this.entries.add(level + " " + message);
        }

        @Override
        public boolean isFatalEnabled() {
            return this.enabled;
        }

        @Override
        public boolean isErrorEnabled() {
            return this.enabled;
        }

        @Override
        public boolean isWarnEnabled() {
            return this.enabled;
        }

        @Override
        public boolean isInfoEnabled() {
            return this.enabled;
        }

        @Override
        public boolean isDebugEnabled() {
            return this.enabled;
        }

        @Override
        public boolean isTraceEnabled() {
            return this.enabled;
        }

        @Override
        public void fatal(Object message) {
            add("FATAL", message, null);
        }

        @Override
        public void fatal(Object message, Throwable t) {
            add("FATAL", message, t);
        }

        @Override
        public void error(Object message) {
            add("ERROR", message, null);
        }

        @Override
        public void error(Object message, Throwable t) {
            add("ERROR", message, t);
        }

        @Override
        public void warn(Object message) {
            add("WARN", message, null);
        }

        @Override
        public void warn(Object message, Throwable t) {
            add("WARN", message, t);
        }

        @Override
        public void info(Object message) {
            add("INFO", message, null);
        }

        @Override
        public void info(Object message, Throwable t) {
            add("INFO", message, t);
        }

        @Override
        public void debug(Object message) {
            add("DEBUG", message, null);
        }

        @Override
        public void debug(Object message, Throwable t) {
            add("DEBUG", message, t);
        }

        @Override
        public void trace(Object message) {
            add("TRACE", message, null);
        }

        @Override
        public void trace(Object message, Throwable t) {
            add("TRACE", message, t);
        }
    }
}
