package io.rustrade.supervisor.core;

/**
 * What ties one service to others of its group or of the bean graph now; control thread only. Kept apart
 * from the record, and created only when a service is first tied: most services never are, and cost one
 * null reference.
 *
 * <p>Rules (the orchestration is {@link Groups}'; these are the ties each service keeps):
 *
 * <ul>
 *   <li>A service waits for at most one other ({@link #waitingFor}), never for one that waits itself
 *       ({@link Groups#changeWait}).
 *   <li><b>Dependents stop before what they depend on</b>: a service taken down after others stops only once
 *       the last of them has stopped ({@link #stopAfter}); that one releases it when it leaves {@code
 *       STOPPING} ({@link #releases}). The two ends are always set together ({@link #holdStop}).
 * </ul>
 */
final class GroupTies {

    /** While WAITING (or stopping to wait): the service it waits for. */
    private ServiceRecord waitingFor;

    /** Its stop begins once this one's is done. */
    private ServiceRecord stopAfter;

    /** The service whose stop begins once this one's is done. */
    private ServiceRecord releases;

    ServiceRecord waitingFor() {
        return this.waitingFor;
    }

    ServiceRecord stopAfter() {
        return this.stopAfter;
    }

    ServiceRecord releases() {
        return this.releases;
    }

    void waitFor(ServiceRecord waited) {
        this.waitingFor = waited;
    }

    void stopAfter(ServiceRecord other) {
        this.stopAfter = other;
    }

    void releases(ServiceRecord other) {
        this.releases = other;
    }
}
