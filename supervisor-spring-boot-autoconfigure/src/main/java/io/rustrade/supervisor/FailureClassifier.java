package io.rustrade.supervisor;

/**
 * Decides whether a service's failure is fatal — never retried: the service goes to {@code FAILED} — as
 * {@code fatal-exceptions} does by class, but in code, so that it needs no class loaded by name (native
 * images) and can look at more than the class: a message, an error code, the service.
 *
 * <p>Rules:
 *
 * <ul>
 *   <li>It is asked about failures that the service's own code threw or reported: a {@code start()} or an
 *       {@code isRunning()} that threw, a run loop that threw, {@link Supervisor#reportFailure}. Failures the
 *       supervisor itself declares (a timeout, a stop seen by the watchdog) are not classified. A {@link
 *       VirtualMachineError} is fatal without asking.
 *   <li>A failure is fatal when its cause chain holds a class of {@code fatal-exceptions}, or when any
 *       classifier says so; classifiers are asked in order, and the first that says fatal is named in the
 *       service's history ({@code gave-up}: {@code fatal by failure classifier 'name'}).
 *   <li>It is asked on the thread that saw the failure — the call's, the run loop's, the reporter's — never
 *       on the supervisor's control thread, and inside the call's own time bound: a classifier that hangs
 *       holds up only that call, which is abandoned at its timeout like a hung {@code start()}.
 *   <li>One that throws counts as "not fatal", with a warning: a broken classifier never stops a restart.
 * </ul>
 *
 * <p>In a Spring application, every bean of this type is applied to every service, in the beans' order;
 * one that decides for some services only looks at {@code service}.
 */
@FunctionalInterface
public interface FailureClassifier {

    /**
     * @param service the name of the service that failed
     * @param failure what its code threw or reported
     * @return whether the failure is fatal
     */
    boolean isFatal(String service, Throwable failure);
}
