package io.rustrade.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The sample application over real HTTP: a crashed service backs off and runs again, its restarts show in
 * Prometheus, repeated crashes open its circuit and turn health DOWN, and a reset brings it back; a crash of
 * the market-data feed makes the pricing engine, after it in their group, wait for it and come back after it.
 */
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "sample.exchange.chaos-rate=0",
            "sample.gateway.refusals=0",
            "sample.reconciler.failure-rate=0",
            "rustrade.supervisor.services.orderGateway.backoff.base-delay=1s",
            "rustrade.supervisor.services.orderGateway.backoff.jitter=none",
            "rustrade.supervisor.services.orderGateway.circuit-breaker.max-failures=3",
            "rustrade.supervisor.services.marketDataFeed.backoff.base-delay=1s",
            "rustrade.supervisor.services.marketDataFeed.backoff.jitter=none"
        })
class SupervisionEndToEndTests {

    private static final Duration BOUND = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Test
    void aCrashedServiceRecoversItsCircuitOpensAndAResetBringsItBack() throws Exception {
        awaitState("orderGateway", "RUNNING");

        crash("orderGateway");
        awaitState("orderGateway", "BACKING_OFF");
        String backingOff = get("/actuator/supervisor/orderGateway").body();
        assertThat(JsonPath.<String>read(backingOff, "$.nextRestartAt")).isNotNull();
        assertThat(JsonPath.<String>read(backingOff, "$.lastFailure.message"))
                .isEqualTo("Crash requested through /chaos/orderGateway");
        awaitState("orderGateway", "RUNNING");
        assertThat(restartsInPrometheus("orderGateway")).isEqualTo(1.0);

        crash("orderGateway");
        awaitState("orderGateway", "RUNNING");
        crash("orderGateway");

        awaitState("orderGateway", "CIRCUIT_OPEN");
        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(JsonPath.<String>read(health.body(), "$.components.supervisor.status"))
                .isEqualTo("DOWN");
        assertThat(JsonPath.<String>read(health.body(), "$.components.supervisor.details.services.orderGateway"))
                .isEqualTo("CIRCUIT_OPEN");

        HttpResponse<String> reset = post("/actuator/supervisor/orderGateway", "{\"action\":\"reset\"}");
        assertThat(reset.statusCode()).isEqualTo(200);
        awaitState("orderGateway", "RUNNING");
        assertThat(JsonPath.<String>read(
                        get("/actuator/supervisor/orderGateway").body(), "$.circuit"))
                .isEqualTo("closed");
        await().atMost(BOUND)
                .untilAsserted(
                        () -> assertThat(get("/actuator/health").statusCode()).isEqualTo(200));
    }

    @Test
    void aCrashOfTheFeedMakesThePricingEngineWaitForItAndBothComeBackInOrder() throws Exception {
        awaitState("marketDataFeed", "RUNNING");
        awaitState("pricingEngine", "RUNNING");
        long restartsBefore = JsonPath.<Number>read(
                        get("/actuator/supervisor/pricingEngine").body(), "$.restarts")
                .longValue();

        crash("marketDataFeed");

        awaitState("pricingEngine", "WAITING");
        String waiting = get("/actuator/supervisor/pricingEngine").body();
        assertThat(JsonPath.<String>read(waiting, "$.waitingFor")).isEqualTo("marketDataFeed");
        assertThat(JsonPath.<String>read(waiting, "$.group")).isEqualTo("trading");
        assertThat(JsonPath.<String>read(
                        get("/actuator/supervisor/marketDataFeed").body(), "$.state"))
                .isEqualTo("BACKING_OFF");
        HttpResponse<String> start = post("/actuator/supervisor/pricingEngine", "{\"action\":\"start\"}");
        assertThat(start.statusCode()).isEqualTo(409);
        assertThat(JsonPath.<String>read(start.body(), "$.message"))
                .isEqualTo("'start' is not allowed while 'pricingEngine' is WAITING for 'marketDataFeed'; it starts"
                        + " again once 'marketDataFeed' runs");
        assertThat(get("/actuator/health").statusCode()).isEqualTo(200);

        awaitState("pricingEngine", "RUNNING");
        String back = get("/actuator/supervisor/pricingEngine").body();
        assertThat(JsonPath.<String>read(
                        get("/actuator/supervisor/marketDataFeed").body(), "$.state"))
                .isEqualTo("RUNNING");
        assertThat(JsonPath.<String>read(back, "$.waitingFor")).isNull();
        assertThat(JsonPath.<Number>read(back, "$.restarts").longValue()).isEqualTo(restartsBefore + 1);
        assertThat(JsonPath.<Number>read(back, "$.failures").longValue()).isZero();
        assertThat(JsonPath.<java.util.List<String>>read(back, "$.events[*].type"))
                .containsSubsequence("stopping", "waiting", "restarting", "started");
        assertThat(JsonPath.<java.util.List<String>>read(back, "$.events[?(@.type == 'waiting')].detail"))
                .last()
                .isEqualTo("for marketDataFeed");
    }

    @Test
    void everyServiceOfTheSampleIsListed() throws Exception {
        String services = get("/actuator/supervisor").body();

        assertThat(JsonPath.<java.util.Map<String, Object>>read(services, "$.services"))
                .containsOnlyKeys("marketDataFeed", "orderGateway", "pricingEngine", "positionReconciler");
        assertThat(JsonPath.<String>read(services, "$.groups.trading.strategy")).isEqualTo("rest-for-one");
        assertThat(JsonPath.<java.util.List<String>>read(services, "$.groups.trading.members"))
                .containsExactly("marketDataFeed", "pricingEngine");
        assertThat(JsonPath.<String>read(services, "$.services.positionReconciler.kind"))
                .isEqualTo("service");
        assertThat(JsonPath.<String>read(services, "$.services.marketDataFeed.kind"))
                .isEqualTo("lifecycle");
    }

    @Test
    void aCircuitThatWillProbeByItselfTakesThePodOutOfReadinessButLeavesItsLivenessUp() throws Exception {
        for (int i = 0; i < 3; i++) {
            awaitState("positionReconciler", "RUNNING");
            crash("positionReconciler");
        }
        awaitState("positionReconciler", "CIRCUIT_OPEN");

        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(503);
        HttpResponse<String> liveness = get("/actuator/health/liveness");
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(JsonPath.<java.util.Map<String, Object>>read(
                        liveness.body(), "$.components.supervisorLiveness.details.down"))
                .isEmpty();

        assertThat(post("/actuator/supervisor/positionReconciler", "{\"action\":\"reset\"}")
                        .statusCode())
                .isEqualTo(200);
        awaitState("positionReconciler", "RUNNING");
    }

    @Test
    void aServiceFailingWithAnExceptionOfFatalExceptionsIsFailedAtOnceAndNotRestarted() throws Exception {
        assertThat(post("/chaos/positionReconciler?fatal=true", "").statusCode())
                .isEqualTo(202);

        awaitState("positionReconciler", "FAILED");
        String reconciler = get("/actuator/supervisor/positionReconciler").body();
        assertThat(JsonPath.<String>read(reconciler, "$.lastFailure.exception"))
                .isEqualTo("io.rustrade.sample.trading.AccountSuspendedException");
        assertThat(JsonPath.<String>read(reconciler, "$.nextRestartAt")).isNull();

        // Health is DOWN while it is FAILED: an operator's reset brings it back for the other tests.
        assertThat(post("/actuator/supervisor/positionReconciler", "{\"action\":\"reset\"}")
                        .statusCode())
                .isEqualTo(200);
        awaitState("positionReconciler", "RUNNING");
    }

    private void crash(String service) throws Exception {
        assertThat(post("/chaos/" + service, "").statusCode()).isEqualTo(202);
    }

    private void awaitState(String service, String state) {
        await().atMost(BOUND)
                .pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(JsonPath.<String>read(
                                get("/actuator/supervisor/" + service).body(), "$.state"))
                        .isEqualTo(state));
    }

    private double restartsInPrometheus(String service) throws Exception {
        String scrape = get("/actuator/prometheus").body();
        Matcher restarts = Pattern.compile(
                        "^rustrade_supervisor_restarts_total\\{[^}]*service=\"" + service + "\"[^}]*} (\\S+)$",
                        Pattern.MULTILINE)
                .matcher(scrape);
        assertThat(restarts.find())
                .as("restart counter of %s in%n%s", service, scrape)
                .isTrue();
        return Double.parseDouble(restarts.group(1));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return this.http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return this.http.send(
                HttpRequest.newBuilder(uri(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + this.port + path);
    }
}
