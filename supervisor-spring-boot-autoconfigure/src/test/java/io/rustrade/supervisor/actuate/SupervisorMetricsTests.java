package io.rustrade.supervisor.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.SupervisedService;
import io.rustrade.supervisor.core.ServiceOptions;
import io.rustrade.supervisor.testing.FakeLifecycle;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The supervisor's meters (SPEC §10), on virtual time. */
class SupervisorMetricsTests {

    /** The uptime timer, one state gauge per state, three other gauges and three counters. */
    private static final int METERS_PER_SERVICE = 1 + ServiceState.values().length + 6;

    private final DirectSupervisor supervisor = new DirectSupervisor();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private final SupervisorMetrics metrics = new SupervisorMetrics(this.supervisor.engine);

    @Test
    void everyMeterOfAServiceIsRegisteredAtZeroWhenTheServiceIsRegistered() {
        this.metrics.bindTo(this.registry);

        this.supervisor.engine.registerBean(
                "marketDataFeed", new FakeLifecycle(), DirectSupervisor.exact().build());

        assertThat(value("rustrade.supervisor.attempt", "marketDataFeed")).isZero();
        assertThat(value("rustrade.supervisor.failures.recent", "marketDataFeed"))
                .isZero();
        assertThat(value("rustrade.supervisor.backoff.delay", "marketDataFeed")).isZero();
        assertThat(value("rustrade.supervisor.failures", "marketDataFeed")).isZero();
        assertThat(value("rustrade.supervisor.restarts", "marketDataFeed")).isZero();
        assertThat(value("rustrade.supervisor.circuit.opened", "marketDataFeed"))
                .isZero();
        assertThat(uptime("marketDataFeed").count()).isZero();
        assertThat(states("marketDataFeed")).containsOnlyKeys(allStates()).containsEntry("stopped", 1.0);
        assertThat(states("marketDataFeed").values()).containsOnly(0.0, 1.0).containsOnlyOnce(1.0);
    }

    @Test
    void theStateGaugeIsOneForTheCurrentStateAndZeroForTheOthers() {
        this.metrics.bindTo(this.registry);
        this.supervisor.lifecycle("marketDataFeed", DirectSupervisor.exact().build());
        assertThat(oneStates("marketDataFeed")).containsExactly("running");

        this.supervisor.fail("marketDataFeed", new ConnectException("Connection refused"));
        assertThat(oneStates("marketDataFeed")).containsExactly("backing_off");

        this.supervisor.engine.stop("marketDataFeed");
        assertThat(oneStates("marketDataFeed")).containsExactly("stopped");
    }

    @Test
    void theGaugesFollowAttemptRecentFailuresAndTheLastScheduledDelay() {
        this.metrics.bindTo(this.registry);
        this.supervisor.lifecycle("marketDataFeed", DirectSupervisor.exact().build());

        failAndRestart("marketDataFeed");
        this.supervisor.fail("marketDataFeed", new ConnectException("Connection refused"));

        assertThat(value("rustrade.supervisor.attempt", "marketDataFeed")).isEqualTo(2);
        assertThat(value("rustrade.supervisor.failures.recent", "marketDataFeed"))
                .isEqualTo(2);
        assertThat(value("rustrade.supervisor.backoff.delay", "marketDataFeed")).isEqualTo(0.2);
        assertThat(this.registry
                        .get("rustrade.supervisor.backoff.delay")
                        .gauge()
                        .getId()
                        .getBaseUnit())
                .isEqualTo("seconds");
    }

    @Test
    void theCountersCountFailuresRestartsAndCircuitOpenings() {
        this.metrics.bindTo(this.registry);
        this.supervisor.lifecycle("quoteStream", DirectSupervisor.breaker(2).build());

        failAndRestart("quoteStream");
        this.supervisor.fail("quoteStream", new ConnectException("Connection refused"));
        assertThat(this.supervisor.snapshot("quoteStream").state()).isEqualTo(ServiceState.CIRCUIT_OPEN);
        this.supervisor.engine.reset("quoteStream");
        this.supervisor.engine.restart("quoteStream");

        assertThat(value("rustrade.supervisor.failures", "quoteStream")).isEqualTo(2);
        assertThat(value("rustrade.supervisor.restarts", "quoteStream"))
                .as("one after backoff, one on command")
                .isEqualTo(2);
        assertThat(value("rustrade.supervisor.circuit.opened", "quoteStream")).isEqualTo(1);
        assertThat(this.registry.get("rustrade.supervisor.failures").functionCounter())
                .isNotNull();
    }

    @Test
    void uptimeRecordsTheLengthOfEachRunWhenItEnds() {
        this.metrics.bindTo(this.registry);
        this.supervisor.lifecycle("marketDataFeed", DirectSupervisor.exact().build());
        this.supervisor.advance(Duration.ofSeconds(3));
        this.supervisor.fail("marketDataFeed", new ConnectException("Connection refused"));
        assertThat(uptime("marketDataFeed").count()).isEqualTo(1);

        this.supervisor.advance(Duration.ofMillis(100));
        assertThat(uptime("marketDataFeed").count())
                .as("the restarted run has not ended")
                .isEqualTo(1);
        this.supervisor.advance(Duration.ofSeconds(5));
        this.supervisor.engine.stop("marketDataFeed");

        assertThat(uptime("marketDataFeed").count()).isEqualTo(2);
        assertThat(uptime("marketDataFeed").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(8_000);
        assertThat(uptime("marketDataFeed").max(TimeUnit.MILLISECONDS)).isEqualTo(5_000);
    }

    @Test
    void activeServicesAreThoseStartingRunningOrBackingOffWithoutAServiceTag() {
        this.metrics.bindTo(this.registry);
        this.supervisor.lifecycle("marketDataFeed", DirectSupervisor.exact().build());
        this.supervisor.lifecycle("orderGateway", DirectSupervisor.exact().build());
        this.supervisor.lifecycle("ledger", DirectSupervisor.exact().build());
        assertThat(active()).isEqualTo(3);

        this.supervisor.fail("marketDataFeed", new ConnectException("Connection refused"));
        this.supervisor.engine.stop("ledger");

        assertThat(active()).isEqualTo(2);
        assertThat(this.registry
                        .get("rustrade.supervisor.services.active")
                        .gauge()
                        .getId()
                        .getTags())
                .isEmpty();
    }

    @Test
    void theMetersOfAnUnregisteredServiceAreRemoved() {
        this.metrics.bindTo(this.registry);
        SupervisedService report = cancellation -> {};
        this.supervisor.engine.register(
                "nightlyReport", report, DirectSupervisor.exact().build());
        this.supervisor.lifecycle("orderGateway", DirectSupervisor.exact().build());
        assertThat(metersOf("nightlyReport")).hasSize(METERS_PER_SERVICE);

        this.supervisor.engine.unregister("nightlyReport");

        assertThat(metersOf("nightlyReport")).isEmpty();
        assertThat(metersOf("orderGateway")).hasSize(METERS_PER_SERVICE);
    }

    @Test
    void aServiceRegisteredAgainUnderTheSameNameBeforeTheOldOneStoppedGetsFreshMeters() {
        // Run loops that never run: a stop waits for the stop-timeout, on virtual time.
        DirectSupervisor slow = new DirectSupervisor(10, (name, run) -> {});
        SupervisorMetrics metrics = new SupervisorMetrics(slow.engine);
        metrics.bindTo(this.registry);
        ServiceOptions options = DirectSupervisor.exact().build();
        slow.engine.register("poller", cancellation -> {}, options);
        slow.engine.reportFailure("poller", new ConnectException("Connection refused"));

        slow.engine.unregister("poller");
        slow.engine.register("poller", cancellation -> {}, options);
        slow.advance(options.stopTimeout());

        assertThat(oneStates("poller")).containsExactly("running");
        assertThat(value("rustrade.supervisor.failures", "poller")).isZero();
        assertThat(value("rustrade.supervisor.backoff.delay", "poller"))
                .as("the old service's delay is not carried over")
                .isZero();
    }

    @Test
    void servicesRegisteredBeforeTheBinderWasCreatedOrBoundAreMeasured() {
        DirectSupervisor early = new DirectSupervisor();
        early.lifecycle("marketDataFeed", DirectSupervisor.exact().build());
        SupervisorMetrics metrics = new SupervisorMetrics(early.engine);
        early.lifecycle("orderGateway", DirectSupervisor.exact().build());

        metrics.bindTo(this.registry);

        assertThat(oneStates("marketDataFeed")).containsExactly("running");
        assertThat(oneStates("orderGateway")).containsExactly("running");
    }

    @Test
    void everyBoundRegistryGetsTheMetersAndLosesThemOnUnregistration() {
        SimpleMeterRegistry other = new SimpleMeterRegistry();
        this.metrics.bindTo(this.registry);
        this.metrics.bindTo(other);

        this.supervisor.engine.register(
                "nightlyReport", cancellation -> {}, DirectSupervisor.exact().build());
        assertThat(other.find("rustrade.supervisor.uptime")
                        .tag("service", "nightlyReport")
                        .timer())
                .isNotNull();
        assertThat(uptime("nightlyReport").count()).isEqualTo(1);
        assertThat(other.get("rustrade.supervisor.uptime").timer().count()).isEqualTo(1);

        this.supervisor.engine.unregister("nightlyReport");

        assertThat(other.find("rustrade.supervisor.uptime").meters()).isEmpty();
        assertThat(this.registry.find("rustrade.supervisor.uptime").meters()).isEmpty();
    }

    @Test
    void metersDeniedByAFilterStayAbsentWhileTheOthersKeepWorkingAndAreRemovedOnUnregistration() {
        this.registry.config().meterFilter(MeterFilter.denyNameStartsWith("rustrade.supervisor.state"));
        this.metrics.bindTo(this.registry);
        this.supervisor.engine.register(
                "nightlyReport", cancellation -> {}, DirectSupervisor.exact().build());

        assertThat(this.registry.find("rustrade.supervisor.state").meters()).isEmpty();
        assertThat(metersOf("nightlyReport")).hasSize(7);
        assertThat(uptime("nightlyReport").count()).isEqualTo(1);

        this.supervisor.engine.unregister("nightlyReport");

        assertThat(metersOf("nightlyReport")).isEmpty();
    }

    @Test
    void aDeniedUptimeTimerLeavesTheOtherMetersWorking() {
        this.registry.config().meterFilter(MeterFilter.denyNameStartsWith("rustrade.supervisor.uptime"));
        this.metrics.bindTo(this.registry);
        this.supervisor.lifecycle("marketDataFeed", DirectSupervisor.exact().build());

        failAndRestart("marketDataFeed");

        assertThat(this.registry.find("rustrade.supervisor.uptime").meters()).isEmpty();
        assertThat(value("rustrade.supervisor.failures", "marketDataFeed")).isEqualTo(1);
        assertThat(metersOf("marketDataFeed")).hasSize(METERS_PER_SERVICE - 1);
    }

    @Test
    void aPrometheusScrapeShowsTheRestartCounterAndTheStateGauges() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.metrics.bindTo(prometheus);
        this.supervisor.lifecycle("marketDataFeed", DirectSupervisor.exact().build());
        failAndRestart("marketDataFeed");

        String scrape = prometheus.scrape();

        assertThat(scrape)
                .contains("rustrade_supervisor_restarts_total{service=\"marketDataFeed\"} 1.0")
                .contains("rustrade_supervisor_failures_total{service=\"marketDataFeed\"} 1.0")
                .contains("rustrade_supervisor_state{service=\"marketDataFeed\",state=\"running\"} 1.0")
                .contains("rustrade_supervisor_state{service=\"marketDataFeed\",state=\"backing_off\"} 0.0")
                .contains("rustrade_supervisor_circuit_opened_total{service=\"marketDataFeed\"} 0.0")
                .contains("rustrade_supervisor_backoff_delay_seconds{service=\"marketDataFeed\"} 0.1")
                .contains("rustrade_supervisor_uptime_seconds_count{service=\"marketDataFeed\"} 1")
                .contains("rustrade_supervisor_services_active 1.0");
    }

    @Test
    void theSupervisorsOwnHealthIsMeasuredWithoutAServiceTag() {
        this.metrics.bindTo(this.registry);

        assertThat(this.registry
                        .get("rustrade.supervisor.calls.abandoned")
                        .gauge()
                        .value())
                .as("no call abandoned")
                .isZero();
        assertThat(this.registry
                        .get("rustrade.supervisor.events.dropped")
                        .functionCounter()
                        .count())
                .as("no event dropped")
                .isZero();
    }

    private void failAndRestart(String name) {
        this.supervisor.fail(name, new ConnectException("Connection refused"));
        this.supervisor.advance(this.supervisor.snapshot(name).backoff().baseDelay());
        assertThat(this.supervisor.snapshot(name).state()).isEqualTo(ServiceState.RUNNING);
    }

    @Test
    void aSingletonHasALeaderGaugeThatFollowsItsLeadershipAndAStandbyState() {
        this.metrics.bindTo(this.registry);
        this.supervisor.lifecycle(
                "orderGateway",
                DirectSupervisor.exact().singletonLock("lock.orderGateway").build());
        this.supervisor.lifecycle("marketDataFeed", DirectSupervisor.exact().build());
        assertThat(value("rustrade.supervisor.leader", "orderGateway")).isZero();
        assertThat(oneStates("orderGateway")).containsExactly("standby");

        this.supervisor.engine.leadershipGranted("orderGateway");
        assertThat(value("rustrade.supervisor.leader", "orderGateway")).isEqualTo(1.0);
        assertThat(oneStates("orderGateway")).containsExactly("running");

        this.supervisor.engine.leadershipRevoked("orderGateway", "lost");
        assertThat(value("rustrade.supervisor.leader", "orderGateway")).isZero();
        assertThat(oneStates("orderGateway")).containsExactly("standby");
        assertThat(this.registry
                        .find("rustrade.supervisor.leader")
                        .tag("service", "marketDataFeed")
                        .meter())
                .as("only singletons have one")
                .isNull();
        assertThat(metersOf("orderGateway")).hasSize(METERS_PER_SERVICE + 1);
    }

    private double value(String name, String service) {
        RequiredSearch search = this.registry.get(name).tag("service", service);
        Meter meter = search.meter();
        return meter.measure().iterator().next().getValue();
    }

    private Timer uptime(String service) {
        return this.registry
                .get("rustrade.supervisor.uptime")
                .tag("service", service)
                .timer();
    }

    private double active() {
        return this.registry.get("rustrade.supervisor.services.active").gauge().value();
    }

    private Map<String, Double> states(String service) {
        return this.registry.get("rustrade.supervisor.state").tag("service", service).gauges().stream()
                .collect(Collectors.toMap(gauge -> gauge.getId().getTag("state"), gauge -> gauge.value()));
    }

    private List<String> oneStates(String service) {
        return states(service).entrySet().stream()
                .filter(entry -> entry.getValue() == 1.0)
                .map(Map.Entry::getKey)
                .toList();
    }

    private List<Meter> metersOf(String service) {
        return this.registry.getMeters().stream()
                .filter(meter -> service.equals(meter.getId().getTag("service")))
                .toList();
    }

    private static String[] allStates() {
        return Arrays.stream(ServiceState.values())
                .map(state -> state.name().toLowerCase(Locale.ROOT))
                .toArray(String[]::new);
    }
}
