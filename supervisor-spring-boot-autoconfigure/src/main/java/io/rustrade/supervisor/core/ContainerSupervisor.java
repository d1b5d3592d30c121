package io.rustrade.supervisor.core;

import io.rustrade.supervisor.SupervisedService;
import java.util.concurrent.CompletableFuture;

/**
 * The supervisor as an application container sees it: the container registers its beans, starts and
 * stops them through the supervisor, and switches supervision on and off with its own life.
 *
 * <p>Supervision is on between {@link #open()} and {@link #suspend()}: while it is off, no restart is
 * started, and pending ones are cancelled. Beans registered here are started and stopped only by their
 * container, through {@link #startService} and {@link #stopService}. Methods taking a name throw {@link
 * io.rustrade.supervisor.NoSuchServiceException} for a name no service has.
 */
public interface ContainerSupervisor {

    /**
     * Supervises a lifecycle bean of an application; its container starts and stops it through {@link
     * #startService} and {@link #stopService}.
     */
    void registerBean(String name, LifecycleService service, ServiceOptions options);

    /** Supervises a run-loop bean of an application, started and stopped by its container. */
    void registerBean(String name, SupervisedService service, ServiceOptions options);

    /**
     * Starts a service for its container. The future completes when the start attempt has resolved (the
     * service runs, or failed and is backing off), at most the service's {@code start-timeout} after its
     * {@code start()} began. A lifecycle bean's first start is submitted to the bean's calls by the calling
     * thread itself, and its future completes as soon as {@code start()} returns (or is abandoned): the
     * snapshot shows the outcome a moment later, and {@link #isActive} is true from the call on.
     */
    CompletableFuture<Void> startService(String name);

    /**
     * Stops a service for its container. The future completes when it has stopped, or when its {@code
     * stop()} was abandoned after {@code stop-timeout}.
     */
    CompletableFuture<Void> stopService(String name);

    /**
     * Whether the container should consider the service running: from its start until it is stopped,
     * including while it backs off or its circuit is open, so that the container still stops it.
     */
    boolean isActive(String name);

    /** The options a service is supervised with. */
    ServiceOptions options(String name);

    /**
     * Completes once everything posted to the supervisor before this call, from any thread, has been
     * applied and every snapshot it changed is published. Listeners may still be receiving the events it
     * caused.
     */
    CompletableFuture<Void> whenApplied();

    /**
     * Turns supervision on: restarts may be scheduled again, services registered at run time start, and
     * the watchdog polls lifecycle services. Idempotent.
     */
    void open();

    /**
     * Turns supervision off, as at application shutdown: pending restarts are cancelled, no new one is
     * started, and services registered at run time are stopped. The future completes when they have.
     */
    CompletableFuture<Void> suspend();

    /** Whether supervision is on. */
    boolean isSupervising();

    /**
     * Ties services together ({@code groups}, dependencies, {@code restart-dependents}); given once, before
     * the services start. Names of services not supervised are ignored. Until then, every service is
     * restarted alone.
     */
    void useTopology(ServiceTopology topology);

    /**
     * Where the supervisor hands back the leadership of cluster singletons ({@code yield}, {@code on-open:
     * failover}); {@link Elections#NONE} until set.
     */
    void useElections(Elections elections);

    /**
     * The election of a cluster singleton has made this instance its leader: a singleton that would run
     * starts. Ignored for a service that is no singleton, or already led here; remembered for a name no
     * service has yet.
     */
    void leadershipGranted(String name);

    /**
     * This instance no longer leads a cluster singleton: it is stopped here at once, not counted as a
     * failure, and is {@code STANDBY}. Ignored for a service that is no singleton, or not led here — but
     * the answer is given all the same.
     *
     * <p>The answer completes once nothing of the service runs here: no call into it is in flight, abandoned
     * or not, and it is not stopping; at once for a service that is down already, that is no singleton, or
     * that no service is named after, and when the supervisor has closed. An election that is about to
     * release the lock waits for it — at most the service's {@code stop-timeout} — so that no other instance
     * can start the service while it still runs here.
     *
     * @param reason why, as the event and the history tell it: {@code lost}, {@code renewal overdue}
     */
    CompletableFuture<Void> leadershipRevoked(String name, String reason);
}
