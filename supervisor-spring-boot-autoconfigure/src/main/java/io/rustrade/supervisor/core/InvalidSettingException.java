package io.rustrade.supervisor.core;

import io.rustrade.supervisor.core.internal.Durations;
import java.time.Duration;

/**
 * A policy setting has a value outside what the supervisor accepts.
 *
 * <p>It names the setting as it is spelled in configuration ({@code base-delay}, {@code max-failures},
 * ...), the value given and the rule it broke, so that a caller binding configuration can point at the
 * exact property. The message reads, for example: {@code 'base-delay' must be greater than 0 but was
 * -1s}.
 */
public class InvalidSettingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String setting;

    private final transient Object value;

    private final String rule;

    /**
     * @param setting the setting's name as spelled in configuration, e.g. {@code base-delay}
     * @param value the value given, {@code null} when none was
     * @param rule what is allowed, phrased to follow the setting's name, e.g. {@code must be greater
     *     than 0}
     */
    InvalidSettingException(String setting, Object value, String rule) {
        super("'" + setting + "' " + rule + " but was " + describe(value));
        this.setting = setting;
        this.value = value;
        this.rule = rule;
    }

    /** The setting's name as spelled in configuration, e.g. {@code base-delay}. */
    public String getSetting() {
        return this.setting;
    }

    /** The value that was given. */
    public Object getValue() {
        return this.value;
    }

    /** What is allowed, e.g. {@code must be greater than 0}. */
    public String getRule() {
        return this.rule;
    }

    static String describe(Object value) {
        return (value instanceof Duration duration) ? Durations.format(duration) : String.valueOf(value);
    }
}
