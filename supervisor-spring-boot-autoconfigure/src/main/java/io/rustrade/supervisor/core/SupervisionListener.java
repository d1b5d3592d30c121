package io.rustrade.supervisor.core;

/**
 * Receives every {@link SupervisionEvent}, in order, on an event thread of the supervisor's (never on the
 * control thread, so a slow listener cannot delay supervision). A listener that throws is logged and
 * ignored. A listener that is far behind may get a failure's event without its exception (see {@link
 * SupervisionEvent.Failed}).
 */
@FunctionalInterface
public interface SupervisionListener {

    void onEvent(SupervisionEvent event);
}
