package io.rustrade.supervisor;

import java.util.Locale;

/** What a supervised service is, which decides how the supervisor starts, stops and watches it. */
public enum ServiceKind {

    /** A {@code SmartLifecycle} bean: started and stopped through its {@code start()} and {@code stop()}. */
    LIFECYCLE,

    /** A {@link SupervisedService}: its {@code run} loop gets a thread of its own and is cancelled to stop. */
    SERVICE;

    private final String value = name().toLowerCase(Locale.ROOT);

    /** As the endpoint writes it: {@code lifecycle}, {@code service}. */
    public String value() {
        return this.value;
    }
}
