package io.rustrade.supervisor.cluster;

import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.Supervisor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Instances of {@link ClusterTestApplication} in this JVM, on one lock database, electing on a lock of their
 * own test (so that no lock left by an earlier test's instance matters); closed by {@link #close()}.
 */
final class ClusterInstances implements AutoCloseable {

    /** Generous for a takeover that takes a few heartbeats, tight against one that never comes. */
    static final Duration TAKEOVER = Duration.ofSeconds(5);

    private static final AtomicInteger TEST_NUMBER = new AtomicInteger();

    private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

    private final LockDatabase database;

    private final Duration heartbeat;

    final String lockPrefix;

    ClusterInstances(LockDatabase database, Duration heartbeat) {
        this.database = database;
        this.heartbeat = heartbeat;
        this.lockPrefix = "test-" + TEST_NUMBER.incrementAndGet() + ".";
        ClusterTestApplication.RUNNING_NOW.set(0);
        ClusterTestApplication.MOST_AT_ONCE.set(0);
        ClusterTestApplication.RISK_RUNNING_NOW.set(0);
        ClusterTestApplication.RISK_MOST_AT_ONCE.set(0);
    }

    /** Starts an instance whose singleton is {@code orderGateway}, with more properties. */
    ConfigurableApplicationContext start(String instance, String... properties) {
        return startOn(this.database.jdbcUrl(), instance, properties);
    }

    ConfigurableApplicationContext startOn(String jdbcUrl, String instance, String... properties) {
        List<String> all = new ArrayList<>(List.of(
                "spring.main.banner-mode=off",
                "test.jdbc-url=" + jdbcUrl,
                "test.instance=" + instance,
                "rustrade.supervisor.cluster.heartbeat=" + this.heartbeat.toMillis() + "ms",
                "rustrade.supervisor.cluster.lock-prefix=" + this.lockPrefix,
                "rustrade.supervisor.services.orderGateway.singleton=true"));
        all.addAll(List.of(properties));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ClusterTestApplication.class)
                .web(WebApplicationType.NONE)
                .properties(all.toArray(String[]::new))
                .run();
        this.instances.add(context);
        return context;
    }

    static ServiceSnapshot gateway(ConfigurableApplicationContext instance) {
        return service(instance, "orderGateway");
    }

    static ServiceSnapshot service(ConfigurableApplicationContext instance, String name) {
        return instance.getBean(Supervisor.class).service(name).orElseThrow();
    }

    static ServiceState state(ConfigurableApplicationContext instance) {
        return gateway(instance).state();
    }

    static void awaitState(ConfigurableApplicationContext instance, ServiceState state) {
        Awaitility.await().atMost(TAKEOVER).until(() -> state(instance) == state);
    }

    static ClusterTestApplication.FreezableLockRegistry store(ConfigurableApplicationContext instance) {
        return instance.getBean(ClusterTestApplication.FreezableLockRegistry.class);
    }

    /** Thaws every store (so that nothing hangs the close) and closes the instances still open. */
    @Override
    public void close() {
        this.instances.stream().filter(ConfigurableApplicationContext::isActive).forEach(instance -> {
            store(instance).thaw();
            instance.close();
        });
    }
}
