package io.rustrade.supervisor.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustrade.supervisor.FailureClassifier;
import io.rustrade.supervisor.HistoryEntry;
import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.Supervisor;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Every {@link FailureClassifier} bean applies to every service, named by its bean name in the history. */
class FailureClassifierTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(SupervisorAutoConfiguration.class, LifecycleAutoConfiguration.class))
            .withPropertyValues("rustrade.supervisor.backoff.base-delay=10ms")
            .withBean("gateway", TestLifecycles.FinalGateway.class, TestLifecycles.FinalGateway::new)
            .withBean("feed", TestLifecycles.FinalGateway.class, TestLifecycles.FinalGateway::new);

    @Test
    void aClassifierBeanHoldsTheFailuresItJudgesFatalAndOnlyThose() {
        FailureClassifier suspendedGateway = (service, failure) ->
                service.equals("gateway") && failure.getMessage().contains("suspended");
        this.runner
                .withBean("venueRules", FailureClassifier.class, () -> suspendedGateway)
                .run(context -> {
                    Supervisor supervisor = context.getBean(Supervisor.class);
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> supervisor.services().stream()
                                    .allMatch(service -> service.state() == ServiceState.RUNNING));

                    supervisor.reportFailure("gateway", new IllegalStateException("account suspended"));
                    supervisor.reportFailure("feed", new IllegalStateException("account suspended"));

                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> state(supervisor, "gateway") == ServiceState.FAILED);
                    await().atMost(Duration.ofSeconds(5))
                            .until(() ->
                                    supervisor.service("feed").orElseThrow().restarts() == 1);
                    assertThat(supervisor.service("gateway").orElseThrow().events())
                            .filteredOn(entry -> entry.type() == HistoryEntry.Type.GAVE_UP)
                            .singleElement()
                            .extracting(HistoryEntry::detail)
                            .isEqualTo("fatal by failure classifier 'venueRules': java.lang.IllegalStateException");
                });
    }

    private static ServiceState state(Supervisor supervisor, String name) {
        return supervisor.service(name).map(ServiceSnapshot::state).orElseThrow();
    }
}
