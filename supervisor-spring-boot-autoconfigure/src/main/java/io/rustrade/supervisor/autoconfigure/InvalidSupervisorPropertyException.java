package io.rustrade.supervisor.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * A {@code rustrade.supervisor.*} property has a value the supervisor does not accept; thrown while the
 * application starts, before any service is started.
 *
 * <p>It names the full property, the value as it would be written in configuration ({@code -1s}) and
 * the rule it broke. The message reads, for example: {@code Property
 * 'rustrade.supervisor.backoff.base-delay' must be greater than 0 but was -1s}. A value that a
 * {@code services.<name>} entry did not set itself, but inherited from the top level, is reported under
 * the service's property, with the top-level property it came from: the conflict then lies between that
 * value and one the service did set, and the rule names that one.
 *
 * <p>The exception does not say where the value was set: the report printed when the application fails
 * to start adds the origin Spring Boot tracked for the property that supplied the value (a file with line
 * and column, an environment variable, a system property, a command-line argument), looked up in the
 * application's environment.
 */
public class InvalidSupervisorPropertyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String property;

    private final String value;

    private final String rule;

    private final @Nullable String inheritedFrom;

    /**
     * @param property the full property name, e.g. {@code rustrade.supervisor.backoff.base-delay}
     * @param value the value as it would be written in configuration, e.g. {@code -1s}
     * @param rule what is allowed, phrased to follow the property's name, e.g. {@code must be greater
     *     than 0}
     */
    public InvalidSupervisorPropertyException(String property, String value, String rule) {
        this(property, value, rule, null, null);
    }

    /**
     * @param property the full property name
     * @param value the value as it would be written in configuration
     * @param rule what is allowed, phrased to follow the property's name
     * @param inheritedFrom the top-level property the value was inherited from, {@code null} when the
     *     property was set itself
     * @param cause the failure that detected the problem, if any
     */
    public InvalidSupervisorPropertyException(
            String property, String value, String rule, @Nullable String inheritedFrom, @Nullable Throwable cause) {
        super(message(property, value, rule, inheritedFrom), cause);
        this.property = property;
        this.value = value;
        this.rule = rule;
        this.inheritedFrom = inheritedFrom;
    }

    private static String message(String property, String value, String rule, @Nullable String inheritedFrom) {
        String message = "Property '" + property + "' " + rule + " but was " + value;
        return (inheritedFrom != null) ? message + ", inherited from '" + inheritedFrom + "'" : message;
    }

    /** The full property name, e.g. {@code rustrade.supervisor.backoff.base-delay}. */
    public String property() {
        return this.property;
    }

    /** The value as it would be written in configuration, e.g. {@code -1s}. */
    public String value() {
        return this.value;
    }

    /** What is allowed, e.g. {@code must be greater than 0}. */
    public String rule() {
        return this.rule;
    }

    /** The top-level property the value was inherited from, {@code null} when the property was set itself. */
    public @Nullable String inheritedFrom() {
        return this.inheritedFrom;
    }
}
