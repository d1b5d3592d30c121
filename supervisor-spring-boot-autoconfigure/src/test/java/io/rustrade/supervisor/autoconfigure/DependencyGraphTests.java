package io.rustrade.supervisor.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.ServiceKind;
import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.Supervisor;
import io.rustrade.supervisor.autoconfigure.TestLifecycles.Reconciler;
import io.rustrade.supervisor.core.ObservableSupervisor;
import io.rustrade.supervisor.core.ServiceTopology;
import io.rustrade.supervisor.testing.Feed;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

/**
 * The dependencies between supervised beans, read from the application context before any service starts
 * and given to the supervisor (SPEC §14, §17): each service's {@code dependsOn} lists the supervised
 * services it depends on directly, sorted.
 */
class DependencyGraphTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(SupervisorAutoConfiguration.class, LifecycleAutoConfiguration.class));

    private static List<String> dependsOn(AssertableApplicationContext context, String name) {
        return service(context, name).dependsOn();
    }

    private static ServiceSnapshot service(AssertableApplicationContext context, String name) {
        return context.getBean(Supervisor.class).service(name).orElseThrow();
    }

    private static ServiceTopology topology(AssertableApplicationContext context) {
        return context.getBean(ObservableSupervisor.class).topology();
    }

    @Test
    void aServiceInjectedIntoAnotherIsADependencyOfIt() {
        this.runner.withUserConfiguration(ConstructorInjection.class).run(context -> {
            assertThat(dependsOn(context, "pricingEngine")).containsExactly("marketDataFeed");
            assertThat(dependsOn(context, "orderGateway")).containsExactly("marketDataFeed", "pricingEngine");
            assertThat(dependsOn(context, "marketDataFeed")).isEmpty();
        });
    }

    @Test
    void aServiceNamedInDependsOnIsADependency() {
        this.runner.withUserConfiguration(DependsOnAnnotation.class).run(context -> {
            assertThat(dependsOn(context, "pricingEngine")).containsExactly("marketDataFeed");
            assertThat(dependsOn(context, "orderGateway"))
                    .as("an alias names the bean it stands for")
                    .containsExactly("marketDataFeed");
        });
    }

    @Test
    void aBeanThatIsNotSupervisedIsFollowedToTheServicesItDependsOn() {
        this.runner.withUserConfiguration(ThroughAPlainBean.class).run(context -> {
            assertThat(dependsOn(context, "pricingEngine")).containsExactly("marketDataFeed");
            assertThat(context.getBean(Supervisor.class).service("quoteCache")).isEmpty();
        });
    }

    @Test
    void aFactoryBeanIsFollowedToTheServicesTheFactoryDependsOn() {
        this.runner.withUserConfiguration(ThroughAFactoryBean.class).run(context -> {
            assertThat(dependsOn(context, "pricingEngine")).containsExactly("marketDataFeed");
        });
    }

    @Test
    void aServiceThatIsADependencyOfADependencyIsNotADirectDependency() {
        this.runner.withUserConfiguration(ConstructorInjection.class).run(context -> {
            // orderGateway takes both; pricingEngine only the feed, so the chain is feed <- pricing <- gateway.
            assertThat(dependsOn(context, "pricingEngine")).doesNotContain("orderGateway");
            assertThat(topology(context).dependsOn("orderGateway")).containsExactly("marketDataFeed", "pricingEngine");
        });
    }

    @Test
    void aRunLoopServiceDependsOnTheLifecycleBeanItIsGiven() {
        this.runner.withUserConfiguration(RunLoopOnAFeed.class).run(context -> {
            assertThat(service(context, "reconciler").kind()).isEqualTo(ServiceKind.SERVICE);
            assertThat(dependsOn(context, "reconciler")).containsExactly("marketDataFeed");
        });
    }

    @Test
    void servicesThatDependOnEachOtherAreEachOthersDependencies() {
        this.runner
                .withAllowCircularReferences(true)
                .withBean("left", LeftLoop.class)
                .withBean("right", RightLoop.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(dependsOn(context, "left")).containsExactly("right");
                    assertThat(dependsOn(context, "right")).containsExactly("left");
                });
    }

    @Test
    void aServiceLeftOutOfSupervisionIsNeitherADependencyNorFollowedThrough() {
        this.runner
                .withUserConfiguration(ConstructorInjection.class)
                .withPropertyValues("rustrade.supervisor.exclude=pricingEngine")
                .run(context -> {
                    assertThat(dependsOn(context, "orderGateway")).containsExactly("marketDataFeed");
                    assertThat(context.getBean(Supervisor.class).service("pricingEngine"))
                            .isEmpty();
                });
    }

    @Test
    void restartDependentsIsOffByDefault() {
        this.runner.withUserConfiguration(ConstructorInjection.class).run(context -> {
            assertThat(topology(context).restartsDependents("marketDataFeed")).isFalse();
            assertThat(topology(context).isEmpty()).isTrue();
        });
    }

    @Test
    void restartDependentsOfAServiceOverridesTheTopLevelValue() {
        this.runner
                .withUserConfiguration(ConstructorInjection.class)
                .withPropertyValues(
                        "rustrade.supervisor.restart-dependents=true",
                        "rustrade.supervisor.services.pricingEngine.restart-dependents=false")
                .run(context -> {
                    assertThat(topology(context).restartsDependents("marketDataFeed"))
                            .isTrue();
                    assertThat(topology(context).restartsDependents("orderGateway"))
                            .isTrue();
                    assertThat(topology(context).restartsDependents("pricingEngine"))
                            .isFalse();
                });
    }

    @Test
    void restartDependentsCanBeTurnedOnForOneService() {
        this.runner
                .withUserConfiguration(ConstructorInjection.class)
                .withPropertyValues("rustrade.supervisor.services.marketDataFeed.restart-dependents=true")
                .run(context -> {
                    assertThat(topology(context).restartsDependents("marketDataFeed"))
                            .isTrue();
                    assertThat(topology(context).restartsDependents("pricingEngine"))
                            .isFalse();
                });
    }

    @Test
    void aGroupIsGivenToTheSupervisorWithItsStrategyAndMembersInOrder() {
        this.runner
                .withUserConfiguration(ConstructorInjection.class)
                .withPropertyValues(
                        "rustrade.supervisor.groups.trading.strategy=rest-for-one",
                        "rustrade.supervisor.groups.trading.members=marketDataFeed,pricingEngine,orderGateway")
                .run(context -> {
                    assertThat(topology(context).groups())
                            .containsOnlyKeys("trading")
                            .extractingByKey("trading")
                            .satisfies(group -> {
                                assertThat(group.strategy().value()).isEqualTo("rest-for-one");
                                assertThat(group.members())
                                        .containsExactly("marketDataFeed", "pricingEngine", "orderGateway");
                            });
                    assertThat(service(context, "pricingEngine").group()).isEqualTo("trading");
                });
    }

    @Test
    void aServiceRegisteredAtRunTimeHasNoDependencies() {
        this.runner.withUserConfiguration(ConstructorInjection.class).run(context -> {
            Supervisor supervisor = context.getBean(Supervisor.class);
            supervisor.register("adHoc", new Reconciler());

            assertThat(supervisor.service("adHoc").orElseThrow().dependsOn()).isEmpty();
            assertThat(supervisor.service("adHoc").orElseThrow().group()).isNull();
        });
    }

    /** A feed, a pricing engine on the feed, a gateway on both: constructor ({@code @Bean} parameter) injection. */
    @Configuration(proxyBeanMethods = false)
    static class ConstructorInjection {

        @Bean
        Feed marketDataFeed() {
            return new Feed("marketDataFeed");
        }

        @Bean
        Pricing pricingEngine(Feed marketDataFeed) {
            return new Pricing(marketDataFeed);
        }

        @Bean
        Gateway orderGateway(Feed marketDataFeed, Pricing pricingEngine) {
            return new Gateway();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DependsOnAnnotation {

        @Bean(name = {"marketDataFeed", "quotes"})
        Feed marketDataFeed() {
            return new Feed("marketDataFeed");
        }

        @Bean
        @DependsOn("marketDataFeed")
        Feed pricingEngine() {
            return new Feed("pricingEngine");
        }

        @Bean
        @DependsOn("quotes")
        Feed orderGateway() {
            return new Feed("orderGateway");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ThroughAPlainBean {

        @Bean
        Feed marketDataFeed() {
            return new Feed("marketDataFeed");
        }

        @Bean
        QuoteCache quoteCache(Feed marketDataFeed) {
            return new QuoteCache();
        }

        @Bean
        Feed pricingEngine(QuoteCache quoteCache) {
            return new Feed("pricingEngine");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ThroughAFactoryBean {

        @Bean
        Feed marketDataFeed() {
            return new Feed("marketDataFeed");
        }

        @Bean
        QuoteCacheFactory quoteCache(Feed marketDataFeed) {
            return new QuoteCacheFactory();
        }

        @Bean
        Feed pricingEngine(QuoteCache quoteCache) {
            return new Feed("pricingEngine");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class RunLoopOnAFeed {

        @Bean
        Feed marketDataFeed() {
            return new Feed("marketDataFeed");
        }

        @Bean
        Reconciler reconciler(Feed marketDataFeed) {
            return new Reconciler();
        }
    }

    static class Pricing extends Feed {

        Pricing(Feed feed) {
            super("pricingEngine");
        }
    }

    static class Gateway extends Feed {

        Gateway() {
            super("orderGateway");
        }
    }

    /** Not a lifecycle bean: never supervised. */
    static class QuoteCache {}

    static class QuoteCacheFactory implements FactoryBean<QuoteCache> {

        @Override
        public QuoteCache getObject() {
            return new QuoteCache();
        }

        @Override
        public Class<?> getObjectType() {
            return QuoteCache.class;
        }
    }

    static class LeftLoop extends Feed {

        @Autowired
        RightLoop right;

        LeftLoop() {
            super("left");
        }
    }

    static class RightLoop extends Feed {

        @Autowired
        LeftLoop left;

        RightLoop() {
            super("right");
        }
    }
}
