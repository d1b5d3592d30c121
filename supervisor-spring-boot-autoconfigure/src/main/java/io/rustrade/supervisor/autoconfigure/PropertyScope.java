package io.rustrade.supervisor.autoconfigure;

import io.rustrade.supervisor.core.InvalidSettingException;
import io.rustrade.supervisor.core.internal.Durations;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where a group of supervisor settings is configured: the top level ({@code rustrade.supervisor.}) or
 * one {@code services.<name>} entry, which inherits every value it does not set from the top level.
 *
 * <p>It turns the core's {@link InvalidSettingException}, which names a setting as {@code base-delay},
 * into an {@link InvalidSupervisorPropertyException} naming the full property, and names each setting
 * the rule refers to by the property its value came from: the service's own when it set it, the
 * top-level one when it inherited it.
 */
final class PropertyScope {

    private static final String PREFIX = "rustrade.supervisor.";

    private static final Pattern REFERENCE = Pattern.compile("'([a-z][a-z0-9-]*)'");

    private final String prefix;

    private final @Nullable PropertyScope parent;

    private final Set<String> given = new HashSet<>();

    private PropertyScope(String prefix, @Nullable PropertyScope parent) {
        this.prefix = prefix;
        this.parent = parent;
    }

    /** The top level, {@code rustrade.supervisor.}. */
    static PropertyScope topLevel() {
        return new PropertyScope(PREFIX, null);
    }

    /** The entry {@code services.<name>}, inheriting from this scope. */
    PropertyScope service(String name) {
        String element = name.contains(".") ? "services[" + name + "]." : "services." + name + ".";
        return new PropertyScope(this.prefix + element, this);
    }

    /** The full property name of a key such as {@code backoff.base-delay}. */
    String name(String key) {
        return this.prefix + key;
    }

    /** Hands a value given in this scope to a builder; {@code null} means not given here, so inherited. */
    <T> void apply(String key, @Nullable T value, Consumer<? super T> setter) {
        if (value != null) {
            this.given.add(key);
            setter.accept(value);
        }
    }

    /**
     * Runs a builder step whose settings are the keys of a group.
     *
     * @param group the keys' common prefix, such as {@code backoff.}, or empty
     * @throws InvalidSupervisorPropertyException naming the property whose value broke a rule
     */
    <T> T build(String group, Supplier<T> step) {
        try {
            return step.get();
        } catch (InvalidSettingException ex) {
            String key = group + ex.getSetting();
            String inheritedFrom = isInherited(key) ? this.parent.name(key) : null;
            String rule = expandReferences(group, ex.getRule());
            throw new InvalidSupervisorPropertyException(name(key), describe(ex.getValue()), rule, inheritedFrom, ex);
        }
    }

    /** A value as it would be written in configuration: durations as {@code 250ms}, {@code 5m}. */
    static String describe(@Nullable Object value) {
        return (value instanceof Duration duration) ? Durations.format(duration) : String.valueOf(value);
    }

    private boolean isInherited(String key) {
        return this.parent != null && !this.given.contains(key);
    }

    private String source(String key) {
        return isInherited(key) ? this.parent.name(key) : name(key);
    }

    private String expandReferences(String group, String rule) {
        Matcher matcher = REFERENCE.matcher(rule);
        StringBuilder expanded = new StringBuilder();
        while (matcher.find()) {
            String reference = "'" + source(group + matcher.group(1)) + "'";
            matcher.appendReplacement(expanded, Matcher.quoteReplacement(reference));
        }
        return matcher.appendTail(expanded).toString();
    }
}
