package io.rustrade.supervisor.autoconfigure;

import io.rustrade.supervisor.core.SupervisorEngine;
import org.slf4j.MDC;

/**
 * Puts the name of the service in the SLF4J MDC, as {@value #KEY}, while the supervisor runs its code (a
 * call into a lifecycle bean, a run of a run loop): what that code logs says which service it belongs to.
 *
 * <p>The key is set right before the code and set back to what it was right after — removed when it had no
 * value — also when the code throws, and when its call was abandoned, once the code returns: the call threads
 * are pooled, and a thread never keeps the key of a service it no longer runs code of. Only the key is
 * touched; the rest of the MDC is left as it is. Created only when SLF4J is on the class path.
 */
final class ServiceMdc implements SupervisorEngine.TaskWrapper {

    /** The MDC key that holds the name of the service whose code runs. */
    static final String KEY = "service";

    @Override
    public Runnable wrap(String serviceName, Runnable task) {
        return () -> {
            String previous = MDC.get(KEY);
            MDC.put(KEY, serviceName);
            try {
                task.run();
            } finally {
                if (previous != null) {
                    MDC.put(KEY, previous);
                } else {
                    MDC.remove(KEY);
                }
            }
        };
    }

    @Override
    public String toString() {
        return "MDC key '" + KEY + "'";
    }
}
