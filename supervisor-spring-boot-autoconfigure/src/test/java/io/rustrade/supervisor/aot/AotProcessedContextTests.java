package io.rustrade.supervisor.aot;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.Supervisor;
import io.rustrade.supervisor.autoconfigure.SupervisorAutoConfiguration;
import io.rustrade.supervisor.autoconfigure.SupervisorClusterAutoConfiguration;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.integration.support.locks.DefaultLockRegistry;
import org.springframework.integration.support.locks.LockRegistry;
import org.springframework.javapoet.ClassName;

/**
 * An application processed ahead of time, as a native image build does, and then started from the code
 * that processing generated: its services, a group, a singleton and {@code fatal-exceptions} are
 * supervised as on the JVM, and the build registered what the starter loads by name.
 *
 * <p>Generated code reaches the starter's package-private beans from their own packages: it is loaded, as
 * an application's is, by the class loader of the classes it belongs to.
 */
@CompileWithForkedClassLoader
class AotProcessedContextTests {

    private static final Map<String, Object> PROPERTIES = Map.of(
            "rustrade.supervisor.backoff.base-delay", "10ms",
            "rustrade.supervisor.fatal-exceptions", "java.nio.file.AccessDeniedException",
            "rustrade.supervisor.groups.trading.strategy", "rest-for-one",
            "rustrade.supervisor.groups.trading.members", "feed,pricing",
            "rustrade.supervisor.services.gateway.singleton", "true",
            "rustrade.supervisor.cluster.heartbeat", "50ms");

    @Test
    void anAotProcessedApplicationStartsAndSupervisesItsServicesGroupsSingletonsAndFatalExceptions() {
        AnnotationConfigApplicationContext build = new AnnotationConfigApplicationContext();
        build.setEnvironment(environment());
        build.register(Application.class);
        TestGenerationContext generation = new TestGenerationContext();
        ClassName initializer = new ApplicationContextAotGenerator().processAheadOfTime(build, generation);
        generation.writeGeneratedContent();

        assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of("java.nio.file.AccessDeniedException")))
                .as("the fatal exception is kept for Class.forName")
                .accepts(generation.getRuntimeHints());

        TestCompiler.forSystem().with(generation).compile(compiled -> {
            GenericApplicationContext context = new GenericApplicationContext();
            context.setEnvironment(environment());
            @SuppressWarnings("unchecked")
            ApplicationContextInitializer<GenericApplicationContext> generated =
                    compiled.getInstance(ApplicationContextInitializer.class, initializer.reflectionName());
            generated.initialize(context);
            context.refresh();
            try {
                supervises(context.getBean(Supervisor.class));
            } finally {
                context.close();
            }
        });
    }

    private static void supervises(Supervisor supervisor) {
        assertThat(supervisor.services())
                .extracting(ServiceSnapshot::name)
                .containsExactly("feed", "gateway", "pricing");
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> supervisor.services().stream().allMatch(s -> s.state() == ServiceState.RUNNING));
        assertThat(supervisor.service("pricing").orElseThrow().group()).isEqualTo("trading");
        assertThat(supervisor.service("gateway").orElseThrow().singleton().leader())
                .isTrue();

        supervisor.reportFailure("feed", new IOException("connection reset"));
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> supervisor.service("feed").orElseThrow().restarts() == 1
                        && supervisor.service("feed").orElseThrow().state() == ServiceState.RUNNING);

        supervisor.reportFailure("pricing", new java.nio.file.AccessDeniedException("/keys"));
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> supervisor.service("pricing").orElseThrow().state() == ServiceState.FAILED);
    }

    private static StandardEnvironment environment() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", PROPERTIES));
        return environment;
    }

    /** The application: two services in a group, and a singleton on an in-memory lock registry. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({SupervisorAutoConfiguration.class, SupervisorClusterAutoConfiguration.class})
    public static class Application {

        @Bean
        public Service feed() {
            return new Service();
        }

        @Bean
        public Service pricing() {
            return new Service();
        }

        @Bean
        public Service gateway() {
            return new Service();
        }

        @Bean
        public LockRegistry<?> lockRegistry() {
            return new DefaultLockRegistry();
        }
    }

    /** A lifecycle bean that runs until stopped. */
    public static class Service implements SmartLifecycle {

        private volatile boolean running;

        @Override
        public void start() {
            this.running = true;
        }

        @Override
        public void stop() {
            this.running = false;
        }

        @Override
        public boolean isRunning() {
            return this.running;
        }
    }
}
