package io.rustrade.supervisor.actuate;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.core.SupervisionEvent;
import io.rustrade.supervisor.core.SupervisorEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters of every supervised service, tagged {@code service} with its name:
 *
 * <ul>
 *   <li>{@code rustrade.supervisor.state} (gauge, extra tag {@code state}: the lower-case state name, such
 *       as {@code backing_off}): one gauge per state, 1 for the current state and 0 for the others;
 *   <li>{@code rustrade.supervisor.attempt} (gauge): consecutive failures since the last reset;
 *   <li>{@code rustrade.supervisor.failures.recent} (gauge): failures inside the circuit-breaker window;
 *   <li>{@code rustrade.supervisor.backoff.delay} (gauge, seconds): the last scheduled restart delay;
 *   <li>{@code rustrade.supervisor.failures} (counter): failures;
 *   <li>{@code rustrade.supervisor.restarts} (counter): restarts begun — after a backoff, as a half-open
 *       probe or on an operator's command;
 *   <li>{@code rustrade.supervisor.circuit.opened} (counter): times the circuit opened;
 *   <li>{@code rustrade.supervisor.uptime} (timer): the length of each run, recorded when it ends;
 * </ul>
 *
 * and {@code rustrade.supervisor.services.active} (gauge, no {@code service} tag): services {@code
 * STARTING}, {@code RUNNING} or {@code BACKING_OFF}.
 *
 * <p>A service's meters are registered, at zero, when it is registered — so that an alert on its first
 * restart can be written — and removed when it is unregistered. Gauges and counters read the service's
 * latest snapshot when they are measured and hold their state object only weakly; the circuit openings
 * and the last delay are counted from the supervisor's events, from the moment this binder is created.
 */
public class SupervisorMetrics implements MeterBinder {

    private static final String PREFIX = "rustrade.supervisor.";

    /** Meter names, built once: with thousands of services, one copy per service would add up. */
    private static final String STATE = PREFIX + "state";

    private static final String ATTEMPT = PREFIX + "attempt";

    private static final String FAILURES_RECENT = PREFIX + "failures.recent";

    private static final String BACKOFF_DELAY = PREFIX + "backoff.delay";

    private static final String FAILURES = PREFIX + "failures";

    private static final String RESTARTS = PREFIX + "restarts";

    private static final String CIRCUIT_OPENED = PREFIX + "circuit.opened";

    private static final String UPTIME = PREFIX + "uptime";

    /** The {@code state} tag value of each state, indexed by ordinal. */
    private static final String[] STATE_TAGS = java.util.Arrays.stream(ServiceState.values())
            .map(state -> state.name().toLowerCase(Locale.ROOT))
            .toArray(String[]::new);

    private final SupervisorEngine supervisor;

    /** The services measured, by name; guarded by {@code this}. */
    private final Map<String, ServiceMeters> services = new HashMap<>();

    /** The registries bound to; guarded by {@code this}. */
    private final List<MeterRegistry> registries = new ArrayList<>();

    /**
     * Starts following the supervisor's services; meters are registered once the binder is bound to a
     * registry.
     */
    public SupervisorMetrics(SupervisorEngine supervisor) {
        this.supervisor = Objects.requireNonNull(supervisor, "supervisor must not be null");
        supervisor.addListener(this::onEvent);
        for (ServiceSnapshot service : supervisor.services()) {
            add(service.name());
            if (supervisor.service(service.name()).isEmpty()) {
                // Unregistered meanwhile, and its event may have come first.
                remove(service.name());
            }
        }
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        if (this.registries.contains(registry)) {
            return;
        }
        this.registries.add(registry);
        Gauge.builder(PREFIX + "services.active", this.supervisor, SupervisorEngine::activeServices)
                .description("Supervised services starting, running or backing off")
                .register(registry);
        this.services.values().forEach(service -> service.register(registry));
    }

    private void onEvent(SupervisionEvent event) {
        if (event instanceof SupervisionEvent.Registered) {
            add(event.service());
        } else if (event instanceof SupervisionEvent.Unregistered) {
            remove(event.service());
            if (this.supervisor.service(event.service()).isPresent()) {
                // Registered again under the same name before the old service had stopped: fresh meters.
                add(event.service());
            }
        } else if (event instanceof SupervisionEvent.RestartScheduled scheduled) {
            with(
                    event.service(),
                    service -> service.lastDelayNanos.set(scheduled.delay().toNanos()));
        } else if (event instanceof SupervisionEvent.CircuitOpened) {
            with(event.service(), service -> service.circuitOpenings.incrementAndGet());
        } else if (event instanceof SupervisionEvent.Failed failed) {
            recordRun(event.service(), failed.runTime());
        } else if (event instanceof SupervisionEvent.Stopped stopped) {
            recordRun(event.service(), stopped.runTime());
        } else if (event instanceof SupervisionEvent.Completed completed) {
            recordRun(event.service(), completed.runTime());
        }
    }

    private synchronized void add(String name) {
        if (this.services.containsKey(name)) {
            return;
        }
        ServiceMeters service = new ServiceMeters(this.supervisor, name);
        this.services.put(name, service);
        this.registries.forEach(service::register);
    }

    private synchronized void remove(String name) {
        ServiceMeters service = this.services.remove(name);
        if (service != null) {
            this.registries.forEach(service::remove);
        }
    }

    private synchronized ServiceMeters find(String name) {
        return this.services.get(name);
    }

    private void with(String name, Consumer<ServiceMeters> action) {
        ServiceMeters service = find(name);
        if (service != null) {
            action.accept(service);
        }
    }

    private void recordRun(String name, Duration runTime) {
        if (runTime != null) {
            with(name, service -> service.timers.forEach(timer -> timer.record(runTime)));
        }
    }

    /**
     * The meters of one service, and the counts its snapshot does not hold. Its meters reference it only
     * weakly: once removed from the binder it can be collected with them.
     */
    private static final class ServiceMeters {

        private final SupervisorEngine supervisor;

        private final String name;

        private final Tags tags;

        private final AtomicLong lastDelayNanos = new AtomicLong();

        private final AtomicLong circuitOpenings = new AtomicLong();

        /** The meters registered in each registry; guarded by the binder. */
        private final Map<MeterRegistry, List<Meter>> meters = new IdentityHashMap<>();

        private final List<Timer> timers = new CopyOnWriteArrayList<>();

        ServiceMeters(SupervisorEngine supervisor, String name) {
            this.supervisor = supervisor;
            this.name = name;
            this.tags = Tags.of("service", name);
        }

        void register(MeterRegistry registry) {
            List<Meter> registered = new ArrayList<>();
            for (ServiceState state : ServiceState.values()) {
                registered.add(gauge(
                                STATE,
                                "1 for the service's current state, 0 for the others",
                                snapshot(snapshot -> (snapshot.state() == state) ? 1 : 0))
                        .tag("state", STATE_TAGS[state.ordinal()])
                        .register(registry));
            }
            registered.add(gauge(
                            ATTEMPT,
                            "Consecutive failures of the service since the last reset",
                            snapshot(ServiceSnapshot::attempt))
                    .register(registry));
            registered.add(gauge(
                            FAILURES_RECENT,
                            "Failures of the service inside the circuit-breaker window",
                            snapshot(ServiceSnapshot::recentFailures))
                    .register(registry));
            registered.add(gauge(
                            BACKOFF_DELAY,
                            "The last restart delay scheduled for the service",
                            service -> service.lastDelayNanos.get() / 1e9)
                    .baseUnit("seconds")
                    .register(registry));
            registered.add(counter(FAILURES, "Failures of the service", snapshot(ServiceSnapshot::failures))
                    .register(registry));
            registered.add(counter(
                            RESTARTS,
                            "Restarts of the service begun after a backoff, as a half-open probe or on command",
                            snapshot(ServiceSnapshot::restarts))
                    .register(registry));
            registered.add(counter(
                            CIRCUIT_OPENED,
                            "Times the service's circuit opened",
                            service -> service.circuitOpenings.get())
                    .register(registry));
            Timer uptime = Timer.builder(UPTIME)
                    .description("Length of each run of the service, recorded when it ends")
                    .tags(this.tags)
                    .register(registry);
            registered.add(uptime);
            this.timers.add(uptime);
            this.meters.put(registry, registered);
        }

        void remove(MeterRegistry registry) {
            List<Meter> registered = this.meters.remove(registry);
            if (registered != null) {
                registered.forEach(registry::remove);
                this.timers.removeAll(registered);
            }
        }

        private Gauge.Builder<ServiceMeters> gauge(
                String name, String description, ToDoubleFunction<ServiceMeters> value) {
            return Gauge.builder(name, this, value).description(description).tags(this.tags);
        }

        private FunctionCounter.Builder<ServiceMeters> counter(
                String name, String description, ToDoubleFunction<ServiceMeters> value) {
            return FunctionCounter.builder(name, this, value)
                    .description(description)
                    .tags(this.tags);
        }

        /** A value read from the service's latest snapshot; NaN once the service is gone. */
        private static ToDoubleFunction<ServiceMeters> snapshot(ToDoubleFunction<ServiceSnapshot> value) {
            return service -> service.supervisor
                    .service(service.name)
                    .map(value::applyAsDouble)
                    .orElse(Double.NaN);
        }
    }
}
