package io.rustrade.supervisor.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Objects;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

/** The failure-analysis report of a bad {@code rustrade.supervisor.*} value. */
class InvalidSupervisorPropertyFailureAnalyzerTest {

    private final ApplicationContextRunner contextRunner =
            new ApplicationContextRunner().withUserConfiguration(ResolverConfiguration.class);

    @Test
    void descriptionNamesThePropertyAndTheValueAndActionSaysWhatIsAllowed() {
        FailureAnalysis analysis = new InvalidSupervisorPropertyFailureAnalyzer()
                .analyze(new InvalidSupervisorPropertyException(
                        "rustrade.supervisor.backoff.base-delay", "-1s", "must be greater than 0"));

        assertThat(analysis.getDescription())
                .isEqualTo("The supervisor's configuration is invalid. Property"
                        + " 'rustrade.supervisor.backoff.base-delay' was -1s, but it must be greater than 0.");
        assertThat(analysis.getAction())
                .isEqualTo("Update 'rustrade.supervisor.backoff.base-delay' in the application's configuration;"
                        + " it must be greater than 0.");
    }

    @Test
    void inheritedValueIsReportedWithItsSource() {
        FailureAnalysis analysis = new InvalidSupervisorPropertyFailureAnalyzer()
                .analyze(new InvalidSupervisorPropertyException(
                        "rustrade.supervisor.services.feed.backoff.max-delay",
                        "60s",
                        "must be at least 'rustrade.supervisor.services.feed.backoff.base-delay' (2m)",
                        "rustrade.supervisor.backoff.max-delay",
                        null));

        assertThat(analysis.getDescription())
                .isEqualTo("The supervisor's configuration is invalid. Property"
                        + " 'rustrade.supervisor.services.feed.backoff.max-delay' was 60s (inherited from"
                        + " 'rustrade.supervisor.backoff.max-delay'), but it must be at least"
                        + " 'rustrade.supervisor.services.feed.backoff.base-delay' (2m).");
        assertThat(analysis.getAction())
                .isEqualTo("Set 'rustrade.supervisor.services.feed.backoff.max-delay' in the application's"
                        + " configuration, or change the property it is compared with; it must be at least"
                        + " 'rustrade.supervisor.services.feed.backoff.base-delay' (2m).");
    }

    @Test
    void analyzerIsRegisteredInSpringFactories() {
        assertThat(loadFailureAnalyzers()).hasAtLeastOneElementOfType(InvalidSupervisorPropertyFailureAnalyzer.class);
    }

    @Test
    void startupFailureOfABadValueIsExplainedByTheFailureAnalysis() {
        this.contextRunner
                .withPropertyValues("rustrade.supervisor.services.feed.stop-timeout=-5s")
                .run(context -> {
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .isEqualTo("The supervisor's configuration is invalid. Property"
                                    + " 'rustrade.supervisor.services.feed.stop-timeout' was -5s, but it must be"
                                    + " at least 1ms.");
                    assertThat(analysis.getAction())
                            .isEqualTo("Update 'rustrade.supervisor.services.feed.stop-timeout' in the application's"
                                    + " configuration; it must be at least 1ms.");
                });
    }

    @Test
    void unknownEnumValueIsReportedWithThePropertyTheValueAndTheValidValues() {
        this.contextRunner
                .withPropertyValues("rustrade.supervisor.circuit-breaker.on-open=sometimes")
                .run(context -> {
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains("Property: rustrade.supervisor.circuit-breaker.on-open")
                            .contains("Value: \"sometimes\"");
                    assertThat(analysis.getAction()).contains("HALF_OPEN", "SHUTDOWN", "STOP");
                });
    }

    @Test
    void unknownEnumValueOfAServiceIsReportedWithThePropertyTheValueAndTheValidValues() {
        this.contextRunner
                .withPropertyValues("rustrade.supervisor.services.feed.restart=sometimes")
                .run(context -> {
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription())
                            .contains("Property: rustrade.supervisor.services.feed.restart")
                            .contains("Value: \"sometimes\"");
                    assertThat(analysis.getAction()).contains("ALWAYS", "NEVER", "ON_FAILURE");
                });
    }

    /** The analysis Spring Boot reports for a startup failure: that of the first analyzer that has one. */
    private static FailureAnalysis analyze(Throwable failure) {
        assertThat(failure).isNotNull();
        return loadFailureAnalyzers().stream()
                .map(analyzer -> analyzer.analyze(failure))
                .filter(Objects::nonNull)
                .findFirst()
                .orElseThrow(() -> new AssertionError("No failure analysis for " + failure));
    }

    /** The failure analyzers, loaded the way Spring Boot loads them when the application fails to start. */
    private static List<FailureAnalyzer> loadFailureAnalyzers() {
        ArgumentResolver arguments = ArgumentResolver.of(BeanFactory.class, new DefaultListableBeanFactory())
                .and(Environment.class, new StandardEnvironment());
        return SpringFactoriesLoader.forDefaultResourceLocation()
                .load(
                        FailureAnalyzer.class,
                        arguments,
                        FailureHandler.logging(LogFactory.getLog(InvalidSupervisorPropertyFailureAnalyzerTest.class)));
    }
}
