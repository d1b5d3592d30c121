package io.rustrade.supervisor.autoconfigure;

import java.util.stream.Collectors;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says which dependency and which bean to add when cluster singletons have no lock registry to run on. */
class MissingLockRegistryFailureAnalyzer extends AbstractFailureAnalyzer<MissingLockRegistryException> {

    private static final String EXAMPLE =
            "For a database, add 'org.springframework.integration:spring-integration-jdbc'"
                    + " and define a JdbcLockRegistry bean over a DefaultLockRepository on the application's DataSource,"
                    + " with the INT_LOCK table from org/springframework/integration/jdbc/schema-<database>.sql;"
                    + " spring-integration-redis (RedisLockRegistry) and spring-integration-zookeeper"
                    + " (ZookeeperLockRegistry) work too.";

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MissingLockRegistryException cause) {
        String properties = cause.singletons().stream()
                .sorted()
                .map(name -> "'rustrade.supervisor.services." + name + ".singleton'")
                .collect(Collectors.joining(", "));
        String description = switch (cause.missing()) {
            case SPRING_INTEGRATION ->
                "Cluster singletons are configured (" + properties + "), but Spring"
                        + " Integration is not on the class path: singletons are elected through its"
                        + " LockRegistryLeaderInitiator.";
            case LOCK_REGISTRY ->
                "Cluster singletons are configured (" + properties + "), but the application"
                        + " has no LockRegistry bean for their elections.";
            case UNIQUE_LOCK_REGISTRY ->
                "Cluster singletons are configured (" + properties + "), but the"
                        + " application has several LockRegistry beans and none is marked @Primary.";
        };
        String action = switch (cause.missing()) {
            case SPRING_INTEGRATION, LOCK_REGISTRY ->
                "Add a LockRegistry bean shared by every instance of the" + " application. " + EXAMPLE
                        + " Or remove the singleton settings.";
            case UNIQUE_LOCK_REGISTRY ->
                "Mark the LockRegistry bean the singletons' elections should use" + " with @Primary.";
        };
        return new FailureAnalysis(description, action, cause);
    }
}
