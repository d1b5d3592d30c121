package io.rustrade.supervisor.autoconfigure;

import io.rustrade.supervisor.core.BackoffPolicy;
import io.rustrade.supervisor.core.CircuitBreakerPolicy;
import io.rustrade.supervisor.core.ServiceOptions;
import io.rustrade.supervisor.core.SupervisorEngine;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The supervision options of every service, resolved from {@link SupervisorProperties} and validated
 * once, when the resolver is created.
 *
 * <p>The constructor checks the top-level values, then each {@code services.<name>} entry in order, and
 * throws {@link InvalidSupervisorPropertyException} for the first value that breaks a rule, naming the
 * full property. The rules are those of the core objects the values configure ({@link BackoffPolicy},
 * {@link CircuitBreakerPolicy}, {@link ServiceOptions}, {@link SupervisorEngine.Builder}), plus one of its
 * own: each {@code fatal-exceptions} entry must name a class that the given class loader can load and
 * that extends {@link Throwable}.
 *
 * <p>A {@code services.<name>} entry overrides the top-level values it sets, field by field. A value it
 * sets can conflict with one it inherits ({@code services.feed.backoff.base-delay=2m} with the top-level
 * {@code backoff.max-delay} of 60s); the failure is then reported under the service's property and names
 * the property the service set.
 */
public final class ServiceOptionsResolver {

    private final Duration watchdogInterval;

    private final int eventHistorySize;

    private final ServiceOptions defaults;

    private final Map<String, ServiceOptions> services;

    private final Set<String> disabled;

    private final boolean restartDependents;

    /** The {@code services.<name>.restart-dependents} values given; absent ones inherit the top level. */
    private final Map<String, Boolean> restartDependentsByService;

    private final ClassLoader classLoader;

    /** The services configured as cluster singletons ({@code services.<name>.singleton=true}), by name. */
    private final Set<String> singletons;

    private final SupervisorProperties.Cluster cluster;

    /**
     * Resolves and validates every value.
     *
     * @param properties the bound properties
     * @param classLoader loads the classes named in {@code fatal-exceptions}
     * @throws InvalidSupervisorPropertyException for the first value that breaks a rule
     */
    public ServiceOptionsResolver(SupervisorProperties properties, ClassLoader classLoader) {
        Objects.requireNonNull(properties, "properties must not be null");
        this.classLoader = Objects.requireNonNull(classLoader, "classLoader must not be null");
        PropertyScope topLevel = PropertyScope.topLevel();
        this.watchdogInterval = properties.getWatchdogInterval();
        this.eventHistorySize = properties.getEvents().getHistorySize();
        topLevel.build(
                "",
                () -> SupervisorEngine.builder()
                        .watchdogInterval(this.watchdogInterval)
                        .eventHistorySize(this.eventHistorySize));
        this.cluster = properties.getCluster();
        validateCluster(this.cluster, topLevel);
        this.defaults = overlay(ServiceOptions.defaults(), topLevelValues(properties), topLevel, null);
        Map<String, ServiceOptions> services = new LinkedHashMap<>();
        Set<String> disabled = new LinkedHashSet<>();
        Map<String, Boolean> restartDependentsByService = new LinkedHashMap<>();
        Set<String> singletons = new LinkedHashSet<>();
        properties.getServices().forEach((name, service) -> {
            boolean singleton = Boolean.TRUE.equals(service.getSingleton());
            String lock = singleton ? this.cluster.getLockPrefix() + name : null;
            services.put(name, overlay(this.defaults, service, topLevel.service(name), lock));
            if (singleton && !Boolean.FALSE.equals(service.getEnabled())) {
                singletons.add(name);
            }
            if (Boolean.FALSE.equals(service.getEnabled())) {
                disabled.add(name);
            }
            if (service.getRestartDependents() != null) {
                restartDependentsByService.put(name, service.getRestartDependents());
            }
        });
        this.services = Collections.unmodifiableMap(services);
        this.singletons = Collections.unmodifiableSet(singletons);
        this.disabled = Collections.unmodifiableSet(disabled);
        this.restartDependents = properties.isRestartDependents();
        this.restartDependentsByService = Collections.unmodifiableMap(restartDependentsByService);
    }

    /** The options of a service without a {@code services.<name>} entry: the top-level values. */
    public ServiceOptions defaults() {
        return this.defaults;
    }

    /** The options of a service: the top-level values, overridden by its {@code services.<name>} entry. */
    public ServiceOptions optionsFor(String serviceName) {
        return this.services.getOrDefault(serviceName, this.defaults);
    }

    /**
     * Whether {@code services.<name>.enabled} lets a service be supervised: {@code false} only when it is
     * set to {@code false}. The {@code include}/{@code exclude} globs are not considered here.
     */
    public boolean isEnabled(String serviceName) {
        return !this.disabled.contains(serviceName);
    }

    /**
     * Whether the services depending on a service go down with it and come back after it: its {@code
     * services.<name>.restart-dependents}, or the top-level {@code restart-dependents} when it sets none.
     */
    public boolean restartsDependents(String serviceName) {
        return this.restartDependentsByService.getOrDefault(serviceName, this.restartDependents);
    }

    /** The names of the {@code services.<name>} entries, in configuration order. */
    public Set<String> configuredServiceNames() {
        return this.services.keySet();
    }

    /**
     * The services that run on one instance of the application at a time ({@code
     * services.<name>.singleton=true}), in configuration order; a disabled service is not among them.
     */
    public Set<String> singletons() {
        return this.singletons;
    }

    /** How the singletons are elected: {@code cluster.*}, validated. */
    public SupervisorProperties.Cluster cluster() {
        return this.cluster;
    }

    /** How often running lifecycle services are polled; zero when polling is off. */
    public Duration watchdogInterval() {
        return this.watchdogInterval;
    }

    /** How many recent events are kept per service. */
    public int eventHistorySize() {
        return this.eventHistorySize;
    }

    /**
     * The cluster values, checked even when no service is a singleton: a wrong one is found before the day
     * a service becomes one.
     */
    private static void validateCluster(SupervisorProperties.Cluster cluster, PropertyScope scope) {
        if (cluster.getLockPrefix() == null) {
            throw new InvalidSupervisorPropertyException(scope.name("cluster.lock-prefix"), "null", "must be set");
        }
        Duration heartbeat = cluster.getHeartbeat();
        if (heartbeat == null || heartbeat.isNegative() || heartbeat.isZero()) {
            throw new InvalidSupervisorPropertyException(
                    scope.name("cluster.heartbeat"), PropertyScope.describe(heartbeat), "must be greater than 0");
        }
        Duration ttl = cluster.getLockTimeToLive();
        if (ttl == null || ttl.compareTo(heartbeat.multipliedBy(3)) < 0) {
            // The leader stops its singletons two heartbeats before its lock can expire: less than three
            // heartbeats would leave no renewal to miss.
            throw new InvalidSupervisorPropertyException(
                    scope.name("cluster.lock-time-to-live"),
                    PropertyScope.describe(ttl),
                    "must be at least three times 'rustrade.supervisor.cluster.heartbeat' ("
                            + PropertyScope.describe(heartbeat.multipliedBy(3)) + ")");
        }
    }

    private ServiceOptions overlay(
            ServiceOptions base, ServiceProperties values, PropertyScope scope, @Nullable String singletonLock) {
        BackoffPolicy.Builder backoff = base.backoff().toBuilder();
        ServiceProperties.Backoff backoffValues = values.getBackoff();
        scope.apply("backoff.base-delay", backoffValues.getBaseDelay(), backoff::baseDelay);
        scope.apply("backoff.max-delay", backoffValues.getMaxDelay(), backoff::maxDelay);
        scope.apply("backoff.jitter", backoffValues.getJitter(), backoff::jitter);
        scope.apply("backoff.cooldown-period", backoffValues.getCooldownPeriod(), backoff::cooldownPeriod);
        CircuitBreakerPolicy.Builder circuit = base.circuitBreaker().toBuilder();
        ServiceProperties.CircuitBreaker circuitValues = values.getCircuitBreaker();
        scope.apply("circuit-breaker.max-failures", circuitValues.getMaxFailures(), circuit::maxFailures);
        scope.apply("circuit-breaker.window", circuitValues.getWindow(), circuit::window);
        scope.apply("circuit-breaker.on-open", circuitValues.getOnOpen(), circuit::onOpen);
        scope.apply("circuit-breaker.open-duration", circuitValues.getOpenDuration(), circuit::openDuration);
        scope.apply("circuit-breaker.max-open-duration", circuitValues.getMaxOpenDuration(), circuit::maxOpenDuration);
        ServiceOptions.Builder options = base.toBuilder();
        scope.apply("restart", values.getRestart(), options::restartPolicy);
        scope.apply("start-timeout", values.getStartTimeout(), options::startTimeout);
        scope.apply("stop-timeout", values.getStopTimeout(), options::stopTimeout);
        List<String> fatalExceptions = values.getFatalExceptions();
        if (fatalExceptions != null) {
            options.fatalExceptions(loadFatalExceptions(fatalExceptions, scope));
        }
        options.backoff(scope.build("backoff.", backoff::build));
        options.circuitBreaker(scope.build("circuit-breaker.", circuit::build));
        options.singletonLock(singletonLock);
        return scope.build("", options::build);
    }

    private Set<Class<? extends Throwable>> loadFatalExceptions(List<String> names, PropertyScope scope) {
        Set<Class<? extends Throwable>> types = new LinkedHashSet<>();
        for (int i = 0; i < names.size(); i++) {
            types.add(loadFatalException(names.get(i), scope.name("fatal-exceptions[" + i + "]")));
        }
        return types;
    }

    private Class<? extends Throwable> loadFatalException(String name, String property) {
        Class<?> type;
        try {
            type = Class.forName(name, false, this.classLoader);
        } catch (ClassNotFoundException | LinkageError ex) {
            throw new InvalidSupervisorPropertyException(
                    property, name, "must name a class on the application's class path", null, ex);
        }
        if (!Throwable.class.isAssignableFrom(type)) {
            throw new InvalidSupervisorPropertyException(property, name, "must name a subclass of java.lang.Throwable");
        }
        return type.asSubclass(Throwable.class);
    }

    /** The top-level values in the shape of a service entry, so that one overlay serves both. */
    private static ServiceProperties topLevelValues(SupervisorProperties properties) {
        ServiceProperties values = new ServiceProperties();
        values.setRestart(properties.getRestart());
        values.setStartTimeout(properties.getStartTimeout());
        values.setStopTimeout(properties.getStopTimeout());
        values.setFatalExceptions(properties.getFatalExceptions());
        SupervisorProperties.Backoff backoff = properties.getBackoff();
        values.getBackoff().setBaseDelay(backoff.getBaseDelay());
        values.getBackoff().setMaxDelay(backoff.getMaxDelay());
        values.getBackoff().setJitter(backoff.getJitter());
        values.getBackoff().setCooldownPeriod(backoff.getCooldownPeriod());
        SupervisorProperties.CircuitBreaker circuitBreaker = properties.getCircuitBreaker();
        values.getCircuitBreaker().setMaxFailures(circuitBreaker.getMaxFailures());
        values.getCircuitBreaker().setWindow(circuitBreaker.getWindow());
        values.getCircuitBreaker().setOnOpen(circuitBreaker.getOnOpen());
        values.getCircuitBreaker().setOpenDuration(circuitBreaker.getOpenDuration());
        values.getCircuitBreaker().setMaxOpenDuration(circuitBreaker.getMaxOpenDuration());
        return values;
    }
}
