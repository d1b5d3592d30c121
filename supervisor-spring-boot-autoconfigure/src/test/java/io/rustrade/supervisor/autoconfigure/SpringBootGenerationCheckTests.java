package io.rustrade.supervisor.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.io.support.SpringFactoriesLoader;

/** On an older generation of Spring Boot the starter stops the application with a report that says so. */
class SpringBootGenerationCheckTests {

    private static void check(String boot, String framework) {
        new SpringBootGenerationCheck(() -> boot, () -> framework).initialize(new GenericApplicationContext());
    }

    @Test
    void springBoot3IsRefusedBeforeAnythingOfTheStarterLoads() {
        assertThatExceptionOfType(UnsupportedSpringBootException.class)
                .isThrownBy(() -> check("3.5.7", "6.2.12"))
                .withMessage("rustrade supervisor needs Spring Boot 4 (Spring Framework 7); this application runs"
                        + " Spring Boot 3.5.7 on Spring Framework 6.2.12");
    }

    @Test
    void springFramework6IsRefusedEvenWhenSpringBootsVersionCannotBeRead() {
        assertThatExceptionOfType(UnsupportedSpringBootException.class).isThrownBy(() -> check(null, "6.2.12"));
    }

    @Test
    void springBoot4AndLaterAndUnreadableVersionsPass() {
        assertThatNoException().isThrownBy(() -> check("4.0.7", "7.0.8"));
        assertThatNoException().isThrownBy(() -> check("5.1.0-SNAPSHOT", "8.0.0"));
        assertThatNoException().isThrownBy(() -> check(null, null));
        assertThatNoException().isThrownBy(() -> check("main", "7.0.8"));
    }

    @Test
    void theRunningApplicationPassesTheCheck() {
        assertThatNoException()
                .isThrownBy(() -> new SpringBootGenerationCheck().initialize(new GenericApplicationContext()));
    }

    @Test
    void theReportNamesTheGenerationNeededAndWhatToChange() {
        FailureAnalysis analysis = new UnsupportedSpringBootFailureAnalyzer()
                .analyze(new IllegalStateException(new UnsupportedSpringBootException("3.5.7", "6.2.12")));

        assertThat(analysis.getDescription())
                .isEqualTo("The rustrade supervisor starter needs Spring Boot 4.x (Spring Framework 7.x), but this"
                        + " application runs Spring Boot 3.5.7 on Spring Framework 6.2.12.");
        assertThat(analysis.getAction())
                .isEqualTo("Upgrade the application to Spring Boot 4.0 or later (its parent POM or BOM), or remove"
                        + " io.rustrade:supervisor-spring-boot-starter.");
    }

    @Test
    void everyGenerationOfSpringBootFindsTheCheck() {
        assertThat(SpringFactoriesLoader.forDefaultResourceLocation().load(ApplicationContextInitializer.class))
                .anyMatch(SpringBootGenerationCheck.class::isInstance);
    }
}
