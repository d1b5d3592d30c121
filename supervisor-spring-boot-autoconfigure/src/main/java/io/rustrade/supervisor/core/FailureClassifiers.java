package io.rustrade.supervisor.core;

import io.rustrade.supervisor.FailureClassifier;
import io.rustrade.supervisor.core.internal.CapturedFailure;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The application's {@link FailureClassifier}s, each with the name it is told by (a bean's name), asked in
 * order; the rules are {@link FailureClassifier}'s. Immutable: asked from any thread but the control thread.
 */
final class FailureClassifiers {

    private static final Log logger = LogFactory.getLog(SupervisorEngine.class);

    static final FailureClassifiers NONE = new FailureClassifiers(List.of());

    private final List<Named> classifiers;

    private FailureClassifiers(List<Named> classifiers) {
        this.classifiers = classifiers;
    }

    /** These classifiers, then {@code classifier}. */
    FailureClassifiers and(String name, FailureClassifier classifier) {
        List<Named> more = new java.util.ArrayList<>(this.classifiers);
        more.add(new Named(name, classifier));
        return new FailureClassifiers(List.copyOf(more));
    }

    boolean isEmpty() {
        return this.classifiers.isEmpty();
    }

    /**
     * On the thread that saw the failure: the name of the first classifier that holds it fatal, or null. A
     * {@link VirtualMachineError} is not shown to them (it is fatal anyway); one that a classifier throws is
     * let through, anything else it throws counts as "not fatal", with a warning.
     */
    String fatalBy(String service, Throwable failure) {
        if (failure instanceof VirtualMachineError) {
            return null;
        }
        for (Named named : this.classifiers) {
            try {
                if (named.classifier.isFatal(service, failure)) {
                    return named.name;
                }
            } catch (VirtualMachineError ex) {
                throw ex;
            } catch (Throwable ex) {
                CapturedFailure.of(ex)
                        .warn(
                                logger,
                                "Failure classifier '" + named.name + "' failed on a failure of service '" + service
                                        + "'; counted as not fatal");
            }
        }
        return null;
    }

    private record Named(String name, FailureClassifier classifier) {}
}
