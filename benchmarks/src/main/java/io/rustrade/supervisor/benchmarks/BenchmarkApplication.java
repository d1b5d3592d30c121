package io.rustrade.supervisor.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The application of the scale harness: Spring Boot with the starter (and, for the endpoint figure, the
 * web server), plus {@code n} {@link Worker} beans registered by an initializer as {@code worker0} ...
 * {@code worker<n-1>}.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class BenchmarkApplication {

    /** A started application with its workers and how long {@code run} took. */
    record Started(ConfigurableApplicationContext context, Worker[] workers, long startNanos) {}

    static Started start(int n, WebApplicationType web, Map<String, Object> properties) {
        Worker[] workers = new Worker[n];
        SpringApplication application = new SpringApplication(BenchmarkApplication.class);
        application.setWebApplicationType(web);
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("spring.main.banner-mode", "off");
        defaults.put("logging.level.root", "warn");
        // The supervisor's own log lines at their default level: they are part of what a storm costs.
        defaults.put("logging.level.io.rustrade.supervisor", "info");
        defaults.putAll(properties);
        application.setDefaultProperties(defaults);
        application.addInitializers(context -> {
            GenericApplicationContext registry = (GenericApplicationContext) context;
            for (int i = 0; i < n; i++) {
                Worker worker = new Worker(i);
                workers[i] = worker;
                registry.registerBean(Worker.name(i), Worker.class, () -> worker);
            }
        });
        long begin = System.nanoTime();
        ConfigurableApplicationContext context = application.run();
        long startNanos = System.nanoTime() - begin;
        return new Started(context, workers, startNanos);
    }
}
