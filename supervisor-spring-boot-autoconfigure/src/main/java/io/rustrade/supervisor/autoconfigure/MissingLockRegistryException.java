package io.rustrade.supervisor.autoconfigure;

import java.util.Set;

/**
 * Cluster singletons are configured, but the application gives them no election to take part in: Spring
 * Integration is not on the class path, or no single {@code LockRegistry} bean exists. Start-up fails
 * before any service starts, with a report saying what to add ({@link MissingLockRegistryFailureAnalyzer}).
 */
public class MissingLockRegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What is missing. */
    public enum Missing {
        /** {@code spring-integration-core} is not on the class path. */
        SPRING_INTEGRATION,
        /** No {@code LockRegistry} bean exists. */
        LOCK_REGISTRY,
        /** Several exist and none is primary. */
        UNIQUE_LOCK_REGISTRY
    }

    private final Set<String> singletons;

    private final Missing missing;

    public MissingLockRegistryException(Set<String> singletons, Missing missing) {
        super("Services " + singletons + " are cluster singletons, which need "
                + switch (missing) {
                    case SPRING_INTEGRATION -> "Spring Integration (spring-integration-core) on the class path";
                    case LOCK_REGISTRY -> "a LockRegistry bean";
                    case UNIQUE_LOCK_REGISTRY -> "a single LockRegistry bean, or one marked @Primary";
                });
        this.singletons = Set.copyOf(singletons);
        this.missing = missing;
    }

    /** The services configured with {@code singleton: true}. */
    public Set<String> singletons() {
        return this.singletons;
    }

    public Missing missing() {
        return this.missing;
    }
}
