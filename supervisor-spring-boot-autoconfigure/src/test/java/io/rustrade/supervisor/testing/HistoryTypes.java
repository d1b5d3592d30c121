package io.rustrade.supervisor.testing;

import io.rustrade.supervisor.HistoryEntry;

/** History entries as operators read them: their type as the endpoint writes it. */
public final class HistoryTypes {

    private HistoryTypes() {}

    /** The entry's type as written in JSON: {@code restart-scheduled}. */
    public static String typeOf(HistoryEntry entry) {
        return entry.type().value();
    }
}
