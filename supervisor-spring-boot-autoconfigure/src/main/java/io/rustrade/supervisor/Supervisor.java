package io.rustrade.supervisor;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Keeps services running: restarts them with backoff when they fail, stops retrying when a circuit
 * opens, and lets operators look and act.
 *
 * <p>Every method is thread-safe and returns without waiting for user code: commands are applied in
 * order by the supervisor's control thread, and the state they lead to shows in the next {@link
 * #services() snapshot}. Methods taking a name throw {@link NoSuchServiceException} for a name no
 * service has.
 */
public interface Supervisor {

    /** Snapshots of every service, sorted by name. */
    List<ServiceSnapshot> services();

    /**
     * The snapshot of one service, or empty when no service has that name ({@code null} included): the
     * one method that answers an absent name with an empty result rather than {@link
     * NoSuchServiceException}, so that callers can ask whether a service exists.
     */
    Optional<ServiceSnapshot> service(String name);

    /**
     * Reports that a service has failed, for failures only its own code can see (a lost connection, a
     * stuck consumer). Concurrent reports about the same run count as one failure; a report about a
     * service that is not starting or running is ignored.
     */
    void reportFailure(String name, Throwable cause);

    /**
     * Stops the service if it runs, then starts it at once, skipping any backoff delay; counted as a
     * restart, not a failure. An open circuit is closed; the failure history is kept. The services tied
     * to it (its group, {@code restart-dependents}) are stopped first and started again after it. Does
     * nothing to a {@code WAITING} service, which starts once the service it waits for runs.
     */
    void restart(String name);

    /**
     * Stops the service, cancelling any pending restart; it stays {@code STOPPED} until started. The
     * services tied to it are stopped first and are {@code WAITING} until it runs again; a {@code WAITING}
     * service stopped stays down when the others come back.
     */
    void stop(String name);

    /**
     * Starts a {@code STOPPED}, {@code FAILED}, {@code CIRCUIT_OPEN} or {@code COMPLETED} service; does
     * nothing in any other state ({@code WAITING} included). A service that must run before it and does not
     * is waited for first.
     */
    void start(String name);

    /**
     * Clears the attempt count, the failure history and an open circuit, then starts the service if it is
     * not running and not {@code WAITING} (a waiting service keeps waiting).
     */
    void reset(String name);

    /**
     * Gives up this instance's leadership of a cluster singleton (planned maintenance): the service is
     * stopped here, and is {@code STANDBY}; then the lock is released and this instance stays out of the
     * election for at least two heartbeats, so that another instance takes it. The future answers true once
     * the request is applied; false, and nothing changes, for a service that is no singleton or that this
     * instance does not lead.
     *
     * @throws NoSuchServiceException when no service has that name
     */
    CompletableFuture<Boolean> yieldLeadership(String name);

    /**
     * Supervises a service registered at run time. Its snapshot is visible when this method returns; it
     * starts at once if the supervisor is running, else when it starts.
     *
     * <p>Its name must have 1 to 255 characters, each a letter, a digit or one of {@code - _ . $ #}, and
     * not be dots only ({@code .}, {@code ..}: URLs resolve them away), so that the actuator endpoint can address it (bean names are accepted as their container gave them).
     * When a service of that name has just been {@link #unregister unregistered} and its run has not ended
     * yet, this one's run starts only once that run has returned or been abandoned after its {@code
     * stop-timeout}: two runs under one name never overlap.
     *
     * <p>It returns at once unless 256 registrations and unregistrations already wait for the supervisor
     * to apply them: then it waits until half of them have been, so that a caller registering in a loop
     * cannot hold up the supervision of other services.
     *
     * @throws IllegalArgumentException when the name breaks that rule, or a service of that name is
     *     already supervised
     */
    void register(String name, SupervisedService service);

    /**
     * Stops a service registered with {@link #register} and forgets it; its name is free again when this
     * method returns, though a service registered under it again runs only once this one's run has ended.
     * Like {@link #register}, it waits while 256 registrations and unregistrations wait to be applied.
     *
     * @throws IllegalArgumentException when the service is a bean of the application, whose supervision
     *     is configured instead
     */
    void unregister(String name);
}
