package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustrade.supervisor.core.internal.CapturedFailure;
import io.rustrade.supervisor.testing.HostileExceptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.logging.impl.NoOpLog;
import org.junit.jupiter.api.Test;

/**
 * When {@link CapturedFailure} hands an exception to the logging framework for its stack trace: only when
 * every exception of its cause chain, and their suppressed ones, answers every question without throwing
 * and the chain ends within its bound; otherwise, or when the logging call itself fails, the line is
 * logged alone with the captured description.
 */
class StackTraceLoggingRulesTests {

    private static final String WITHOUT_TRACE =
            " (stack trace not logged: the exception cannot describe itself safely)";

    private final RecordingLog log = new RecordingLog();

    @Test
    void aWellBehavedExceptionIsHandedToTheLoggingFrameworkAtEachLevel() {
        IllegalStateException exception = new IllegalStateException("socket closed");
        CapturedFailure failure = CapturedFailure.of(exception);

        failure.warn(this.log, "warned");
        failure.error(this.log, "failed");
        failure.debug(this.log, "debugged");

        assertThat(this.log.lines)
                .containsExactly(
                        "WARN warned: java.lang.IllegalStateException: socket closed",
                        "ERROR failed: java.lang.IllegalStateException: socket closed",
                        "DEBUG debugged: java.lang.IllegalStateException: socket closed");
        assertThat(this.log.traces).containsExactly(exception, exception, exception);
    }

    @Test
    void anExceptionWithWellBehavedCausesAndSuppressedOnesIsLoggedWithItsStackTrace() {
        IllegalStateException exception = new IllegalStateException("outer", new IllegalArgumentException("inner"));
        exception.addSuppressed(new UnsupportedOperationException("on close"));

        CapturedFailure.of(exception).warn(this.log, "warned");

        assertThat(this.log.traces).containsExactly(exception);
    }

    @Test
    void anExceptionWhoseLocalizedMessageThrowsIsLoggedWithoutItsStackTrace() {
        assertLoggedWithoutTrace(new RuntimeException("broken") {
            @Override
            public String getLocalizedMessage() {
                throw new IllegalStateException("getLocalizedMessage() is broken");
            }
        });
    }

    @Test
    void anExceptionWhoseLocalizedMessageAloneThrowsIsLoggedWithoutItsStackTrace() {
        // Its toString() does not go through getLocalizedMessage(): only that question shows the fault.
        assertLoggedWithoutTrace(new RuntimeException("broken") {
            @Override
            public String getLocalizedMessage() {
                throw new IllegalStateException("getLocalizedMessage() is broken");
            }

            @Override
            public String toString() {
                return "broken exception";
            }
        });
    }

    @Test
    void anExceptionWithACauseWhoseMessageAloneThrowsIsLoggedWithoutItsStackTrace() {
        // A logging framework asks a cause for its message: that the cause answers the other questions
        // does not make its stack trace safe to print.
        assertLoggedWithoutTrace(new IllegalStateException("outer", new RuntimeException() {
            @Override
            public String getMessage() {
                throw new IllegalStateException("getMessage() is broken");
            }

            @Override
            public String getLocalizedMessage() {
                return "localized";
            }

            @Override
            public String toString() {
                return "broken cause";
            }
        }));
    }

    @Test
    void anExceptionWhoseToStringThrowsIsLoggedWithoutItsStackTrace() {
        assertLoggedWithoutTrace(new RuntimeException("broken") {
            @Override
            public String toString() {
                throw new IllegalStateException("toString() is broken");
            }
        });
    }

    @Test
    void anExceptionWhoseStackTraceThrowsIsLoggedWithoutIt() {
        assertLoggedWithoutTrace(new RuntimeException("broken") {
            @Override
            public StackTraceElement[] getStackTrace() {
                throw new IllegalStateException("getStackTrace() is broken");
            }
        });
    }

    @Test
    void anExceptionWhoseCauseThrowsIsLoggedWithoutItsStackTrace() {
        assertLoggedWithoutTrace(new RuntimeException("broken") {
            @Override
            public synchronized Throwable getCause() {
                throw new IllegalStateException("getCause() is broken");
            }
        });
    }

    @Test
    void anExceptionWithACauseThatCannotDescribeItselfIsLoggedWithoutItsStackTrace() {
        assertLoggedWithoutTrace(new IllegalStateException("outer", new RuntimeException("inner") {
            @Override
            public StackTraceElement[] getStackTrace() {
                throw new IllegalStateException("getStackTrace() is broken");
            }
        }));
    }

    @Test
    void anExceptionWithASuppressedOneThatCannotDescribeItselfIsLoggedWithoutItsStackTrace() {
        IllegalStateException exception = new IllegalStateException("outer");
        exception.addSuppressed(new HostileExceptions.Throwing());

        assertLoggedWithoutTrace(exception);
    }

    @Test
    void anExceptionWhoseCauseChainIsLongerThanTheBoundIsLoggedWithoutItsStackTrace() {
        Throwable chain = new IllegalStateException("deepest");
        for (int i = 1; i < CapturedFailure.MAX_CHAIN_LENGTH + 1; i++) {
            chain = new IllegalStateException("level " + i, chain);
        }

        assertLoggedWithoutTrace(chain);
    }

    @Test
    void anExceptionWhoseCauseChainReachesTheBoundExactlyIsLoggedWithItsStackTrace() {
        Throwable chain = new IllegalStateException("deepest");
        for (int i = 1; i < CapturedFailure.MAX_CHAIN_LENGTH; i++) {
            chain = new IllegalStateException("level " + i, chain);
        }

        CapturedFailure.of(chain).warn(this.log, "warned");

        assertThat(this.log.traces).containsExactly(chain);
    }

    @Test
    void anExceptionWhoseMessageCouldNotBeReadWhenCapturedIsNeverLoggedWithItsStackTrace() {
        AtomicInteger asked = new AtomicInteger();
        RuntimeException flaky = new RuntimeException("recovered") {
            @Override
            public String getMessage() {
                if (asked.getAndIncrement() == 0) {
                    throw new IllegalStateException("not yet");
                }
                return super.getMessage();
            }
        };

        CapturedFailure.of(flaky).warn(this.log, "warned");

        assertThat(this.log.traces).isEmpty();
        assertThat(this.log.lines).singleElement().asString().endsWith(WITHOUT_TRACE);
    }

    @Test
    void whetherAStackTraceMayBeLoggedIsAskedOnlyWhenOneIsToBeLoggedAndThenKept() {
        AtomicInteger asked = new AtomicInteger();
        RuntimeException exception = new RuntimeException("counted") {
            @Override
            public StackTraceElement[] getStackTrace() {
                asked.incrementAndGet();
                return super.getStackTrace();
            }
        };

        CapturedFailure failure = CapturedFailure.of(exception);
        assertThat(asked).as("asked when captured").hasValue(0);

        failure.warn(this.log, "first");
        failure.warn(this.log, "second");

        assertThat(asked).as("asked after two lines").hasValue(1);
        assertThat(this.log.traces).containsExactly(exception, exception);
    }

    @Test
    void aCyclicCauseChainIsFollowedOnceRound() {
        AtomicInteger asked = new AtomicInteger();
        RuntimeException first = new CountingCause("first", asked);
        RuntimeException second = new CountingCause("second", asked);
        first.initCause(second);
        second.initCause(first);

        CapturedFailure failure = CapturedFailure.of(first);
        assertThat(asked).as("causes asked when captured").hasValue(2);
        assertThat(failure.hasInChain(Set.of(CountingCause.class))).isTrue();

        failure.warn(this.log, "warned");
        assertThat(asked).as("causes asked once more before logging").hasValue(4);
        assertThat(this.log.traces).isEmpty();
    }

    @Test
    void aLoggingFrameworkThatFailsOnTheStackTraceIsGivenTheLineAlone() {
        RecordingLog failing = new RecordingLog() {
            @Override
            public void warn(Object message, Throwable t) {
                throw new IllegalStateException("appender broken");
            }
        };

        CapturedFailure.of(new IllegalStateException("socket closed")).warn(failing, "warned");

        assertThat(failing.lines)
                .containsExactly("WARN warned: java.lang.IllegalStateException: socket closed" + WITHOUT_TRACE);
    }

    @Test
    void aStackOverflowInTheLoggingCallFallsBackToTheLineAlone() {
        RecordingLog overflowing = new RecordingLog() {
            @Override
            public void error(Object message, Throwable t) {
                throw new StackOverflowError();
            }
        };

        CapturedFailure.of(new IllegalStateException("socket closed")).error(overflowing, "failed");

        assertThat(overflowing.lines)
                .containsExactly("ERROR failed: java.lang.IllegalStateException: socket closed" + WITHOUT_TRACE);
    }

    @Test
    void anyOtherVirtualMachineErrorInTheLoggingCallIsNotSwallowed() {
        OutOfMemoryError exhausted = new OutOfMemoryError("Java heap space");
        RecordingLog exhausting = new RecordingLog() {
            @Override
            public void debug(Object message, Throwable t) {
                throw exhausted;
            }
        };
        CapturedFailure failure = CapturedFailure.of(new IllegalStateException("socket closed"));

        assertThatThrownBy(() -> failure.debug(exhausting, "debugged")).isSameAs(exhausted);
        assertThat(exhausting.lines).isEmpty();
    }

    @Test
    void aLoggingFrameworkThatFailsOnThePlainLineTooCostsTheCallerNothing() {
        RecordingLog broken = new RecordingLog() {
            @Override
            public void warn(Object message) {
                throw new IllegalStateException("appender broken");
            }
        };

        assertThatCode(() ->
                        CapturedFailure.of(new HostileExceptions.Throwing()).warn(broken, "warned"))
                .doesNotThrowAnyException();
    }

    @Test
    void aMessageOfExactlyTheLongestLengthIsKeptWhole() {
        String longest = "x".repeat(CapturedFailure.MAX_MESSAGE_LENGTH);

        assertThat(CapturedFailure.of(new IllegalStateException(longest)).message())
                .isEqualTo(longest);
        assertThat(CapturedFailure.abbreviate(longest + "y")).isEqualTo("x".repeat(497) + "...");
        assertThat(CapturedFailure.abbreviate(null)).isNull();
    }

    private void assertLoggedWithoutTrace(Throwable exception) {
        CapturedFailure failure = CapturedFailure.of(exception);

        failure.warn(this.log, "warned");

        assertThat(this.log.traces).isEmpty();
        assertThat(this.log.lines).containsExactly("WARN warned: " + failure.description() + WITHOUT_TRACE);
    }

    /** An exception that counts how often any exception of its kind is asked for its cause. */
    private static final class CountingCause extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final transient AtomicInteger asked;

        CountingCause(String message, AtomicInteger asked) {
            super(message);
            this.asked = asked;
        }

        @Override
        public synchronized Throwable getCause() {
            this.asked.incrementAndGet();
            return super.getCause();
        }
    }

    /** Keeps the lines logged at WARN, ERROR and DEBUG, prefixed with the level, and the exceptions handed over. */
    private static class RecordingLog extends NoOpLog {

        private static final long serialVersionUID = 1L;

        final List<String> lines = new ArrayList<>();

        final List<Throwable> traces = new ArrayList<>();

        @Override
        public void warn(Object message) {
            this.lines.add("WARN " + message);
        }

        @Override
        public void warn(Object message, Throwable t) {
            warn(message);
            this.traces.add(t);
        }

        @Override
        public void error(Object message) {
            this.lines.add("ERROR " + message);
        }

        @Override
        public void error(Object message, Throwable t) {
            error(message);
            this.traces.add(t);
        }

        @Override
        public void debug(Object message) {
            this.lines.add("DEBUG " + message);
        }

        @Override
        public void debug(Object message, Throwable t) {
            debug(message);
            this.traces.add(t);
        }
    }
}
