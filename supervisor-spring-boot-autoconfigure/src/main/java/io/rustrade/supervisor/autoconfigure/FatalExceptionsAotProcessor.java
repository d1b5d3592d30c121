package io.rustrade.supervisor.autoconfigure;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.TypeReference;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * At build time, registers for reflection every class named in {@code rustrade.supervisor.fatal-exceptions}
 * and {@code rustrade.supervisor.services.<name>.fatal-exceptions}: the starter loads them by name ({@code
 * Class.forName}), which a native image answers only for the classes it was told of. The names are those
 * of the build's environment: a class named only at run time must be named at build time as well (or
 * matched by a failure classifier, which needs no reflection).
 *
 * <p>A configuration that does not bind here (a bad value) registers nothing: the application reports it,
 * as always, when it starts.
 */
final class FatalExceptionsAotProcessor implements BeanFactoryInitializationAotProcessor {

    @Override
    public @Nullable BeanFactoryInitializationAotContribution processAheadOfTime(
            ConfigurableListableBeanFactory beanFactory) {
        if (!beanFactory.containsBean(ConfigurableApplicationContext.ENVIRONMENT_BEAN_NAME)) {
            return null;
        }
        Set<String> names = fatalExceptionNames(
                beanFactory.getBean(ConfigurableApplicationContext.ENVIRONMENT_BEAN_NAME, Environment.class));
        if (names.isEmpty()) {
            return null;
        }
        return (generationContext, code) -> names.forEach(
                name -> generationContext.getRuntimeHints().reflection().registerType(TypeReference.of(name)));
    }

    /** The class names of {@code fatal-exceptions}, top level and per service, sorted; none when they do not bind. */
    static Set<String> fatalExceptionNames(Environment environment) {
        Set<String> names = new TreeSet<>();
        SupervisorProperties properties;
        try {
            properties = Binder.get(environment)
                    .bind("rustrade.supervisor", SupervisorProperties.class)
                    .orElse(null);
        } catch (BindException ex) {
            return names;
        }
        if (properties == null) {
            return names;
        }
        names.addAll(properties.getFatalExceptions());
        for (Map.Entry<String, ServiceProperties> service :
                properties.getServices().entrySet()) {
            if (service.getValue().getFatalExceptions() != null) {
                names.addAll(service.getValue().getFatalExceptions());
            }
        }
        names.removeIf(String::isBlank);
        return names;
    }
}
