package io.rustrade.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.Supervisor;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The profile {@code cluster}, as docs/cluster.md runs it: two instances of the sample on one H2 file; the order
 * gateway runs on one and stands by on the other, and moves when the one that runs it stops.
 */
class ClusterProfileTests {

    private static final Duration BOUND = Duration.ofSeconds(10);

    @TempDir
    Path directory;

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(SampleApplication.class)
                .profiles("cluster")
                .properties(
                        "server.port=0",
                        "sample.cluster.database=" + this.directory.resolve("locks"),
                        "sample.exchange.chaos-rate=0",
                        "sample.gateway.refusals=0",
                        "sample.reconciler.failure-rate=0")
                .run();
    }

    private static ServiceSnapshot gateway(ConfigurableApplicationContext instance) {
        return instance.getBean(Supervisor.class).service("orderGateway").orElseThrow();
    }

    @Test
    void theOrderGatewayRunsOnOneInstanceAndMovesWhenThatOneStops() {
        try (ConfigurableApplicationContext first = start()) {
            Awaitility.await().atMost(BOUND).until(() -> gateway(first).state() == ServiceState.RUNNING);
            try (ConfigurableApplicationContext second = start()) {
                Awaitility.await()
                        .during(Duration.ofSeconds(1))
                        .atMost(BOUND)
                        .until(() -> gateway(second).state() == ServiceState.STANDBY
                                && gateway(first).state() == ServiceState.RUNNING);
                assertThat(gateway(first).singleton().lock()).isEqualTo("rustrade-supervisor.orderGateway");

                first.close();

                // Well inside the lock's time-to-live (10s): the first released its lock before it closed its
                // database, rather than leaving it to expire.
                Awaitility.await()
                        .atMost(Duration.ofSeconds(3))
                        .until(() -> gateway(second).state() == ServiceState.RUNNING);
                assertThat(gateway(second).singleton().leader()).isTrue();
            }
        }
    }
}
