package io.rustrade.supervisor.actuate.operators;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rustrade.supervisor.actuate.autoconfigure.SupervisorMetricsAutoConfiguration;
import io.rustrade.supervisor.autoconfigure.SupervisorAutoConfiguration;
import io.rustrade.supervisor.autoconfigure.SupervisorClusterAutoConfiguration;
import io.rustrade.supervisor.core.ObservableSupervisor;
import io.rustrade.supervisor.testing.Feed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.integration.support.locks.DefaultLockRegistry;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * Every metric name in the shipped alert rules and Grafana dashboard is one a running application exposes
 * to Prometheus: read from the scrape of a context with a service and a cluster singleton, so a renamed
 * meter cannot leave the operators' files pointing at nothing.
 */
class OperatorDocsMeterNamesTests {

    private static final Path DOCS = Path.of("..", "docs");

    private static final Pattern METRIC = Pattern.compile("rustrade_supervisor_[a-z_]+");

    @Test
    void everyMetricTheAlertRulesAndTheDashboardUseIsExposed() throws IOException {
        Set<String> used = new TreeSet<>();
        used.addAll(metricsIn(DOCS.resolve("prometheus/rustrade-supervisor-alerts.yml")));
        used.addAll(metricsIn(DOCS.resolve("prometheus/rustrade-supervisor-alerts.test.yml")));
        used.addAll(metricsIn(DOCS.resolve("grafana/rustrade-supervisor.json")));
        assertThat(used).as("the files name the starter's metrics").contains("rustrade_supervisor_leader");

        Set<String> exposed = exposedMetrics();

        assertThat(exposed).as("the scrape").contains("rustrade_supervisor_state");
        assertThat(used)
                .allSatisfy(
                        name -> assertThat(exposed).as("exposed to Prometheus").contains(name));
    }

    private static Set<String> metricsIn(Path file) throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher matcher = METRIC.matcher(Files.readString(file));
        while (matcher.find()) {
            names.add(matcher.group());
        }
        return names;
    }

    /** The metric names of a scrape: each sample's name, as Prometheus stores it. */
    private static Set<String> exposedMetrics() {
        Set<String> names = new TreeSet<>();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        SupervisorAutoConfiguration.class,
                        SupervisorClusterAutoConfiguration.class,
                        LifecycleAutoConfiguration.class,
                        SupervisorMetricsAutoConfiguration.class,
                        MetricsAutoConfiguration.class,
                        PrometheusMetricsExportAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class))
                .withBean(LockRegistry.class, DefaultLockRegistry::new)
                .withBean("marketDataFeed", Feed.class, () -> new Feed("marketDataFeed"))
                .withBean("orderGateway", Feed.class, () -> new Feed("orderGateway"))
                .withPropertyValues("rustrade.supervisor.services.orderGateway.singleton=true")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    // A service's meters are registered when its Registered event is delivered, on the
                    // supervisor's own event thread: the context's start does not wait for that.
                    context.getBean(ObservableSupervisor.class).whenDelivered().get(5, TimeUnit.SECONDS);
                    String scrape =
                            context.getBean(PrometheusMeterRegistry.class).scrape();
                    for (String line : scrape.split("\n")) {
                        Matcher sample = METRIC.matcher(line);
                        if (!line.startsWith("#") && sample.lookingAt()) {
                            names.add(sample.group());
                        }
                    }
                });
        return names;
    }
}
