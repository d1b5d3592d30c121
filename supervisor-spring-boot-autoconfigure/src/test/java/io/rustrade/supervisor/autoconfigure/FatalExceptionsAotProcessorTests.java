package io.rustrade.supervisor.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.mock.env.MockEnvironment;

/**
 * The classes named in {@code fatal-exceptions} are loaded by name: a native image keeps them only when the
 * build registers them, from the configuration it sees.
 */
class FatalExceptionsAotProcessorTests {

    private final MockEnvironment environment = new MockEnvironment();

    private BeanFactoryInitializationAotContribution process() {
        DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
        beanFactory.registerSingleton(ConfigurableApplicationContext.ENVIRONMENT_BEAN_NAME, this.environment);
        return new FatalExceptionsAotProcessor().processAheadOfTime(beanFactory);
    }

    @Test
    void everyClassNamedAtTheTopLevelOrForAServiceIsRegisteredForReflection() {
        this.environment
                .withProperty("rustrade.supervisor.fatal-exceptions[0]", "java.net.ConnectException")
                .withProperty("rustrade.supervisor.fatal-exceptions[1]", "com.example.VenueRefused")
                .withProperty("rustrade.supervisor.services.feed.fatal-exceptions", "java.io.EOFException");
        TestGenerationContext generation = new TestGenerationContext();

        process().applyTo(generation, null);

        for (String name :
                new String[] {"java.net.ConnectException", "com.example.VenueRefused", "java.io.EOFException"}) {
            assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of(name)))
                    .as(name)
                    .accepts(generation.getRuntimeHints());
        }
    }

    @Test
    void withoutFatalExceptionsNothingIsContributed() {
        this.environment.withProperty("rustrade.supervisor.backoff.base-delay", "1s");

        assertThat(process()).isNull();
    }

    @Test
    void aConfigurationThatDoesNotBindContributesNothingAndIsReportedWhenTheApplicationStarts() {
        this.environment
                .withProperty("rustrade.supervisor.fatal-exceptions", "java.net.ConnectException")
                .withProperty("rustrade.supervisor.backoff.base-delay", "soon");

        assertThat(process()).isNull();
    }

    @Test
    void springsAotProcessingFindsTheProcessor() {
        assertThat(AotServices.factories().load(BeanFactoryInitializationAotProcessor.class))
                .anyMatch(FatalExceptionsAotProcessor.class::isInstance);
    }
}
