package io.rustrade.supervisor.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.GroupStrategy;
import io.rustrade.supervisor.RestartPolicy;
import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.core.ServiceTopology;
import io.rustrade.supervisor.core.SupervisorEngine;
import io.rustrade.supervisor.testing.FakeLifecycle;
import java.io.UnsupportedEncodingException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code supervisor} endpoint over HTTP (SPEC §9): its JSON, field by field, in every state an
 * operator must tell apart, and every status code. The supervisor runs on virtual time and applies every
 * change at once, so each instant is known.
 */
class SupervisorEndpointWebTests {

    private static final String EXACT_BACKOFF = """
            "backoff": {"baseDelay": "PT0.1S", "maxDelay": "PT1M", "jitter": "none", "cooldownPeriod": "PT5M"}""";

    private static final String DEFAULT_BREAKER = """
            "circuitBreaker": {"maxFailures": 10, "window": "PT10M", "onOpen": "stop", "openDuration": "PT5M"}""";

    /** The fields of a service in no group, depending on no supervised service and waiting for none. */
    private static final String ALONE = """
            "group": null, "dependsOn": [], "waitingFor": null, "singleton": null""";

    private final DirectSupervisor supervisor = new DirectSupervisor();

    private final WebApplicationContextRunner runner = runner(this.supervisor);

    /**
     * A web application with every auto-configuration, the supervisor given, and the endpoint exposed.
     * Like {@code SpringApplication}, it converts property values with Boot's conversion service, which
     * reads {@code read-only} as {@code Access.READ_ONLY}.
     */
    private static WebApplicationContextRunner runner(DirectSupervisor supervisor) {
        return new WebApplicationContextRunner()
                .withInitializer(
                        context -> context.getEnvironment().setConversionService(new ApplicationConversionService()))
                .withUserConfiguration(TestApplication.class)
                .withBean("supervisor", SupervisorEngine.class, () -> supervisor.engine)
                .withPropertyValues(
                        "management.endpoints.web.exposure.include=supervisor,health",
                        "management.endpoint.health.show-details=always");
    }

    @Test
    void listsEveryServiceSortedByNameWithEveryFieldOfTheContract() {
        this.supervisor.lifecycle("orderGateway", DirectSupervisor.exact().build());
        failThreeTimes("marketDataFeed");

        this.runner.run(context -> {
            MvcTestResult result = get(context, "/actuator/supervisor");

            assertThat(result).hasStatusOk().bodyJson().isStrictlyEqualTo("""
                    {"services": {
                      "marketDataFeed": {"name": "marketDataFeed", "kind": "lifecycle", "state": "BACKING_OFF",
                        "restartPolicy": "on-failure", "attempt": 3, "recentFailures": 3, "failures": 3,
                        "restarts": 2, "circuit": "closed", "startedAt": "2026-11-27T10:15:33.420Z",
                        "nextRestartAt": "2026-11-27T10:15:34.820Z",
                        "lastFailure": {"at": "2026-11-27T10:15:34.420Z", "exception": "java.net.ConnectException",
                          "message": "Connection refused"},
                        %1$s, %2$s, %3$s},
                      "orderGateway": {"name": "orderGateway", "kind": "lifecycle", "state": "RUNNING",
                        "restartPolicy": "on-failure", "attempt": 0, "recentFailures": 0, "failures": 0,
                        "restarts": 0, "circuit": "closed", "startedAt": "2026-11-27T10:15:30.120Z",
                        "nextRestartAt": null, "lastFailure": null, %1$s, %2$s, %3$s}},
                     "groups": {}}
                    """.formatted(
                            EXACT_BACKOFF, DEFAULT_BREAKER, ALONE));
            assertThat(JsonMapper.shared()
                            .readTree(body(result))
                            .get("services")
                            .propertyNames())
                    .containsExactly("marketDataFeed", "orderGateway");
        });
    }

    @Test
    void aServiceWhoseCircuitIsOpenShowsTheOpenCircuitAndNoPendingRestart() {
        this.supervisor.lifecycle("quoteStream", DirectSupervisor.breaker(2).build());
        this.supervisor.fail("quoteStream", new ConnectException("Connection refused"));
        this.supervisor.advance(Duration.ofMillis(100));
        this.supervisor.fail("quoteStream", new ConnectException("Connection reset"));

        this.runner.run(context -> assertThat(get(context, "/actuator/supervisor"))
                .hasStatusOk()
                .bodyJson()
                .isStrictlyEqualTo("""
                        {"services": {"quoteStream": {"name": "quoteStream", "kind": "lifecycle",
                          "state": "CIRCUIT_OPEN", "restartPolicy": "on-failure", "attempt": 2, "recentFailures": 2,
                          "failures": 2, "restarts": 1, "circuit": "open", "startedAt": "2026-11-27T10:15:30.220Z",
                          "nextRestartAt": null,
                          "lastFailure": {"at": "2026-11-27T10:15:30.220Z", "exception": "java.net.ConnectException",
                            "message": "Connection reset"},
                          %s,
                          "circuitBreaker": {"maxFailures": 2, "window": "PT10M", "onOpen": "stop",
                            "openDuration": "PT5M"}, %s}},
                         "groups": {}}
                        """.formatted(EXACT_BACKOFF, ALONE)));
    }

    @Test
    void aFailedServiceShowsItsLastFailureWithANullMessageWhenItHadNone() {
        this.supervisor.lifecycle(
                "ledger",
                DirectSupervisor.exact().restartPolicy(RestartPolicy.NEVER).build());
        this.supervisor.advance(Duration.ofSeconds(1));
        this.supervisor.fail("ledger", new IllegalStateException());

        this.runner.run(context -> assertThat(get(context, "/actuator/supervisor"))
                .hasStatusOk()
                .bodyJson()
                .isStrictlyEqualTo("""
                        {"services": {"ledger": {"name": "ledger", "kind": "lifecycle", "state": "FAILED",
                          "restartPolicy": "never", "attempt": 1, "recentFailures": 1, "failures": 1, "restarts": 0,
                          "circuit": "closed", "startedAt": "2026-11-27T10:15:30.120Z", "nextRestartAt": null,
                          "lastFailure": {"at": "2026-11-27T10:15:31.120Z",
                            "exception": "java.lang.IllegalStateException", "message": null},
                          %s, %s, %s}},
                         "groups": {}}
                        """.formatted(EXACT_BACKOFF, DEFAULT_BREAKER, ALONE)));
    }

    @Test
    void aCompletedRunLoopIsAServiceOfKindService() {
        this.supervisor.engine.register(
                "nightlyReport", cancellation -> {}, DirectSupervisor.exact().build());

        this.runner.run(context -> assertThat(get(context, "/actuator/supervisor"))
                .hasStatusOk()
                .bodyJson()
                .isStrictlyEqualTo("""
                        {"services": {"nightlyReport": {"name": "nightlyReport", "kind": "service",
                          "state": "COMPLETED", "restartPolicy": "on-failure", "attempt": 0, "recentFailures": 0,
                          "failures": 0, "restarts": 0, "circuit": "closed",
                          "startedAt": "2026-11-27T10:15:30.120Z", "nextRestartAt": null, "lastFailure": null,
                          %s, %s, %s}},
                         "groups": {}}
                        """.formatted(EXACT_BACKOFF, DEFAULT_BREAKER, ALONE)));
    }

    @Test
    void oneServiceIsShownWithItsRecentEventsOldestFirst() {
        this.supervisor.lifecycle("marketDataFeed", DirectSupervisor.exact().build());
        this.supervisor.advance(Duration.ofSeconds(2));
        this.supervisor.fail("marketDataFeed", new ConnectException("Connection refused"));

        this.runner.run(context -> assertThat(get(context, "/actuator/supervisor/marketDataFeed"))
                .hasStatusOk()
                .bodyJson()
                .isStrictlyEqualTo("""
                        {"name": "marketDataFeed", "kind": "lifecycle", "state": "BACKING_OFF",
                          "restartPolicy": "on-failure", "attempt": 1, "recentFailures": 1, "failures": 1,
                          "restarts": 0, "circuit": "closed", "startedAt": "2026-11-27T10:15:30.120Z",
                          "nextRestartAt": "2026-11-27T10:15:32.220Z",
                          "lastFailure": {"at": "2026-11-27T10:15:32.120Z", "exception": "java.net.ConnectException",
                            "message": "Connection refused"},
                          %s, %s, %s,
                          "events": [
                            {"at": "2026-11-27T10:15:30.120Z", "type": "registered", "detail": "lifecycle"},
                            {"at": "2026-11-27T10:15:30.120Z", "type": "started", "detail": ""},
                            {"at": "2026-11-27T10:15:32.120Z", "type": "failed",
                              "detail": "java.net.ConnectException: Connection refused"},
                            {"at": "2026-11-27T10:15:32.120Z", "type": "restart-scheduled",
                              "detail": "in 100ms (backoff)"}]}
                        """.formatted(EXACT_BACKOFF, DEFAULT_BREAKER, ALONE)));
    }

    @Test
    void theEventsShownAreBoundedByTheHistorySize() {
        DirectSupervisor small = new DirectSupervisor(3);
        failThreeTimes(small, "marketDataFeed");

        runner(small)
                .run(context -> assertThat(get(context, "/actuator/supervisor/marketDataFeed"))
                        .hasStatusOk()
                        .bodyJson()
                        .extractingPath("$.events")
                        .isEqualTo(List.of(
                                Map.of("at", "2026-11-27T10:15:33.420Z", "type", "started", "detail", ""),
                                Map.of(
                                        "at",
                                        "2026-11-27T10:15:34.420Z",
                                        "type",
                                        "failed",
                                        "detail",
                                        "java.net.ConnectException: Connection refused"),
                                Map.of(
                                        "at",
                                        "2026-11-27T10:15:34.420Z",
                                        "type",
                                        "restart-scheduled",
                                        "detail",
                                        "in 400ms (backoff)"))));
    }

    @Test
    void aHugeExceptionMessageIsCutTo500Characters() {
        this.supervisor.lifecycle("marketDataFeed", DirectSupervisor.exact().build());
        this.supervisor.fail("marketDataFeed", new IllegalStateException("x".repeat(100_000)));

        this.runner.run(context -> {
            MvcTestResult result = get(context, "/actuator/supervisor/marketDataFeed");

            assertThat(result)
                    .hasStatusOk()
                    .bodyJson()
                    .extractingPath("$.lastFailure.message")
                    .isEqualTo("x".repeat(497) + "...");
            assertThat(result)
                    .bodyJson()
                    .extractingPath("$.events[2].detail")
                    .asString()
                    .hasSize(500)
                    .startsWith("java.lang.IllegalStateException: xxx")
                    .endsWith("x...");
            assertThat(body(result)).hasSizeLessThan(5_000);
        });
    }

    @Test
    void aServiceShowsItsGroupAndWhatItDependsOnAndTheListShowsEveryGroup() {
        this.supervisor.lifecycle("marketDataFeed", DirectSupervisor.exact().build());
        this.supervisor.lifecycle("pricingEngine", DirectSupervisor.exact().build());
        this.supervisor.lifecycle("orderGateway", DirectSupervisor.exact().build());
        ServiceTopology topology = ServiceTopology.builder()
                .group("trading", GroupStrategy.REST_FOR_ONE, List.of("marketDataFeed", "pricingEngine"))
                .dependsOn("pricingEngine", List.of("marketDataFeed"))
                .dependsOn("orderGateway", List.of("pricingEngine", "marketDataFeed"))
                .build();

        this.runner.run(context -> {
            // Given after the context's start, which gives the (empty) topology of the context's own beans.
            this.supervisor.engine.useTopology(topology);
            MvcTestResult result = get(context, "/actuator/supervisor");

            assertThat(result)
                    .bodyJson()
                    .extractingPath("$.groups")
                    .isEqualTo(Map.of(
                            "trading",
                            Map.of("strategy", "rest-for-one", "members", List.of("marketDataFeed", "pricingEngine"))));
            assertThat(result)
                    .bodyJson()
                    .extractingPath("$.services.pricingEngine.group")
                    .isEqualTo("trading");
            assertThat(result)
                    .bodyJson()
                    .extractingPath("$.services.pricingEngine.dependsOn")
                    .isEqualTo(List.of("marketDataFeed"));
            assertThat(result)
                    .bodyJson()
                    .extractingPath("$.services.orderGateway.dependsOn")
                    .as("direct dependencies, sorted")
                    .isEqualTo(List.of("marketDataFeed", "pricingEngine"));
            assertThat(result)
                    .bodyJson()
                    .extractingPath("$.services.orderGateway.group")
                    .isNull();
            assertThat(result)
                    .bodyJson()
                    .extractingPath("$.services.pricingEngine.waitingFor")
                    .isNull();
            assertThat(get(context, "/actuator/supervisor/pricingEngine"))
                    .bodyJson()
                    .extractingPath("$.group")
                    .isEqualTo("trading");
        });
    }

    @Test
    void anUnknownServiceIsNotFound() {
        this.runner.run(context -> {
            assertThat(get(context, "/actuator/supervisor/nobody")).hasStatus(HttpStatus.NOT_FOUND);
            assertThat(post(context, "/actuator/supervisor/nobody", "{\"action\": \"restart\"}"))
                    .hasStatus(HttpStatus.NOT_FOUND);
            assertThat(post(context, "/actuator/supervisor/nobody", "{\"action\": \"jump\"}"))
                    .as("an unknown name is reported before a bad action")
                    .hasStatus(HttpStatus.NOT_FOUND);
        });
    }

    @Test
    void anUnknownOrMissingActionIsABadRequestListingTheValidActions() {
        FakeLifecycle gateway = this.supervisor.lifecycle(
                "orderGateway", DirectSupervisor.exact().build());

        this.runner.run(context -> {
            assertThat(post(context, "/actuator/supervisor/orderGateway", "{\"action\": \"jump\"}"))
                    .hasStatus(HttpStatus.BAD_REQUEST)
                    .bodyJson()
                    .isStrictlyEqualTo("""
                            {"status": 400, "error": "Bad Request",
                             "message": "'action' must be one of restart, stop, start, reset, yield but was 'jump'"}
                            """);
            assertThat(post(context, "/actuator/supervisor/orderGateway", "{}"))
                    .hasStatus(HttpStatus.BAD_REQUEST)
                    .bodyJson()
                    .extractingPath("$.message")
                    .isEqualTo("'action' is missing; it must be one of restart, stop, start, reset, yield");
            assertThat(post(context, "/actuator/supervisor/orderGateway", "{\"action\": \" \"}"))
                    .hasStatus(HttpStatus.BAD_REQUEST);
            assertThat(gateway.starts()).isEqualTo(1);
            assertThat(this.supervisor.snapshot("orderGateway").restarts()).isZero();
        });
    }

    @Test
    void restartAnswersWithTheServiceRunningAgainCountedAsARestartNotAFailure() {
        FakeLifecycle gateway = this.supervisor.lifecycle(
                "orderGateway", DirectSupervisor.exact().build());
        this.supervisor.advance(Duration.ofSeconds(1));

        this.runner.run(context -> {
            assertThat(post(context, "/actuator/supervisor/orderGateway", "{\"action\": \"restart\"}"))
                    .hasStatusOk()
                    .bodyJson()
                    .isStrictlyEqualTo("""
                            {"name": "orderGateway", "kind": "lifecycle", "state": "RUNNING",
                              "restartPolicy": "on-failure", "attempt": 0, "recentFailures": 0, "failures": 0,
                              "restarts": 1, "circuit": "closed", "startedAt": "2026-11-27T10:15:31.120Z",
                              "nextRestartAt": null, "lastFailure": null, %s, %s, %s}
                            """.formatted(EXACT_BACKOFF, DEFAULT_BREAKER, ALONE));
            assertThat(gateway.starts()).isEqualTo(2);
        });
    }

    @Test
    void stopAnswersWithTheServiceStoppedAndStartStartsItAgain() {
        FakeLifecycle gateway = this.supervisor.lifecycle(
                "orderGateway", DirectSupervisor.exact().build());

        this.runner.run(context -> {
            assertThat(post(context, "/actuator/supervisor/orderGateway", "{\"action\": \"stop\"}"))
                    .hasStatusOk()
                    .bodyJson()
                    .extractingPath("$.state")
                    .isEqualTo("STOPPED");
            assertThat(gateway.isRunning()).isFalse();

            assertThat(post(context, "/actuator/supervisor/orderGateway", "{\"action\": \"start\"}"))
                    .hasStatusOk()
                    .bodyJson()
                    .extractingPath("$.state")
                    .isEqualTo("RUNNING");
            assertThat(gateway.isRunning()).isTrue();
        });
    }

    @Test
    void startRestartsAFailedService() {
        this.supervisor.lifecycle(
                "ledger",
                DirectSupervisor.exact().restartPolicy(RestartPolicy.NEVER).build());
        this.supervisor.fail("ledger", new IllegalStateException("ledger closed"));

        this.runner.run(context -> assertThat(post(context, "/actuator/supervisor/ledger", "{\"action\": \"start\"}"))
                .hasStatusOk()
                .bodyJson()
                .extractingPath("$.state")
                .isEqualTo("RUNNING"));
    }

    @Test
    void resetClosesAnOpenCircuitClearsTheHistoryAndStartsTheService() {
        this.supervisor.lifecycle("quoteStream", DirectSupervisor.breaker(1).build());
        this.supervisor.fail("quoteStream", new ConnectException("Connection refused"));
        assertThat(this.supervisor.snapshot("quoteStream").state()).isEqualTo(ServiceState.CIRCUIT_OPEN);

        this.runner.run(
                context -> assertThat(post(context, "/actuator/supervisor/quoteStream", "{\"action\": \"reset\"}"))
                        .hasStatusOk()
                        .bodyJson()
                        .isStrictlyEqualTo("""
                        {"name": "quoteStream", "kind": "lifecycle", "state": "RUNNING",
                          "restartPolicy": "on-failure", "attempt": 0, "recentFailures": 0, "failures": 1,
                          "restarts": 0, "circuit": "closed", "startedAt": "2026-11-27T10:15:30.120Z",
                          "nextRestartAt": null,
                          "lastFailure": {"at": "2026-11-27T10:15:30.120Z", "exception": "java.net.ConnectException",
                            "message": "Connection refused"},
                          %s,
                          "circuitBreaker": {"maxFailures": 1, "window": "PT10M", "onOpen": "stop",
                            "openDuration": "PT5M"}, %s}
                        """.formatted(EXACT_BACKOFF, ALONE)));
    }

    @Test
    void anActionIsReadCaseInsensitively() {
        this.supervisor.lifecycle("orderGateway", DirectSupervisor.exact().build());

        this.runner.run(
                context -> assertThat(post(context, "/actuator/supervisor/orderGateway", "{\"action\": \"STOP\"}"))
                        .hasStatusOk()
                        .bodyJson()
                        .extractingPath("$.state")
                        .isEqualTo("STOPPED"));
    }

    @Test
    void readOnlyAccessRefusesEveryPostButStillShowsTheServices() {
        FakeLifecycle gateway = this.supervisor.lifecycle(
                "orderGateway", DirectSupervisor.exact().build());

        this.runner
                .withPropertyValues("management.endpoint.supervisor.access=read-only")
                .run(context -> {
                    assertThat(get(context, "/actuator/supervisor/orderGateway"))
                            .hasStatusOk();
                    for (String action : new String[] {"restart", "stop", "start", "reset"}) {
                        assertThat(post(
                                        context,
                                        "/actuator/supervisor/orderGateway",
                                        "{\"action\": \"" + action + "\"}"))
                                .as(action)
                                .hasStatus(HttpStatus.METHOD_NOT_ALLOWED);
                    }
                    assertThat(gateway.starts()).isEqualTo(1);
                    assertThat(this.supervisor.snapshot("orderGateway").state()).isEqualTo(ServiceState.RUNNING);
                });
    }

    @Test
    void accessNoneRemovesTheEndpoint() {
        this.supervisor.lifecycle("orderGateway", DirectSupervisor.exact().build());

        this.runner
                .withPropertyValues("management.endpoint.supervisor.access=none")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(SupervisorEndpoint.class);
                    assertThat(get(context, "/actuator/supervisor")).hasStatus(HttpStatus.NOT_FOUND);
                });
    }

    @Test
    void theHealthContributorIsServedUnderItsNameWithEveryServiceState() {
        this.supervisor.lifecycle("orderGateway", DirectSupervisor.exact().build());
        this.supervisor.lifecycle("quoteStream", DirectSupervisor.breaker(1).build());

        this.runner.run(context -> {
            assertThat(get(context, "/actuator/health/supervisor"))
                    .hasStatusOk()
                    .bodyJson()
                    .isStrictlyEqualTo("""
                            {"status": "UP", "details": {"services": {"orderGateway": "RUNNING", "quoteStream": "RUNNING"}}}
                            """);

            this.supervisor.fail("quoteStream", new ConnectException("Connection refused"));

            assertThat(get(context, "/actuator/health/supervisor"))
                    .hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
                    .bodyJson()
                    .isStrictlyEqualTo("""
                            {"status": "DOWN",
                             "details": {"services": {"orderGateway": "RUNNING", "quoteStream": "CIRCUIT_OPEN"}}}
                            """);
        });
    }

    @Test
    void aLivenessGroupWithTheSupervisorGoesDownWhileACircuitIsOpenAndUpWhenItIsReset() {
        this.supervisor.lifecycle("quoteStream", DirectSupervisor.breaker(1).build());

        this.runner
                .withPropertyValues("management.endpoint.health.group.liveness.include=livenessState,supervisor")
                .run(context -> {
                    AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
                    assertThat(get(context, "/actuator/health/liveness")).hasStatusOk();

                    this.supervisor.fail("quoteStream", new ConnectException("Connection refused"));
                    assertThat(get(context, "/actuator/health/liveness"))
                            .hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
                            .bodyJson()
                            .extractingPath("$.status")
                            .isEqualTo("DOWN");

                    this.supervisor.engine.reset("quoteStream");
                    assertThat(get(context, "/actuator/health/liveness"))
                            .hasStatusOk()
                            .bodyJson()
                            .extractingPath("$.status")
                            .isEqualTo("UP");
                });
    }

    @Test
    void aLivenessGroupWithSupervisorLivenessStaysUpWhileACircuitWillProbeByItself() {
        openHalfOpenCircuit();

        this.runner
                .withPropertyValues(
                        "management.endpoint.health.group.liveness.include=livenessState,supervisorLiveness")
                .run(context -> {
                    AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
                    assertThat(get(context, "/actuator/health/supervisor")).hasStatus(HttpStatus.SERVICE_UNAVAILABLE);
                    assertThat(get(context, "/actuator/health/liveness"))
                            .hasStatusOk()
                            .bodyJson()
                            .extractingPath("$.status")
                            .isEqualTo("UP");
                });
    }

    @Test
    void whatMakesSupervisorLivenessDownIsASetting() {
        openHalfOpenCircuit();

        this.runner
                .withPropertyValues(
                        "management.endpoint.health.group.liveness.include=livenessState,supervisorLiveness",
                        "rustrade.supervisor.health.liveness.down-when=failed,circuit-probing")
                .run(context -> {
                    AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
                    assertThat(get(context, "/actuator/health/liveness"))
                            .hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
                            .bodyJson()
                            .extractingPath("$.components.supervisorLiveness.details.down.reconciler")
                            .isEqualTo("CIRCUIT_OPEN");
                });
    }

    /** A service whose circuit opened at its first failure and will probe again by itself. */
    private void openHalfOpenCircuit() {
        this.supervisor.lifecycle(
                "reconciler",
                DirectSupervisor.exact()
                        .circuitBreaker(io.rustrade.supervisor.core.CircuitBreakerPolicy.builder()
                                .maxFailures(1)
                                .onOpen(io.rustrade.supervisor.CircuitOpenAction.HALF_OPEN)
                                .build())
                        .build());
        this.supervisor.fail("reconciler", new ConnectException("Connection refused"));
    }

    /**
     * From t0 = 10:15:30.120: runs 2s, fails; restarts after 100ms, runs 1s, fails; restarts after 200ms,
     * runs 1s, fails at 10:15:34.420 and waits 400ms.
     */
    private void failThreeTimes(String name) {
        failThreeTimes(this.supervisor, name);
    }

    private static void failThreeTimes(DirectSupervisor supervisor, String name) {
        supervisor.lifecycle(name, DirectSupervisor.exact().build());
        supervisor.advance(Duration.ofSeconds(2));
        supervisor.fail(name, new ConnectException("Connection refused"));
        supervisor.advance(Duration.ofMillis(100));
        supervisor.advance(Duration.ofSeconds(1));
        supervisor.fail(name, new ConnectException("Connection refused"));
        supervisor.advance(Duration.ofMillis(200));
        supervisor.advance(Duration.ofSeconds(1));
        supervisor.fail(name, new ConnectException("Connection refused"));
    }

    private static MvcTestResult get(AssertableWebApplicationContext context, String uri) {
        return MockMvcTester.from(context).get().uri(uri).exchange();
    }

    private static MvcTestResult post(AssertableWebApplicationContext context, String uri, String body) {
        return MockMvcTester.from(context)
                .post()
                .uri(uri)
                .contentType(MediaType.APPLICATION_JSON)
                .content(body)
                .exchange();
    }

    private static String body(MvcTestResult result) throws UnsupportedEncodingException {
        return result.getResponse().getContentAsString();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class TestApplication {}
}
