package io.rustrade.supervisor.actuate;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.noop.NoopMeter;
import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.core.ObservableSupervisor;
import io.rustrade.supervisor.core.SupervisionEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
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
 * and, without a {@code service} tag: {@code rustrade.supervisor.services.active} (gauge): services {@code
 * STARTING}, {@code RUNNING} or {@code BACKING_OFF}; {@code rustrade.supervisor.calls.abandoned} (gauge):
 * calls into services abandoned after their timeout that have not returned yet, each holding a thread;
 * {@code rustrade.supervisor.events.dropped} (counter): events dropped because the supervisor's
 * listeners were too far behind.
 *
 * <p>A service's meters are registered, at zero, when it is registered — so that an alert on its first
 * restart can be written — and removed when it is unregistered. Gauges and counters read the service's
 * latest snapshot when they are measured and hold their state object only weakly; the circuit openings
 * and the last delay are counted from the supervisor's events, from the moment this binder is created; it
 * listens as one of the supervisor's internal listeners, so a blocked application listener does not hold
 * them up.
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

    private static final String LEADER = PREFIX + "leader";

    /** The {@code state} tag of each state, indexed by ordinal: one instance shared by every service. */
    private static final Tag[] STATE_TAGS = java.util.Arrays.stream(ServiceState.values())
            .map(state -> Tag.of("state", state.name().toLowerCase(Locale.ROOT)))
            .toArray(Tag[]::new);

    private final ObservableSupervisor supervisor;

    /** The services measured, by name; guarded by {@code this}. */
    private final Map<String, ServiceMeters> services = new HashMap<>();

    /** The registries bound to; guarded by {@code this}. */
    private final List<MeterRegistry> registries = new ArrayList<>();

    /**
     * Starts following the supervisor's services; meters are registered once the binder is bound to a
     * registry.
     */
    public SupervisorMetrics(ObservableSupervisor supervisor) {
        this.supervisor = Objects.requireNonNull(supervisor, "supervisor must not be null");
        // Keeps books only: delivered apart from the application's listeners, so that none of them,
        // blocked, can freeze the meters.
        supervisor.addInternalListener(this::onEvent);
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
        Gauge.builder(PREFIX + "services.active", this.supervisor, ObservableSupervisor::activeServices)
                .description("Supervised services starting, running or backing off")
                .register(registry);
        Gauge.builder(PREFIX + "calls.abandoned", this.supervisor, ObservableSupervisor::abandonedCalls)
                .description("Calls into services abandoned after their timeout that have not returned yet;"
                        + " each holds a thread")
                .register(registry);
        FunctionCounter.builder(PREFIX + "events.dropped", this.supervisor, ObservableSupervisor::droppedEvents)
                .description("Supervision events dropped because listeners were too far behind")
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
                    service -> service.lastDelayNanos = scheduled.delay().toNanos());
        } else if (event instanceof SupervisionEvent.CircuitOpened) {
            // Events arrive on one thread: the increment needs no atomicity.
            with(event.service(), service -> service.circuitOpenings++);
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

    private synchronized void recordRun(String name, Duration runTime) {
        ServiceMeters service = this.services.get(name);
        if (runTime != null && service != null) {
            service.recordRun(runTime);
        }
    }

    /**
     * The meters of one service, and the counts its snapshot does not hold. Its meters reference it only
     * weakly: once removed from the binder it can be collected with them.
     *
     * <p>Kept small on purpose, since an application may supervise thousands of services: the value
     * functions and the {@code state} tags are shared by every service, each service's tag sets are built
     * once, and meters a registry denied (Micrometer's no-op meters) are not kept.
     */
    private static final class ServiceMeters {

        /** Where the {@code uptime} timer sits in a registry's array of meters. */
        private static final int UPTIME_INDEX = 0;

        private final ObservableSupervisor supervisor;

        private final String name;

        private final Tags tags;

        /** Written only by the supervisor's event thread (one writer), read by any. */
        private volatile long lastDelayNanos;

        private volatile long circuitOpenings;

        /** The meters registered in the first registry bound; guarded by the binder. */
        private MeterRegistry registry;

        private Meter[] meters;

        /** The meters registered in any further registry (rare); guarded by the binder. */
        private Map<MeterRegistry, Meter[]> otherRegistries;

        /** A cluster singleton, which has one more gauge: whether this instance leads it. */
        private final boolean singleton;

        ServiceMeters(ObservableSupervisor supervisor, String name) {
            this.supervisor = supervisor;
            this.name = name;
            this.tags = Tags.of("service", name);
            this.singleton =
                    supervisor.service(name).map(ServiceSnapshot::singleton).isPresent();
        }

        void register(MeterRegistry registry) {
            Meter[] registered = new Meter[METER_COUNT + (this.singleton ? 1 : 0)];
            registered[UPTIME_INDEX] = Timer.builder(UPTIME)
                    .description("Length of each run of the service, recorded when it ends")
                    .tags(this.tags)
                    .register(registry);
            int index = UPTIME_INDEX + 1;
            for (ServiceState state : ServiceState.values()) {
                registered[index++] = Gauge.builder(STATE, this, STATE_VALUES[state.ordinal()])
                        .description("1 for the service's current state, 0 for the others")
                        .tags(this.tags.and(STATE_TAGS[state.ordinal()]))
                        .register(registry);
            }
            registered[index++] = gauge(
                            ATTEMPT, "Consecutive failures of the service since the last reset", ATTEMPT_VALUE)
                    .register(registry);
            registered[index++] = gauge(
                            FAILURES_RECENT,
                            "Failures of the service inside the circuit-breaker window",
                            RECENT_FAILURES_VALUE)
                    .register(registry);
            registered[index++] = gauge(BACKOFF_DELAY, "The last restart delay scheduled for the service", DELAY_VALUE)
                    .baseUnit("seconds")
                    .register(registry);
            registered[index++] =
                    counter(FAILURES, "Failures of the service", FAILURES_VALUE).register(registry);
            registered[index++] = counter(
                            RESTARTS,
                            "Restarts of the service begun after a backoff, as a half-open probe or on command",
                            RESTARTS_VALUE)
                    .register(registry);
            registered[index++] = counter(CIRCUIT_OPENED, "Times the service's circuit opened", OPENINGS_VALUE)
                    .register(registry);
            if (this.singleton) {
                registered[index] = gauge(
                                LEADER, "1 while this instance leads the cluster singleton, else 0", LEADER_VALUE)
                        .register(registry);
            }
            Meter[] kept = withoutDenied(registered);
            if (this.registry == null) {
                this.registry = registry;
                this.meters = kept;
            } else {
                if (this.otherRegistries == null) {
                    this.otherRegistries = new IdentityHashMap<>(2);
                }
                this.otherRegistries.put(registry, kept);
            }
        }

        void remove(MeterRegistry registry) {
            Meter[] registered;
            if (registry == this.registry) {
                registered = this.meters;
                this.registry = null;
                this.meters = null;
            } else {
                registered = (this.otherRegistries != null) ? this.otherRegistries.remove(registry) : null;
            }
            if (registered != null) {
                for (Meter meter : registered) {
                    if (meter != null) {
                        registry.remove(meter);
                    }
                }
            }
        }

        /** Records a run's length in the uptime timer of every registry; guarded by the binder. */
        void recordRun(Duration runTime) {
            recordRun(this.meters, runTime);
            if (this.otherRegistries != null) {
                this.otherRegistries.values().forEach(meters -> recordRun(meters, runTime));
            }
        }

        private static void recordRun(Meter[] meters, Duration runTime) {
            if (meters != null && meters.length > UPTIME_INDEX && meters[UPTIME_INDEX] instanceof Timer timer) {
                timer.record(runTime);
            }
        }

        /**
         * The meters to keep, in order (so the uptime timer, when kept, stays first): a registry that denies
         * a meter hands back a no-op one, which needs no removal, and thousands of them would only hold
         * memory.
         */
        private static Meter[] withoutDenied(Meter[] registered) {
            return java.util.Arrays.stream(registered)
                    .filter(meter -> !(meter instanceof NoopMeter))
                    .toArray(Meter[]::new);
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

        private static final ToDoubleFunction<ServiceMeters> ATTEMPT_VALUE = snapshot(ServiceSnapshot::attempt);

        private static final ToDoubleFunction<ServiceMeters> RECENT_FAILURES_VALUE =
                snapshot(ServiceSnapshot::recentFailures);

        private static final ToDoubleFunction<ServiceMeters> FAILURES_VALUE = snapshot(ServiceSnapshot::failures);

        private static final ToDoubleFunction<ServiceMeters> RESTARTS_VALUE = snapshot(ServiceSnapshot::restarts);

        private static final ToDoubleFunction<ServiceMeters> DELAY_VALUE = service -> service.lastDelayNanos / 1e9;

        private static final ToDoubleFunction<ServiceMeters> OPENINGS_VALUE = service -> service.circuitOpenings;

        private static final ToDoubleFunction<ServiceMeters> LEADER_VALUE = snapshot(snapshot ->
                (snapshot.singleton() != null && snapshot.singleton().leader()) ? 1 : 0);

        /** The value of each state's gauge, indexed by ordinal: shared, not one lambda per service. */
        @SuppressWarnings("unchecked")
        private static final ToDoubleFunction<ServiceMeters>[] STATE_VALUES = java.util.Arrays.stream(
                        ServiceState.values())
                .map(state -> snapshot(snapshot -> (snapshot.state() == state) ? 1 : 0))
                .toArray(ToDoubleFunction[]::new);

        /** Every meter of a service: the timer, one gauge per state, three gauges and three counters. */
        private static final int METER_COUNT = 1 + ServiceState.values().length + 6;
    }
}
