package io.rustrade.supervisor.core.internal;

import io.rustrade.supervisor.ReleasedFailureException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;

/**
 * What the supervisor keeps of a failure's exception, read once, when the failure is reported: the one
 * place where the supervisor asks an exception to describe itself.
 *
 * <p>An exception is user code: its {@code getMessage()}, {@code toString()}, {@code getCause()} and
 * {@code getStackTrace()} may throw, return a message of megabytes, or lead round a cycle of causes.
 * The rules:
 *
 * <ul>
 *   <li>Each of those methods is called here only, each inside a guard: whatever it throws (a {@code
 *       StackOverflowError} included) is caught, so a failure is never lost on the way to being counted.
 *   <li>{@link #message()} is {@code getMessage()} cut to {@value #MAX_MESSAGE_LENGTH} characters, or
 *       {@code null} when it returned {@code null} or threw: the supervisor retains nothing longer.
 *   <li>{@link #description()} is one line: the class name, then {@code ": "} and the message with its
 *       line breaks turned into spaces; when {@code getMessage()} threw, a note saying so instead.
 *   <li>The cause chain is followed through {@code getCause()} for at most {@value #MAX_CHAIN_LENGTH}
 *       exceptions, and stops at one already seen (a cycle) or at a {@code getCause()} that throws; the
 *       classes met are kept, for {@link #hasInChain}.
 *   <li>The exception is handed to a logging framework, for its stack trace, only when every exception of
 *       its chain and their suppressed ones answered every question without throwing and the chain ends;
 *       even then the logging call is guarded, and falls back to the description.
 *   <li>Capturing asks only what counting a failure needs — the message and the causes' classes — so
 *       that reporting a failure stays cheap; the questions that decide whether the stack trace may be
 *       logged ({@code getStackTrace()} of each exception, their suppressed ones) are asked the first time
 *       a stack trace is to be logged, and their answer is kept.
 * </ul>
 *
 * <p>Application events and listeners still get the original exception ({@link #exception()}), unless
 * its event waited for them behind too many failures: then a {@link ReleasedFailureException} stands in
 * for it ({@link #released()}). Immutable.
 */
public final class CapturedFailure {

    /** The longest exception message kept, in characters. */
    public static final int MAX_MESSAGE_LENGTH = 500;

    /** The most exceptions of a cause chain looked at. */
    public static final int MAX_CHAIN_LENGTH = 64;

    private static final String ELLIPSIS = "...";

    private final Throwable exception;

    private final String className;

    private final String message;

    private final String description;

    private final List<Class<?>> chain;

    /** Whether the stack trace may be logged; null until first needed. */
    private volatile Boolean loggable;

    /** The failure classifier that held it fatal, or null. */
    private final String fatalBy;

    private CapturedFailure(
            Throwable exception,
            String className,
            String message,
            String description,
            List<Class<?>> chain,
            Boolean loggable) {
        this(exception, className, message, description, chain, loggable, null);
    }

    private CapturedFailure(
            Throwable exception,
            String className,
            String message,
            String description,
            List<Class<?>> chain,
            Boolean loggable,
            String fatalBy) {
        this.exception = exception;
        this.className = className;
        this.message = message;
        this.description = description;
        this.chain = chain;
        this.loggable = loggable;
        this.fatalBy = fatalBy;
    }

    /** This failure, held fatal by the failure classifier named {@code classifier}; itself when that is null. */
    public CapturedFailure fatalBy(String classifier) {
        if (classifier == null) {
            return this;
        }
        return new CapturedFailure(
                this.exception, this.className, this.message, this.description, this.chain, this.loggable, classifier);
    }

    /** The name of the failure classifier that held it fatal, or null when none did. */
    public String fatalBy() {
        return this.fatalBy;
    }

    /** Reads what the supervisor needs of an exception; never throws. */
    public static CapturedFailure of(Throwable exception) {
        String className = exception.getClass().getName();
        Answer<String> message = ask(exception::getMessage);
        String cut = abbreviate(message.value);
        String description;
        if (message.failure != null) {
            description = className + " (message unavailable: getMessage() threw "
                    + message.failure.getClass().getName() + ")";
        } else {
            description = (cut != null) ? className + ": " + oneLine(cut) : className;
        }
        // Walked even when getMessage() threw: the chain's classes decide whether the failure is fatal.
        List<Class<?>> chain = causeClasses(exception);
        // An exception whose getMessage() throws is never handed to a logging framework; for the others,
        // that is decided when a stack trace is first to be logged.
        Boolean loggable = (message.failure != null) ? Boolean.FALSE : null;
        return new CapturedFailure(exception, className, cut, description, chain, loggable);
    }

    /** The classes of the cause chain, following getCause() within bounds; a cycle or a throw ends it. */
    private static List<Class<?>> causeClasses(Throwable exception) {
        List<Class<?>> chain = new ArrayList<>(2);
        List<Throwable> seen = new ArrayList<>(2);
        for (Throwable current = exception; current != null; ) {
            if (contains(seen, current) || seen.size() == MAX_CHAIN_LENGTH) {
                break;
            }
            seen.add(current);
            chain.add(current.getClass());
            Answer<Throwable> cause = ask(current::getCause);
            if (cause.failure != null) {
                break;
            }
            current = cause.value;
        }
        return List.copyOf(chain);
    }

    /** Whether the stack trace may be handed to a logging framework; asked once, then kept. */
    private boolean isLoggable() {
        Boolean known = this.loggable;
        if (known == null) {
            known = walk(this.exception, new ArrayList<>(), new ArrayList<>());
            this.loggable = known;
        }
        return known;
    }

    /**
     * This failure without its exception: the same class name, message, description and chain, with a
     * {@link ReleasedFailureException} (whose stack trace may be logged) in place of the exception. Asks
     * the exception nothing.
     */
    public CapturedFailure released() {
        if (this.exception instanceof ReleasedFailureException) {
            return this;
        }
        return new CapturedFailure(
                new ReleasedFailureException(this.className, this.description),
                this.className,
                this.message,
                this.description,
                this.chain,
                Boolean.TRUE,
                this.fatalBy);
    }

    /** The exception itself, for listeners and application events. */
    public Throwable exception() {
        return this.exception;
    }

    /** The exception's class name. */
    public String className() {
        return this.className;
    }

    /** The exception's message cut to {@value #MAX_MESSAGE_LENGTH} characters; {@code null} when none was given. */
    public String message() {
        return this.message;
    }

    /** One line naming the exception and its message, safe to log and show. */
    public String description() {
        return this.description;
    }

    /** Whether the exception, or one in its cause chain, is an instance of one of the given classes. */
    public boolean hasInChain(Set<Class<? extends Throwable>> types) {
        for (Class<?> type : this.chain) {
            for (Class<? extends Throwable> candidate : types) {
                if (candidate.isAssignableFrom(type)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Logs the line at WARN, with the stack trace when that is safe; never throws. */
    public void warn(Log log, String line) {
        write(log::warn, log::warn, line);
    }

    /** Logs the line at ERROR, with the stack trace when that is safe; never throws. */
    public void error(Log log, String line) {
        write(log::error, log::error, line);
    }

    /** Logs the line at DEBUG, with the stack trace when that is safe; never throws. */
    public void debug(Log log, String line) {
        write(log::debug, log::debug, line);
    }

    private void write(BiConsumer<Object, Throwable> withTrace, Consumer<Object> alone, String line) {
        String described = line + ": " + this.description;
        if (isLoggable()) {
            try {
                withTrace.accept(described, this.exception);
                return;
            } catch (Throwable ex) {
                // The exception changed its mind since it was captured: log what was captured.
                rethrowIfFatalToTheJvm(ex);
            }
        }
        try {
            alone.accept(described + " (stack trace not logged: the exception cannot describe itself safely)");
        } catch (RuntimeException ex) {
            // A logging framework that fails on a plain line: nothing more can be done here.
        }
    }

    /** A stack overflow inside a user's method has unwound already; any other VM error has not been handled. */
    private static void rethrowIfFatalToTheJvm(Throwable ex) {
        if (ex instanceof VirtualMachineError error && !(ex instanceof StackOverflowError)) {
            throw error;
        }
    }

    /** Cuts a message to {@value #MAX_MESSAGE_LENGTH} characters, the last three marking the cut with "...". */
    public static String abbreviate(String message) {
        if (message == null || message.length() <= MAX_MESSAGE_LENGTH) {
            return message;
        }
        int end = MAX_MESSAGE_LENGTH - ELLIPSIS.length();
        if (Character.isHighSurrogate(message.charAt(end - 1))) {
            end--;
        }
        return message.substring(0, end) + ELLIPSIS;
    }

    @Override
    public String toString() {
        return "CapturedFailure[" + this.description + "]";
    }

    /**
     * Follows the cause chain from {@code exception}, adding each class met to {@code chain}; answers
     * whether every exception met, suppressed ones included, described itself without throwing and the
     * chain ended within bounds. Costly ({@code getStackTrace()} of each): only for logging.
     */
    private static boolean walk(Throwable exception, List<Class<?>> chain, List<Throwable> seen) {
        boolean clean = true;
        for (Throwable current = exception; current != null; ) {
            if (contains(seen, current) || seen.size() == MAX_CHAIN_LENGTH) {
                return false;
            }
            seen.add(current);
            chain.add(current.getClass());
            Throwable examined = current;
            clean &= ask(examined::getMessage).failure == null
                    && ask(examined::getLocalizedMessage).failure == null
                    && ask(examined::toString).failure == null
                    && ask(examined::getStackTrace).failure == null;
            for (Throwable suppressed : current.getSuppressed()) {
                clean &= walk(suppressed, new ArrayList<>(), seen);
            }
            Answer<Throwable> cause = ask(examined::getCause);
            if (cause.failure != null) {
                return false;
            }
            current = cause.value;
        }
        return clean;
    }

    /** Identity, not equals: an exception's equals is user code too. */
    private static boolean contains(List<Throwable> seen, Throwable candidate) {
        for (Throwable each : seen) {
            if (each == candidate) {
                return true;
            }
        }
        return false;
    }

    private static String oneLine(String text) {
        StringBuilder line = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                if (line == null) {
                    line = new StringBuilder(text);
                }
                line.setCharAt(i, ' ');
            }
        }
        return (line != null) ? line.toString() : text;
    }

    private static <T> Answer<T> ask(Supplier<T> question) {
        try {
            return new Answer<>(question.get(), null);
        } catch (Throwable ex) {
            // Whatever a user's method throws, a StackOverflowError included, it must not cost the failure.
            return new Answer<>(null, ex);
        }
    }

    private record Answer<T>(T value, Throwable failure) {}
}
