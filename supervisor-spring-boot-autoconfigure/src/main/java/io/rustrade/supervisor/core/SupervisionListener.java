package io.rustrade.supervisor.core;

/**
 * Receives every {@link SupervisionEvent}, in order, on the supervisor's event thread (never on the
 * control thread, so a slow listener cannot delay supervision). A listener that throws is logged and
 * ignored.
 */
@FunctionalInterface
public interface SupervisionListener {

    void onEvent(SupervisionEvent event);
}
