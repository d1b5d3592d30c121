package io.rustrade.supervisor.autoconfigure;

import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Explains an {@link InvalidSupervisorPropertyException} in the report printed when the application
 * fails to start: the description names the property, the value given and where that value was set, the
 * action what is allowed.
 *
 * <p>Where the value was set is the origin Spring Boot tracked for the property in the application's
 * environment, as Boot prints it: a file with line and column ({@code class path resource
 * [application.yml] - 3:19}), an environment variable, a system property, a command-line argument. For
 * a value a {@code services.<name>} entry inherited, it is the origin of the top-level property the value
 * was inherited from. An element of a list given as one comma-separated value ({@code
 * fatal-exceptions[1]}) has the origin of the list property. A value with no known origin — a default, a
 * value set in code, or no environment to look in — is reported without one.
 */
class InvalidSupervisorPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSupervisorPropertyException> {

    private final @Nullable ConfigurableEnvironment environment;

    /**
     * @param environment the environment of the application that failed to start, in which the values
     *     were bound; {@code null} when the failure came before the application had one
     */
    InvalidSupervisorPropertyFailureAnalyzer(@Nullable Environment environment) {
        this.environment = (environment instanceof ConfigurableEnvironment configurable) ? configurable : null;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidSupervisorPropertyException cause) {
        return new FailureAnalysis(description(cause), action(cause), cause);
    }

    private String description(InvalidSupervisorPropertyException cause) {
        StringJoiner source = new StringJoiner(", ", " (", ")").setEmptyValue("");
        if (cause.inheritedFrom() != null) {
            source.add("inherited from '" + cause.inheritedFrom() + "'");
        }
        Origin origin = origin(cause);
        if (origin != null) {
            source.add("origin: " + origin);
        }
        return "The supervisor's configuration is invalid. Property '" + cause.property() + "' was " + cause.value()
                + source + ", but it " + cause.rule() + ".";
    }

    private static String action(InvalidSupervisorPropertyException cause) {
        if (cause.inheritedFrom() != null) {
            return "Set '" + cause.property() + "' in the application's configuration, or change the property it"
                    + " is compared with; it " + cause.rule() + ".";
        }
        return "Update '" + cause.property() + "' in the application's configuration; it " + cause.rule() + ".";
    }

    /** Where the value that was used came from: the property's own, or the inherited top-level one. */
    private @Nullable Origin origin(InvalidSupervisorPropertyException cause) {
        if (this.environment == null) {
            return null;
        }
        String property = (cause.inheritedFrom() != null) ? cause.inheritedFrom() : cause.property();
        // Adapted rather than parsed strictly: a service's name keeps its case ('marketDataFeed'), which a
        // strict property name does not allow, and Boot matches names case-insensitively anyway.
        ConfigurationPropertyName name = ConfigurationPropertyName.adapt(property, '.');
        Origin origin = origin(name);
        if (origin == null && name.isLastElementIndexed()) {
            // "a,b" set as one value is bound as a list, but only the list property has an origin.
            origin = origin(name.getParent());
        }
        return origin;
    }

    /** The origin of the property in the first source that has it: the one whose value was bound. */
    private @Nullable Origin origin(ConfigurationPropertyName name) {
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
            ConfigurationProperty property = source.getConfigurationProperty(name);
            if (property != null) {
                return property.getOrigin();
            }
        }
        return null;
    }
}
