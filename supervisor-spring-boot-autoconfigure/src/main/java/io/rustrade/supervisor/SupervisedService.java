package io.rustrade.supervisor;

/**
 * A long-running service written as a run loop, run by the supervisor on a thread of its own.
 *
 * <p>Returning normally from {@link #run(Cancellation)} is <em>completion</em>; throwing is
 * <em>failure</em>, after which the supervisor restarts the service according to its policy (a {@link
 * VirtualMachineError} is not treated as a failure to retry: it ends supervision of the service and
 * propagates). When the service is asked to stop, the {@link Cancellation} is signalled and the thread
 * interrupted; whatever {@code run} then returns or throws is not a failure.
 *
 * <p>A bean of this type in a Spring application is supervised as the service named after the bean, and
 * starts and stops with the context in phase {@code 0}, or in its own phase if it implements {@code
 * org.springframework.context.Phased}. Its thread is named {@code rustrade-supervisor-<name>}, and is a
 * virtual thread when the application turns on Spring Boot's virtual threads ({@code
 * spring.threads.virtual.enabled=true} on Java 21 or later), else a platform thread.
 */
@FunctionalInterface
public interface SupervisedService {

    /**
     * Runs the service until it is cancelled, completes or fails.
     *
     * @param cancellation signalled when the supervisor asks the service to stop
     * @throws Exception any failure, after which the service is restarted according to its policy
     */
    void run(Cancellation cancellation) throws Exception;
}
