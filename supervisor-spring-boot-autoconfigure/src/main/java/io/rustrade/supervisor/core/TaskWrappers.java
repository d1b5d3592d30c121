package io.rustrade.supervisor.core;

import io.rustrade.supervisor.core.internal.CapturedFailure;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The wrappers an application puts around its services' code ({@link SupervisorEngine.TaskWrapper}) — a
 * logging context, a {@code TaskDecorator} — and the rules that keep a wrapper, which is user code too,
 * from changing what supervision sees.
 *
 * <ul>
 *   <li><b>Around all of a service's code, on its thread.</b> Every call into a lifecycle service ({@code
 *       start()} — its first start too —, {@code stop()}, {@code isRunning()}) runs inside the wrappers on
 *       its call thread ({@link Calls.Lane}), every run of a run loop on its run thread ({@link
 *       SupervisorEngine#launchRun}); {@code wrap} is called there, right before, never on the control
 *       thread. The first wrapper given is the innermost. The time spent in a wrapper counts towards the
 *       call's timeout, and abandoning the call interrupts the thread wherever it is.
 *   <li><b>The code runs at most once, and on that thread.</b> What a wrapper is given runs the code (or the
 *       wrappers inside) the first time it is run on that thread; run again, or on another thread, it does
 *       nothing: the supervisor's rules — one call at a time per service, an abandoned call interrupted on
 *       its thread, a run cancelled through its thread — hold whatever a wrapper does.
 *   <li><b>A wrapper that fails is left out, never the code.</b> When {@code wrap} throws or returns {@code
 *       null}, or what it returned throws or returns without having run what it was given, the code runs
 *       without that wrapper — still inside the wrappers around it — and a warning names the wrapper (at
 *       most one a minute per wrapper; the others at debug). A wrapper adds context; a bug in it must not
 *       stop a service, nor make the watchdog see a healthy one fail. Only a {@link VirtualMachineError}
 *       from a wrapper goes on at once, as the call's failure: the JVM, not the wrapper, is in trouble.
 *   <li><b>The code's outcome is the call's.</b> What the code throws goes out through the wrappers, which
 *       may note it; supervision sees that exception, whatever a wrapper did with it (swallowed it,
 *       wrapped it). A wrapper that throws after the code returned changes nothing but a warning.
 * </ul>
 *
 * <p>Without wrappers, the code runs as it is, at no cost. Immutable but for the warnings' rate.
 */
final class TaskWrappers {

    private static final Log logger = LogFactory.getLog(TaskWrappers.class);

    /** How often one wrapper's failures are logged as warnings; the others are logged at debug. */
    static final long WARNING_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** The longest description of a wrapper logged, in characters. */
    private static final int MAX_DESCRIPTION_LENGTH = 200;

    /** No wrappers: code runs as it is. */
    static final TaskWrappers NONE = new TaskWrappers(List.of(), NanoClock.system());

    /** Innermost first. */
    private final List<Layer> layers;

    private final NanoClock clock;

    /**
     * @param wrappers innermost first
     * @param clock times the warnings
     */
    TaskWrappers(List<SupervisorEngine.TaskWrapper> wrappers, NanoClock clock) {
        this.clock = clock;
        this.layers = wrappers.stream().map(Layer::new).toList();
    }

    /**
     * Runs a service's code on this thread, inside the wrappers; throws what the code threw, as it threw it.
     *
     * @param serviceName the service the code belongs to, handed to each wrapper
     * @param what the code, for the warnings: {@code start() of service 'feed'}
     */
    void run(String serviceName, String what, Calls.UserCode code) throws Exception {
        if (this.layers.isEmpty()) {
            code.run();
            return;
        }
        Thread thread = Thread.currentThread();
        Body body = new Body(thread, code);
        Step outermost = body;
        for (Layer layer : this.layers) {
            outermost = new Wrapped(thread, layer, serviceName, what, outermost, body);
        }
        try {
            outermost.run();
        } catch (Throwable thrown) {
            // The code's failure, as it came out through the wrappers, or a wrapper's fatal error.
            if (thrown != body.failure && thrown instanceof VirtualMachineError error) {
                throw error;
            }
        }
        if (body.failure != null) {
            throw TaskWrappers.<RuntimeException>sneaky(body.failure);
        }
    }

    /**
     * A run of a run loop, to be run inside the wrappers on whatever thread runs it; the run itself when
     * there are none.
     */
    Runnable around(String serviceName, String what, Runnable run) {
        if (this.layers.isEmpty()) {
            return run;
        }
        return () -> {
            try {
                run(serviceName, what, run::run);
            } catch (Exception ex) {
                // Only what the run itself threw, unchecked: a Runnable has nothing else to throw.
                throw TaskWrappers.<RuntimeException>sneaky(ex);
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable failure) throws T {
        throw (T) failure;
    }

    /**
     * One wrapper, with what its warnings need. Its description is read once, guarded: a wrapper's {@code
     * toString()} is user code as well.
     */
    private final class Layer {

        final SupervisorEngine.TaskWrapper wrapper;

        private final String description;

        /** When the last warning about this wrapper was logged; guarded by this layer. */
        private long warnedAt;

        private boolean warned;

        Layer(SupervisorEngine.TaskWrapper wrapper) {
            this.wrapper = wrapper;
            this.description = describe(wrapper);
        }

        /** Logs what the wrapper did: {@code how} goes on from "Task wrapper <description> ". */
        void failed(String how, Throwable thrown) {
            long now = TaskWrappers.this.clock.nanoTime();
            boolean warn;
            synchronized (this) {
                warn = !this.warned || now - this.warnedAt >= WARNING_INTERVAL_NANOS;
                if (warn) {
                    this.warned = true;
                    this.warnedAt = now;
                }
            }
            if (!warn && !logger.isDebugEnabled()) {
                return;
            }
            String line = "Task wrapper " + this.description + " " + how;
            if (thrown == null) {
                if (warn) {
                    logger.warn(line);
                } else {
                    logger.debug(line);
                }
            } else if (warn) {
                CapturedFailure.of(thrown).warn(logger, line);
            } else {
                CapturedFailure.of(thrown).debug(logger, line);
            }
        }

        private static String describe(SupervisorEngine.TaskWrapper wrapper) {
            String description;
            try {
                description = String.valueOf(wrapper);
            } catch (RuntimeException | LinkageError | StackOverflowError ex) {
                description = wrapper.getClass().getName();
            }
            return CapturedFailure.abbreviate(
                    description.length() > MAX_DESCRIPTION_LENGTH
                            ? description.substring(0, MAX_DESCRIPTION_LENGTH)
                            : description);
        }
    }

    /**
     * A part of the chain — the code, or a wrapper around the parts inside — that runs the first time it is
     * run on its thread, and never else. Only its thread touches it.
     */
    private abstract static class Step implements Runnable {

        private final Thread thread;

        /** Whether it has been run on its thread. */
        boolean begun;

        Step(Thread thread) {
            this.thread = thread;
        }

        @Override
        public final void run() {
            if (Thread.currentThread() != this.thread || this.begun) {
                return;
            }
            this.begun = true;
            execute();
        }

        abstract void execute();
    }

    /** The service's code; remembers what it threw, and throws it on through the wrappers. */
    private static final class Body extends Step {

        private final Calls.UserCode code;

        Throwable failure;

        Body(Thread thread, Calls.UserCode code) {
            super(thread);
            this.code = code;
        }

        @Override
        void execute() {
            try {
                this.code.run();
            } catch (Throwable ex) {
                this.failure = ex;
                throw TaskWrappers.<RuntimeException>sneaky(ex);
            }
        }
    }

    /** One wrapper around the parts inside; runs them without it when it fails to. */
    private static final class Wrapped extends Step {

        private final Layer layer;

        private final String serviceName;

        private final String what;

        private final Step inner;

        private final Body body;

        Wrapped(Thread thread, Layer layer, String serviceName, String what, Step inner, Body body) {
            super(thread);
            this.layer = layer;
            this.serviceName = serviceName;
            this.what = what;
            this.inner = inner;
            this.body = body;
        }

        @Override
        void execute() {
            Runnable wrapped = null;
            Throwable thrown = null;
            try {
                wrapped = this.layer.wrapper.wrap(this.serviceName, this.inner);
                if (wrapped != null) {
                    wrapped.run();
                }
            } catch (Throwable ex) {
                thrown = ex;
            }
            if (!this.inner.begun) {
                if (thrown instanceof VirtualMachineError error) {
                    throw error;
                }
                String how = (thrown != null)
                        ? "threw before running the " + this.what
                        : (wrapped == null)
                                ? "returned null for the " + this.what
                                : "returned without running the " + this.what;
                this.layer.failed(how + "; it ran without that wrapper", thrown);
                // Throws what the code threw, for the wrappers around this one.
                this.inner.run();
                return;
            }
            if (thrown == null) {
                return;
            }
            if (this.body.failure != null || thrown instanceof VirtualMachineError) {
                // The code's failure on its way out, as this wrapper passed it on; or the JVM in trouble.
                throw TaskWrappers.<RuntimeException>sneaky(thrown);
            }
            this.layer.failed("threw after the " + this.what + " returned; its outcome stands", thrown);
        }
    }
}
