package io.rustrade.supervisor.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Says which generation of Spring Boot the starter needs, when the application runs an older one. Uses only
 * types that every generation of Spring Boot has.
 */
class UnsupportedSpringBootFailureAnalyzer extends AbstractFailureAnalyzer<UnsupportedSpringBootException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnsupportedSpringBootException cause) {
        String description = "The rustrade supervisor starter needs Spring Boot "
                + SpringBootGenerationCheck.REQUIRED_BOOT_GENERATION + ".x (Spring Framework "
                + SpringBootGenerationCheck.REQUIRED_FRAMEWORK_GENERATION
                + ".x), but this application runs Spring Boot "
                + cause.bootVersion() + " on Spring Framework " + cause.frameworkVersion() + ".";
        String action = "Upgrade the application to Spring Boot " + SpringBootGenerationCheck.REQUIRED_BOOT_GENERATION
                + ".0 or later (its parent POM or BOM), or remove io.rustrade:supervisor-spring-boot-starter.";
        return new FailureAnalysis(description, action, cause);
    }
}
