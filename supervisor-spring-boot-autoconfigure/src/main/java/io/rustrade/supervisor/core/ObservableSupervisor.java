package io.rustrade.supervisor.core;

import io.rustrade.supervisor.NoSuchServiceException;
import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.Supervisor;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Supervisor} that can also be watched, as meters, endpoints and tests watch it: its events reach
 * listeners, it counts what is active, abandoned or dropped, and it says when a command has taken effect.
 *
 * <p>Listeners receive every {@link SupervisionEvent}, in order, on an event thread of the supervisor's;
 * they never hold up supervision. The supervisor's internal listeners ({@link #addInternalListener}) have
 * a thread of their own: a listener added with {@link #addListener} that blocks holds up the other such
 * listeners, never the supervisor's log and meters.
 */
public interface ObservableSupervisor extends Supervisor {

    /**
     * The service's snapshot once the commands posted for it before this call (from the calling thread)
     * have been applied and the start or stop they began has resolved: the service runs, failed, or is
     * stopped. It completes at once when no start or stop is under way; otherwise when the user call
     * returns, at the latest when the service's {@code start-timeout} or {@code stop-timeout} abandons it.
     * For a caller that answers "the service after the command", such as the actuator endpoint, which
     * bounds its wait further. It is completed on a thread of the common pool, never on the supervisor's
     * own: code chained on it cannot delay supervision.
     *
     * @throws NoSuchServiceException when no service has that name
     */
    CompletableFuture<ServiceSnapshot> whenResolved(String name);

    /**
     * Why an operator's {@code start} or {@code restart} of the service would do nothing now, or empty when
     * it would act: a service that waits for another (or stops to wait for it) starts again only once that
     * one runs, in order. Answered by the control thread, which alone knows, once the messages posted before
     * this call have been applied; the reason reads {@code "WAITING for 'feed'; it starts again once 'feed'
     * runs"}. It is the same rule the commands follow: a command sent after a refusal is still ignored if
     * the service waits then.
     *
     * @throws NoSuchServiceException when no service has that name
     */
    CompletableFuture<Optional<String>> startRefusal(String name);

    /**
     * Completes once everything posted to the supervisor before this call has been applied and the events
     * it caused have been delivered to every listener (which register meters and publish application
     * events, for instance).
     */
    CompletableFuture<Void> whenDelivered();

    /**
     * How many services are {@code STARTING}, {@code RUNNING} or {@code BACKING_OFF}: counted from the
     * latest snapshots, without copying or sorting them as {@link #services()} does.
     */
    int activeServices();

    /**
     * Calls into lifecycle services that were abandoned after their timeout and have not returned yet: each
     * holds a thread of its own, in addition to the supervisor's usual ones.
     */
    int abandonedCalls();

    /** Events dropped because the listeners were too far behind, since the supervisor was built. */
    long droppedEvents();

    /** Adds a listener for every later event. */
    void addListener(SupervisionListener listener);

    /**
     * Adds one of the supervisor's own listeners for every later event: one that keeps books — the
     * supervisor's log, its meters — never blocks and calls no application code. They are delivered on a
     * thread of their own, apart from the listeners of {@link #addListener}, so that none of those can hold
     * them up; nothing protects them from one another. Application code adds its listeners with {@link
     * #addListener}.
     */
    void addInternalListener(SupervisionListener listener);

    /**
     * Removes a listener, added either way: it is not told of events that happen after this call. Events that happened
     * before it may still be on their way and are delivered. A listener added more than once is removed
     * once.
     *
     * @return whether the listener was there
     */
    boolean removeListener(SupervisionListener listener);

    /** The groups and dependencies in force ({@link ServiceTopology#none()} until the container gives them). */
    ServiceTopology topology();
}
