package io.rustrade.supervisor.autoconfigure;

/** The application runs the starter on a generation of Spring Boot older than it needs. */
final class UnsupportedSpringBootException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String bootVersion;

    private final String frameworkVersion;

    UnsupportedSpringBootException(String bootVersion, String frameworkVersion) {
        super("rustrade supervisor needs Spring Boot " + SpringBootGenerationCheck.REQUIRED_BOOT_GENERATION
                + " (Spring Framework " + SpringBootGenerationCheck.REQUIRED_FRAMEWORK_GENERATION
                + "); this application runs Spring Boot " + bootVersion + " on Spring Framework " + frameworkVersion);
        this.bootVersion = bootVersion;
        this.frameworkVersion = frameworkVersion;
    }

    String bootVersion() {
        return this.bootVersion;
    }

    String frameworkVersion() {
        return this.frameworkVersion;
    }
}
