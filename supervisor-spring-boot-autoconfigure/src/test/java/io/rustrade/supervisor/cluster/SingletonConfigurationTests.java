package io.rustrade.supervisor.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.autoconfigure.InvalidSupervisorPropertyException;
import io.rustrade.supervisor.autoconfigure.MissingLockRegistryException;
import io.rustrade.supervisor.autoconfigure.SupervisorAutoConfiguration;
import io.rustrade.supervisor.autoconfigure.SupervisorClusterAutoConfiguration;
import java.lang.reflect.Constructor;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.UrlResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * A singleton the application cannot elect, and bad cluster settings, stop start-up before any service
 * starts, with a report that says what to add or change (SPEC §15).
 */
class SingletonConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(SupervisorAutoConfiguration.class, SupervisorClusterAutoConfiguration.class))
            .withBean(
                    "orderGateway",
                    ClusterTestApplication.Gateway.class,
                    () -> new ClusterTestApplication.Gateway("a", false));

    private static <T extends Throwable> T failure(AssertableApplicationContext context, Class<T> type) {
        assertThat(context).hasFailed();
        Throwable failure = context.getStartupFailure();
        while (failure != null && !type.isInstance(failure)) {
            failure = failure.getCause();
        }
        assertThat(failure).as("a " + type.getSimpleName()).isNotNull();
        return type.cast(failure);
    }

    /** The analysis of the analyzer registered in spring.factories, as Spring Boot finds and runs it. */
    private static FailureAnalysis analyze(Throwable failure) throws Exception {
        String name = "io.rustrade.supervisor.autoconfigure.MissingLockRegistryFailureAnalyzer";
        List<String> registered = new ArrayList<>();
        Enumeration<URL> files =
                SingletonConfigurationTests.class.getClassLoader().getResources("META-INF/spring.factories");
        while (files.hasMoreElements()) {
            Properties factories = PropertiesLoaderUtils.loadProperties(new UrlResource(files.nextElement()));
            registered.add(factories.getProperty(FailureAnalyzer.class.getName(), ""));
        }
        assertThat(registered).anySatisfy(analyzers -> assertThat(analyzers).contains(name));
        Constructor<?> constructor = Class.forName(name).getDeclaredConstructor();
        constructor.setAccessible(true);
        FailureAnalysis analysis = ((FailureAnalyzer) constructor.newInstance()).analyze(failure);
        assertThat(analysis).as("the analysis").isNotNull();
        return analysis;
    }

    @Test
    void aSingletonWithoutALockRegistryBeanStopsStartUpSayingWhichDependencyAndBeanToAdd() {
        this.runner
                .withPropertyValues("rustrade.supervisor.services.orderGateway.singleton=true")
                .run(context -> {
                    MissingLockRegistryException failure = failure(context, MissingLockRegistryException.class);
                    assertThat(failure.missing()).isEqualTo(MissingLockRegistryException.Missing.LOCK_REGISTRY);
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .isEqualTo(
                                    "Cluster singletons are configured ('rustrade.supervisor.services.orderGateway"
                                            + ".singleton'), but the application has no LockRegistry bean for their elections.");
                    assertThat(analysis.getAction())
                            .contains("'org.springframework.integration:spring-integration-jdbc'")
                            .contains("JdbcLockRegistry bean over a DefaultLockRepository")
                            .contains("INT_LOCK table from org/springframework/integration/jdbc/schema-<database>.sql");
                    assertThat(ClusterTestApplication.RUNNING_NOW).hasValue(0);
                });
    }

    @Test
    void aSingletonWithoutSpringIntegrationOnTheClassPathStopsStartUpSayingSo() {
        this.runner
                .withClassLoader(new FilteredClassLoader(LockRegistryLeaderInitiator.class))
                .withPropertyValues("rustrade.supervisor.services.orderGateway.singleton=true")
                .run(context -> {
                    MissingLockRegistryException failure = failure(context, MissingLockRegistryException.class);
                    assertThat(failure.missing()).isEqualTo(MissingLockRegistryException.Missing.SPRING_INTEGRATION);
                    assertThat(analyze(context.getStartupFailure()).getDescription())
                            .isEqualTo("Cluster singletons are configured ('rustrade.supervisor.services"
                                    + ".orderGateway.singleton'), but Spring Integration is not on the class"
                                    + " path: singletons are elected through its LockRegistryLeaderInitiator.");
                });
    }

    @Test
    void withoutSingletonsNoLockRegistryIsNeeded() {
        this.runner.run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void withoutSingletonsSpringIntegrationIsNotNeeded() {
        this.runner
                .withClassLoader(new FilteredClassLoader(LockRegistryLeaderInitiator.class))
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aDisabledSingletonNeedsNoLockRegistry() {
        this.runner
                .withPropertyValues(
                        "rustrade.supervisor.services.orderGateway.singleton=true",
                        "rustrade.supervisor.services.orderGateway.enabled=false")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void twoLockRegistriesWithoutAPrimaryOneAreReported() {
        this.runner
                .withBean("one", LockRegistry.class, () -> key -> new ReentrantLock())
                .withBean("two", LockRegistry.class, () -> key -> new ReentrantLock())
                .withPropertyValues("rustrade.supervisor.services.orderGateway.singleton=true")
                .run(context -> {
                    assertThat(failure(context, MissingLockRegistryException.class)
                                    .missing())
                            .isEqualTo(MissingLockRegistryException.Missing.UNIQUE_LOCK_REGISTRY);
                    assertThat(analyze(context.getStartupFailure()).getAction())
                            .isEqualTo("Mark the LockRegistry bean the singletons' elections should use with"
                                    + " @Primary.");
                });
    }

    @Test
    void failoverOnAServiceThatIsNoSingletonIsBadConfiguration() {
        this.runner
                .withPropertyValues("rustrade.supervisor.services.orderGateway.circuit-breaker.on-open=failover")
                .run(context -> assertThat(failure(context, InvalidSupervisorPropertyException.class))
                        .hasMessage("Property 'rustrade.supervisor.services.orderGateway.circuit-breaker.on-open'"
                                + " may be failover only for a singleton service (services.<name>.singleton:"
                                + " true) but was failover"));
    }

    @Test
    void failoverAtTheTopLevelIsBadConfigurationSinceItWouldApplyToEveryService() {
        this.runner
                .withPropertyValues("rustrade.supervisor.circuit-breaker.on-open=failover")
                .run(context -> assertThat(failure(context, InvalidSupervisorPropertyException.class))
                        .hasMessage("Property 'rustrade.supervisor.circuit-breaker.on-open' may be failover only"
                                + " for a singleton service (services.<name>.singleton: true) but was failover"));
    }

    @Test
    void aLockTimeToLiveOfLessThanThreeHeartbeatsIsBadConfiguration() {
        this.runner
                .withPropertyValues(
                        "rustrade.supervisor.cluster.heartbeat=1s", "rustrade.supervisor.cluster.lock-time-to-live=2s")
                .run(context -> assertThat(failure(context, InvalidSupervisorPropertyException.class))
                        .hasMessage("Property 'rustrade.supervisor.cluster.lock-time-to-live' must be at least three"
                                + " times 'rustrade.supervisor.cluster.heartbeat' (3s) but was 2s"));
    }

    @Test
    void aHeartbeatOfZeroIsBadConfiguration() {
        this.runner
                .withPropertyValues("rustrade.supervisor.cluster.heartbeat=0s")
                .run(context -> assertThat(failure(context, InvalidSupervisorPropertyException.class))
                        .hasMessage("Property 'rustrade.supervisor.cluster.heartbeat' must be greater than 0 but was"
                                + " 0s"));
    }
}
