package io.rustrade.supervisor.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.autoconfigure.DependencyGraphTests.ConstructorInjection;
import io.rustrade.supervisor.testing.Feed;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

/**
 * Bad {@code groups.<name>} configuration stops the application before any service starts, with a message
 * naming the property, the value given and what is allowed (SPEC §14).
 */
class GroupConfigurationTests {

    private final List<String> journal = new CopyOnWriteArrayList<>();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(SupervisorAutoConfiguration.class, LifecycleAutoConfiguration.class))
            .withUserConfiguration(ConstructorInjection.class)
            .withBean("riskLimits", Feed.class, () -> new Feed("riskLimits", 0, this.journal));

    private static String failure(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        Throwable failure = context.getStartupFailure();
        while (failure != null && !(failure instanceof InvalidSupervisorPropertyException)) {
            failure = failure.getCause();
        }
        assertThat(failure).as("an invalid property").isNotNull();
        return failure.getMessage();
    }

    /** The message of the report, once it is checked that no service started: riskLimits is always there. */
    private String failureBeforeAnyStart(AssertableApplicationContext context) {
        String message = failure(context);
        assertThat(this.journal).as("no service started").isEmpty();
        return message;
    }

    @Test
    void aMemberNamingNoSupervisedServiceStopsStartUpBeforeAnyServiceStarts() {
        this.runner
                .withPropertyValues(
                        "rustrade.supervisor.groups.trading.strategy=rest-for-one",
                        "rustrade.supervisor.groups.trading.members=marketDataFeed,pricingEngin")
                .run(context -> {
                    assertThat(failureBeforeAnyStart(context))
                            .isEqualTo("Property 'rustrade.supervisor.groups.trading.members[1]' must name a"
                                    + " supervised SmartLifecycle or SupervisedService bean but was pricingEngin");
                    assertThat(this.journal).as("no service started").isEmpty();
                });
    }

    @Test
    void aMemberLeftOutOfSupervisionNamesNoSupervisedService() {
        this.runner
                .withPropertyValues(
                        "rustrade.supervisor.services.riskLimits.enabled=false",
                        "rustrade.supervisor.groups.risk.strategy=one-for-all",
                        "rustrade.supervisor.groups.risk.members=riskLimits")
                .run(context -> assertThat(failureBeforeAnyStart(context))
                        .isEqualTo("Property 'rustrade.supervisor.groups.risk.members[0]' must name a"
                                + " supervised SmartLifecycle or SupervisedService bean but was riskLimits"));
    }

    @Test
    void aServiceInTwoGroupsIsRejectedNamingWhereItWasListedFirst() {
        this.runner
                .withPropertyValues(
                        "rustrade.supervisor.groups.trading.strategy=rest-for-one",
                        "rustrade.supervisor.groups.trading.members=marketDataFeed,pricingEngine",
                        "rustrade.supervisor.groups.risk.strategy=one-for-all",
                        "rustrade.supervisor.groups.risk.members=riskLimits,pricingEngine")
                .run(context -> assertThat(failureBeforeAnyStart(context))
                        .isEqualTo("Property 'rustrade.supervisor.groups.risk.members[1]' must not name a service"
                                + " already listed in 'rustrade.supervisor.groups.trading.members[1]' but was"
                                + " pricingEngine"));
    }

    @Test
    void aServiceListedTwiceInOneGroupIsRejected() {
        this.runner
                .withPropertyValues(
                        "rustrade.supervisor.groups.trading.strategy=rest-for-one",
                        "rustrade.supervisor.groups.trading.members=marketDataFeed,pricingEngine,marketDataFeed")
                .run(context -> assertThat(failureBeforeAnyStart(context))
                        .isEqualTo("Property 'rustrade.supervisor.groups.trading.members[2]' must not name a"
                                + " service already listed in 'rustrade.supervisor.groups.trading.members[0]' but"
                                + " was marketDataFeed"));
    }

    @Test
    void aMissingStrategyIsRejected() {
        this.runner
                .withPropertyValues("rustrade.supervisor.groups.trading.members=marketDataFeed")
                .run(context -> assertThat(failureBeforeAnyStart(context))
                        .isEqualTo("Property 'rustrade.supervisor.groups.trading.strategy' must be one-for-all or"
                                + " rest-for-one but was not set"));
    }

    @Test
    void anUnknownStrategyIsReportedByBindingWithThePropertyAndTheValue() {
        this.runner
                .withPropertyValues(
                        "rustrade.supervisor.groups.trading.strategy=one-for-some",
                        "rustrade.supervisor.groups.trading.members=marketDataFeed")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("one-for-some");
                    Throwable bind = context.getStartupFailure();
                    while (!(bind instanceof BindException)) {
                        bind = bind.getCause();
                    }
                    assertThat(((BindException) bind).getProperty().getName().toString())
                            .isEqualTo("rustrade.supervisor.groups.trading.strategy");
                });
    }

    @Test
    void aGroupWithoutMembersIsRejected() {
        this.runner
                .withPropertyValues("rustrade.supervisor.groups.trading.strategy=one-for-all")
                .run(context -> assertThat(failureBeforeAnyStart(context))
                        .isEqualTo("Property 'rustrade.supervisor.groups.trading.members' must list at least one"
                                + " service but was not set"));
    }

    @Test
    void aGroupWithAnEmptyMemberListIsRejected() {
        this.runner
                .withPropertyValues(
                        "rustrade.supervisor.groups.trading.strategy=one-for-all",
                        "rustrade.supervisor.groups.trading.members=")
                .run(context -> assertThat(failureBeforeAnyStart(context))
                        .isEqualTo("Property 'rustrade.supervisor.groups.trading.members' must list at least one"
                                + " service but was empty"));
    }

    @Test
    void aMemberListedBeforeAMemberItDependsOnIsRejected() {
        this.runner
                .withPropertyValues(
                        "rustrade.supervisor.groups.trading.strategy=rest-for-one",
                        "rustrade.supervisor.groups.trading.members=pricingEngine,marketDataFeed")
                .run(context -> {
                    assertThat(failureBeforeAnyStart(context))
                            .isEqualTo("Property 'rustrade.supervisor.groups.trading.members[0]' must be listed after"
                                    + " 'marketDataFeed' ('rustrade.supervisor.groups.trading.members[1]'), which it"
                                    + " depends on in the application context but was pricingEngine");
                    assertThat(this.journal).as("no service started").isEmpty();
                });
    }

    @Test
    void aMemberListedBeforeAMemberItDependsOnThroughAServiceOutsideTheGroupIsRejected() {
        new ApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(SupervisorAutoConfiguration.class, LifecycleAutoConfiguration.class))
                .withUserConfiguration(Chain.class)
                .withPropertyValues(
                        "rustrade.supervisor.groups.ends.strategy=one-for-all",
                        "rustrade.supervisor.groups.ends.members=strategy,session")
                .run(context -> assertThat(failureBeforeAnyStart(context))
                        .isEqualTo("Property 'rustrade.supervisor.groups.ends.members[0]' must be listed after"
                                + " 'session' ('rustrade.supervisor.groups.ends.members[1]'), which it depends on"
                                + " in the application context but was strategy"));
    }

    /** {@code strategy -> feed -> session}, each supervised. */
    @Configuration(proxyBeanMethods = false)
    static class Chain {

        @Bean
        Feed session() {
            return new Feed("session");
        }

        @Bean
        @DependsOn("session")
        Feed feed() {
            return new Feed("feed");
        }

        @Bean
        @DependsOn("feed")
        Feed strategy() {
            return new Feed("strategy");
        }
    }

    @Test
    void aGroupWhoseNameHasADotIsNamedInBrackets() {
        this.runner
                .withPropertyValues("rustrade.supervisor.groups[trading.eu].members=marketDataFeed")
                .run(context -> assertThat(failureBeforeAnyStart(context))
                        .isEqualTo("Property 'rustrade.supervisor.groups[trading.eu].strategy' must be one-for-all"
                                + " or rest-for-one but was not set"));
    }
}
