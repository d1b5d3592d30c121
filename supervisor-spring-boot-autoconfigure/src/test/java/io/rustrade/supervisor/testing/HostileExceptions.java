package io.rustrade.supervisor.testing;

/** Exceptions that misbehave in every way user code can make one misbehave. */
public final class HostileExceptions {

    private HostileExceptions() {}

    /** Every overridable method that describes it throws. */
    public static final class Throwing extends RuntimeException {

        private static final long serialVersionUID = 1L;

        @Override
        public String getMessage() {
            throw new IllegalStateException("getMessage() is broken");
        }

        @Override
        public String getLocalizedMessage() {
            throw new IllegalStateException("getLocalizedMessage() is broken");
        }

        @Override
        public String toString() {
            throw new IllegalStateException("toString() is broken");
        }

        @Override
        public synchronized Throwable getCause() {
            throw new IllegalStateException("getCause() is broken");
        }
    }

    /** An exception whose cause chain loops back to it: {@code first} caused by a second caused by {@code first}. */
    public static RuntimeException cyclic(String message) {
        RuntimeException first = new RuntimeException(message);
        IllegalStateException second = new IllegalStateException("second", first);
        first.initCause(second);
        return first;
    }

    /** An exception whose message is {@code length} characters long. */
    public static RuntimeException withMessageOfLength(int length) {
        return new RuntimeException("x".repeat(length));
    }
}
