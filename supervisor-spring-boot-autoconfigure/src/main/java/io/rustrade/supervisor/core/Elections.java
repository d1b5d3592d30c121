package io.rustrade.supervisor.core;

import java.time.Duration;

/**
 * The cluster singletons' elections, as the supervisor sees them: it hears of leadership through {@link
 * ContainerSupervisor#leadershipGranted} and {@link ContainerSupervisor#leadershipRevoked}, and asks for
 * leadership to be given up through this interface. Called on the control thread: an implementation hands
 * the work to its own threads and returns at once.
 */
public interface Elections {

    /** Elections that never run: a singleton is never granted leadership and stays {@code STANDBY}. */
    Elections NONE = (service, lock, outFor) -> {};

    /**
     * Gives up the leadership of {@code lock} now, and keeps this instance out of its election for at least
     * {@code outFor} (an implementation may keep it out longer, so that another instance gets there first),
     * then lets it be a candidate again. Called once the service has stopped here, so that no other instance
     * starts it while it still runs here.
     *
     * @param service the singleton service
     * @param lock the lock its election holds
     * @param outFor the shortest time out of the election; zero for "long enough for another to take it"
     */
    void stepDown(String service, String lock, Duration outFor);
}
