package io.rustrade.supervisor.autoconfigure;

import java.util.function.Supplier;
import org.springframework.boot.SpringBootVersion;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.SpringVersion;

/**
 * Stops an application that runs the starter on an older generation of Spring Boot (3.x, on Spring
 * Framework 6) before anything of the starter is loaded, with a report that says so ({@link
 * UnsupportedSpringBootFailureAnalyzer}) instead of a linkage error from deep inside the auto-configuration.
 *
 * <p>It is an {@link ApplicationContextInitializer} listed in {@code META-INF/spring.factories}, which every
 * generation of Spring Boot reads before it refreshes the context, and it uses only types that every
 * generation has. A version that cannot be read (classes not from a jar) is given the benefit of the doubt.
 */
final class SpringBootGenerationCheck
        implements ApplicationContextInitializer<ConfigurableApplicationContext>, Ordered {

    /** The oldest generation the starter runs on: Spring Boot 4 (Spring Framework 7). */
    static final int REQUIRED_BOOT_GENERATION = 4;

    static final int REQUIRED_FRAMEWORK_GENERATION = 7;

    private final Supplier<String> bootVersion;

    private final Supplier<String> frameworkVersion;

    SpringBootGenerationCheck() {
        this(SpringBootVersion::getVersion, SpringVersion::getVersion);
    }

    SpringBootGenerationCheck(Supplier<String> bootVersion, Supplier<String> frameworkVersion) {
        this.bootVersion = bootVersion;
        this.frameworkVersion = frameworkVersion;
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        String boot = this.bootVersion.get();
        String framework = this.frameworkVersion.get();
        if (isOlder(boot, REQUIRED_BOOT_GENERATION) || isOlder(framework, REQUIRED_FRAMEWORK_GENERATION)) {
            throw new UnsupportedSpringBootException(boot, framework);
        }
    }

    /** First, before any other initializer can touch what an older generation lacks. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    /** Whether {@code version}'s major number is below {@code generation}; false when it cannot be read. */
    static boolean isOlder(String version, int generation) {
        if (version == null) {
            return false;
        }
        int dot = version.indexOf('.');
        String major = (dot >= 0) ? version.substring(0, dot) : version;
        try {
            return Integer.parseInt(major) < generation;
        } catch (NumberFormatException ex) {
            return false;
        }
    }
}
