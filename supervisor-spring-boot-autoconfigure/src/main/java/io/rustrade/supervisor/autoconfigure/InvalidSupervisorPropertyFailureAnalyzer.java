package io.rustrade.supervisor.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link InvalidSupervisorPropertyException} in the report printed when the application
 * fails to start: the description names the property and the value given, the action what is allowed.
 */
class InvalidSupervisorPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSupervisorPropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidSupervisorPropertyException cause) {
        return new FailureAnalysis(description(cause), action(cause), cause);
    }

    private static String description(InvalidSupervisorPropertyException cause) {
        String inherited = (cause.inheritedFrom() != null) ? " (inherited from '" + cause.inheritedFrom() + "')" : "";
        return "The supervisor's configuration is invalid. Property '" + cause.property() + "' was " + cause.value()
                + inherited + ", but it " + cause.rule() + ".";
    }

    private static String action(InvalidSupervisorPropertyException cause) {
        if (cause.inheritedFrom() != null) {
            return "Set '" + cause.property() + "' in the application's configuration, or change the property it"
                    + " is compared with; it " + cause.rule() + ".";
        }
        return "Update '" + cause.property() + "' in the application's configuration; it " + cause.rule() + ".";
    }
}
