package io.rustrade.supervisor.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

/** The failure-analysis report of a bad {@code rustrade.supervisor.*} value. */
@ExtendWith(OutputCaptureExtension.class)
class InvalidSupervisorPropertyFailureAnalyzerTests {

    private final ApplicationContextRunner contextRunner =
            new ApplicationContextRunner().withUserConfiguration(ResolverConfiguration.class);

    @Test
    void descriptionNamesThePropertyAndTheValueAndActionSaysWhatIsAllowed() {
        FailureAnalysis analysis = new InvalidSupervisorPropertyFailureAnalyzer(environment(Map.of()))
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
        FailureAnalysis analysis = new InvalidSupervisorPropertyFailureAnalyzer(environment(Map.of()))
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
    void valueFromAYamlFileIsReportedWithTheFileLineAndColumn() {
        FailureAnalysis analysis =
                startupFailure(environment(Map.of()), "--spring.config.location=classpath:bad-config/base-delay.yml");

        assertThat(analysis.getDescription())
                .isEqualTo("The supervisor's configuration is invalid. Property"
                        + " 'rustrade.supervisor.backoff.base-delay' was -1s (origin: class path resource"
                        + " [bad-config/base-delay.yml] - 4:19), but it must be greater than 0.");
        assertThat(analysis.getAction())
                .isEqualTo("Update 'rustrade.supervisor.backoff.base-delay' in the application's configuration;"
                        + " it must be greater than 0.");
    }

    @Test
    void valueFromAnEnvironmentVariableIsReportedWithTheVariable() {
        FailureAnalysis analysis = startupFailure(environment(Map.of("RUSTRADE_SUPERVISOR_BACKOFF_BASEDELAY", "-1s")));

        assertThat(analysis.getDescription())
                .isEqualTo("The supervisor's configuration is invalid. Property"
                        + " 'rustrade.supervisor.backoff.base-delay' was -1s (origin: System Environment Property"
                        + " \"RUSTRADE_SUPERVISOR_BACKOFF_BASEDELAY\"), but it must be greater than 0.");
    }

    @Test
    void valueFromASystemPropertyIsReportedWithThePropertySource() {
        System.setProperty("rustrade.supervisor.stop-timeout", "0s");
        FailureAnalysis analysis;
        try {
            analysis = startupFailure(environment(Map.of()));
        } finally {
            System.clearProperty("rustrade.supervisor.stop-timeout");
        }

        assertThat(analysis.getDescription())
                .isEqualTo("The supervisor's configuration is invalid. Property 'rustrade.supervisor.stop-timeout'"
                        + " was 0s (origin: \"rustrade.supervisor.stop-timeout\" from property source"
                        + " \"systemProperties\"), but it must be at least 1ms.");
    }

    @Test
    void inheritedValueIsReportedWithTheOriginOfTheTopLevelValueThatWasUsed() {
        FailureAnalysis analysis = startupFailure(
                environment(Map.of()), "--spring.config.location=classpath:bad-config/inherited-max-delay.yml");

        assertThat(analysis.getDescription())
                .isEqualTo("The supervisor's configuration is invalid. Property"
                        + " 'rustrade.supervisor.services.feed.backoff.max-delay' was 1m (inherited from"
                        + " 'rustrade.supervisor.backoff.max-delay', origin: class path resource"
                        + " [bad-config/inherited-max-delay.yml] - 4:18), but it must be at least"
                        + " 'rustrade.supervisor.services.feed.backoff.base-delay' (2m).");
    }

    @Test
    void inheritedDefaultIsReportedWithoutAnOrigin() {
        FailureAnalysis analysis =
                startupFailure(environment(Map.of()), "--rustrade.supervisor.services.feed.backoff.base-delay=2m");

        assertThat(analysis.getDescription())
                .isEqualTo("The supervisor's configuration is invalid. Property"
                        + " 'rustrade.supervisor.services.feed.backoff.max-delay' was 1m (inherited from"
                        + " 'rustrade.supervisor.backoff.max-delay'), but it must be at least"
                        + " 'rustrade.supervisor.services.feed.backoff.base-delay' (2m).");
    }

    @Test
    void valueOfAServiceIsFoundUnderTheServiceNameAsWritten() {
        FailureAnalysis analysis =
                startupFailure(environment(Map.of()), "--spring.config.location=classpath:bad-config/service-name.yml");

        assertThat(analysis.getDescription())
                .isEqualTo("The supervisor's configuration is invalid. Property"
                        + " 'rustrade.supervisor.services.marketDataFeed.stop-timeout' was 0s (origin: class path"
                        + " resource [bad-config/service-name.yml] - 5:23), but it must be at least 1ms.");
    }

    @Test
    void valueOfAServiceWhoseNameHasADotIsFoundUnderTheBracketedName() {
        FailureAnalysis analysis =
                startupFailure(environment(Map.of()), "--rustrade.supervisor.services[feed.eu].start-timeout=0");

        assertThat(analysis.getDescription())
                .isEqualTo("The supervisor's configuration is invalid. Property"
                        + " 'rustrade.supervisor.services[feed.eu].start-timeout' was 0s (origin:"
                        + " \"rustrade.supervisor.services[feed.eu].start-timeout\" from property source"
                        + " \"commandLineArgs\"), but it must be at least 1ms.");
    }

    @Test
    void listElementIsReportedWithTheOriginOfTheElement() {
        FailureAnalysis analysis = startupFailure(
                environment(Map.of()), "--spring.config.location=classpath:bad-config/fatal-exceptions.yml");

        assertThat(analysis.getDescription())
                .isEqualTo("The supervisor's configuration is invalid. Property"
                        + " 'rustrade.supervisor.fatal-exceptions[1]' was com.example.NoSuchException (origin: class"
                        + " path resource [bad-config/fatal-exceptions.yml] - 5:9), but it must name a class on the"
                        + " application's class path.");
    }

    @Test
    void listElementOfACommaSeparatedValueIsReportedWithTheOriginOfTheList() {
        FailureAnalysis analysis = startupFailure(
                environment(Map.of()),
                "--rustrade.supervisor.fatal-exceptions=java.io.IOException,com.example.NoSuchException");

        assertThat(analysis.getDescription())
                .isEqualTo("The supervisor's configuration is invalid. Property"
                        + " 'rustrade.supervisor.fatal-exceptions[1]' was com.example.NoSuchException (origin:"
                        + " \"rustrade.supervisor.fatal-exceptions\" from property source \"commandLineArgs\"), but"
                        + " it must name a class on the application's class path.");
    }

    @Test
    void groupMemberNamingNoServiceIsReportedWithTheOriginOfTheElement() {
        FailureAnalysis analysis =
                startupFailure(environment(Map.of()), "--spring.config.location=classpath:bad-config/group-member.yml");

        assertThat(analysis.getDescription())
                .isEqualTo("The supervisor's configuration is invalid. Property"
                        + " 'rustrade.supervisor.groups.trading.members[0]' was marketDataFeed (origin: class path"
                        + " resource [bad-config/group-member.yml] - 7:13), but it must name a supervised"
                        + " SmartLifecycle or SupervisedService bean.");
        assertThat(analysis.getAction())
                .isEqualTo("Update 'rustrade.supervisor.groups.trading.members[0]' in the application's"
                        + " configuration; it must name a supervised SmartLifecycle or SupervisedService bean.");
    }

    @Test
    void unknownGroupStrategyIsReportedWithThePropertyTheValueAndTheValidValues() {
        this.contextRunner
                .withPropertyValues("rustrade.supervisor.groups.trading.strategy=one-for-some")
                .run(context -> {
                    FailureAnalysis analysis = analyze(context.getStartupFailure(), environment(Map.of()));
                    assertThat(analysis.getDescription())
                            .contains("Property: rustrade.supervisor.groups.trading.strategy")
                            .contains("Value: \"one-for-some\"");
                    assertThat(analysis.getAction()).contains("ONE_FOR_ALL", "REST_FOR_ONE");
                });
    }

    @Test
    void withoutAnEnvironmentTheValueIsReportedWithoutAnOrigin() {
        FailureAnalysis analysis = new InvalidSupervisorPropertyFailureAnalyzer(null)
                .analyze(new InvalidSupervisorPropertyException(
                        "rustrade.supervisor.backoff.base-delay", "-1s", "must be greater than 0"));

        assertThat(analysis.getDescription())
                .isEqualTo("The supervisor's configuration is invalid. Property"
                        + " 'rustrade.supervisor.backoff.base-delay' was -1s, but it must be greater than 0.");
    }

    @Test
    void reportPrintedWhenTheApplicationFailsToStartNamesTheOrigin(CapturedOutput output) {
        startupFailure(environment(Map.of()), "--spring.config.location=classpath:bad-config/base-delay.yml");

        assertThat(output)
                .contains("APPLICATION FAILED TO START")
                .contains("The supervisor's configuration is invalid. Property"
                        + " 'rustrade.supervisor.backoff.base-delay' was -1s (origin: class path resource"
                        + " [bad-config/base-delay.yml] - 4:19), but it must be greater than 0.")
                .contains("Update 'rustrade.supervisor.backoff.base-delay' in the application's configuration;"
                        + " it must be greater than 0.");
    }

    @Test
    void analyzerIsRegisteredInSpringFactories() {
        assertThat(loadFailureAnalyzers(environment(Map.of())))
                .hasAtLeastOneElementOfType(InvalidSupervisorPropertyFailureAnalyzer.class);
    }

    @Test
    void startupFailureOfABadValueIsExplainedByTheFailureAnalysis() {
        this.contextRunner
                .withPropertyValues("rustrade.supervisor.services.feed.stop-timeout=-5s")
                .run(context -> {
                    FailureAnalysis analysis = analyze(context.getStartupFailure(), environment(Map.of()));
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
                    FailureAnalysis analysis = analyze(context.getStartupFailure(), environment(Map.of()));
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
                    FailureAnalysis analysis = analyze(context.getStartupFailure(), environment(Map.of()));
                    assertThat(analysis.getDescription())
                            .contains("Property: rustrade.supervisor.services.feed.restart")
                            .contains("Value: \"sometimes\"");
                    assertThat(analysis.getAction()).contains("ALWAYS", "NEVER", "ON_FAILURE");
                });
    }

    /**
     * An application's environment whose environment variables are the given ones instead of the
     * process's: a test cannot set the process's, and the machine's own must not leak into a report.
     */
    private static ConfigurableEnvironment environment(Map<String, Object> variables) {
        return new StandardEnvironment() {
            @Override
            public Map<String, Object> getSystemEnvironment() {
                return variables;
            }
        };
    }

    /**
     * Runs an application with the auto-configuration, which fails to start on a bad value, and returns
     * the analysis Spring Boot reports for the failure, made in the application's environment.
     */
    private static FailureAnalysis startupFailure(ConfigurableEnvironment environment, String... args) {
        SpringApplication application = new SpringApplication(SupervisorAutoConfiguration.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setBannerMode(Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        application.setRegisterShutdownHook(false);
        application.setEnvironment(environment);
        return analyze(catchThrowable(() -> application.run(args)), environment);
    }

    /** The analysis Spring Boot reports for a startup failure: that of the first analyzer that has one. */
    private static FailureAnalysis analyze(@Nullable Throwable failure, Environment environment) {
        assertThat(failure).isNotNull();
        return loadFailureAnalyzers(environment).stream()
                .map(analyzer -> analyzer.analyze(failure))
                .filter(Objects::nonNull)
                .findFirst()
                .orElseThrow(() -> new AssertionError("No failure analysis for " + failure));
    }

    /** The failure analyzers, loaded the way Spring Boot loads them when the application fails to start. */
    private static List<FailureAnalyzer> loadFailureAnalyzers(Environment environment) {
        ArgumentResolver arguments = ArgumentResolver.of(BeanFactory.class, new DefaultListableBeanFactory())
                .and(Environment.class, environment);
        return SpringFactoriesLoader.forDefaultResourceLocation()
                .load(
                        FailureAnalyzer.class,
                        arguments,
                        FailureHandler.logging(LogFactory.getLog(InvalidSupervisorPropertyFailureAnalyzerTests.class)));
    }
}
