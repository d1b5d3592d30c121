package io.rustrade.supervisor.autoconfigure;

import io.rustrade.supervisor.CircuitOpenAction;
import io.rustrade.supervisor.GroupStrategy;
import io.rustrade.supervisor.Jitter;
import io.rustrade.supervisor.RestartPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the supervisor, under {@code rustrade.supervisor}.
 *
 * <p>Binding only collects the values; {@link ServiceOptionsResolver} validates them, with the rules of
 * the core policies they configure, and overlays each {@code services.<name>} entry on the top-level
 * values.
 */
@ConfigurationProperties("rustrade.supervisor")
public class SupervisorProperties {

    /** Whether supervision is on at all; when off, beans run as if the supervisor were absent. */
    private boolean enabled = true;

    /** Bean-name globs, such as '*feed*', of beans to supervise that are left out by default. */
    private List<String> include = new ArrayList<>();

    /** Bean-name globs, such as '*feed*', of beans never to supervise. */
    private List<String> exclude = new ArrayList<>();

    /** How often running lifecycle services are asked whether they still run; 0 turns polling off. */
    private Duration watchdogInterval = Duration.ofSeconds(1);

    /** Which ends of a run lead to a restart. */
    private RestartPolicy restart = RestartPolicy.ON_FAILURE;

    /** Longest wait for a service's start() to return; at least 1ms. */
    private Duration startTimeout = Duration.ofSeconds(30);

    /** Longest wait for a service's stop() to return; at least 1ms. */
    private Duration stopTimeout = Duration.ofSeconds(30);

    /** Fully qualified names of exception classes that are never retried, subclasses included. */
    private List<String> fatalExceptions = new ArrayList<>();

    private final Backoff backoff = new Backoff();

    private final CircuitBreaker circuitBreaker = new CircuitBreaker();

    private final Events events = new Events();

    private final Cluster cluster = new Cluster();

    private final Dashboard dashboard = new Dashboard();

    /**
     * Whether the supervised services that depend on a service, in the application context, are stopped
     * when it fails, is restarted or is stopped, and started again after it.
     */
    private boolean restartDependents = false;

    /**
     * Groups of services restarted together, by group name: each with a 'strategy' (one-for-all or
     * rest-for-one) and its 'members', service names in start order.
     */
    private final Map<String, Group> groups = new LinkedHashMap<>();

    /** Per-service settings by service (bean) name, each overriding the top-level values it sets. */
    private final Map<String, ServiceProperties> services = new LinkedHashMap<>();

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public List<String> getInclude() {
        return this.include;
    }

    public void setInclude(List<String> include) {
        this.include = include;
    }

    public List<String> getExclude() {
        return this.exclude;
    }

    public void setExclude(List<String> exclude) {
        this.exclude = exclude;
    }

    public Duration getWatchdogInterval() {
        return this.watchdogInterval;
    }

    public void setWatchdogInterval(Duration watchdogInterval) {
        this.watchdogInterval = watchdogInterval;
    }

    public RestartPolicy getRestart() {
        return this.restart;
    }

    public void setRestart(RestartPolicy restart) {
        this.restart = restart;
    }

    public Duration getStartTimeout() {
        return this.startTimeout;
    }

    public void setStartTimeout(Duration startTimeout) {
        this.startTimeout = startTimeout;
    }

    public Duration getStopTimeout() {
        return this.stopTimeout;
    }

    public void setStopTimeout(Duration stopTimeout) {
        this.stopTimeout = stopTimeout;
    }

    public List<String> getFatalExceptions() {
        return this.fatalExceptions;
    }

    public void setFatalExceptions(List<String> fatalExceptions) {
        this.fatalExceptions = fatalExceptions;
    }

    public Backoff getBackoff() {
        return this.backoff;
    }

    public CircuitBreaker getCircuitBreaker() {
        return this.circuitBreaker;
    }

    public Events getEvents() {
        return this.events;
    }

    public Cluster getCluster() {
        return this.cluster;
    }

    public Dashboard getDashboard() {
        return this.dashboard;
    }

    public boolean isRestartDependents() {
        return this.restartDependents;
    }

    public void setRestartDependents(boolean restartDependents) {
        this.restartDependents = restartDependents;
    }

    public Map<String, Group> getGroups() {
        return this.groups;
    }

    public Map<String, ServiceProperties> getServices() {
        return this.services;
    }

    /**
     * One group of services, under {@code groups.<name>}. Both values are required. They are checked, the
     * members against the supervised beans and their dependencies, when the context starts its lifecycle
     * beans, before any service starts.
     */
    public static class Group {

        /** What a member going down does to the others: one-for-all or rest-for-one. */
        private @Nullable GroupStrategy strategy;

        /** The members' service (bean) names, in start order. */
        private @Nullable List<String> members;

        public @Nullable GroupStrategy getStrategy() {
            return this.strategy;
        }

        public void setStrategy(@Nullable GroupStrategy strategy) {
            this.strategy = strategy;
        }

        public @Nullable List<String> getMembers() {
            return this.members;
        }

        public void setMembers(@Nullable List<String> members) {
            this.members = members;
        }
    }

    /** How long a failed service waits before it is restarted. */
    public static class Backoff {

        /** Ceiling of the first retry delay; each further failure doubles it. */
        private Duration baseDelay = Duration.ofMillis(100);

        /** Cap of every retry delay. */
        private Duration maxDelay = Duration.ofSeconds(60);

        /** How a retry delay is drawn below its ceiling. */
        private Jitter jitter = Jitter.FULL;

        /** Healthy run time after which a service's failure history is forgotten. */
        private Duration cooldownPeriod = Duration.ofMinutes(5);

        public Duration getBaseDelay() {
            return this.baseDelay;
        }

        public void setBaseDelay(Duration baseDelay) {
            this.baseDelay = baseDelay;
        }

        public Duration getMaxDelay() {
            return this.maxDelay;
        }

        public void setMaxDelay(Duration maxDelay) {
            this.maxDelay = maxDelay;
        }

        public Jitter getJitter() {
            return this.jitter;
        }

        public void setJitter(Jitter jitter) {
            this.jitter = jitter;
        }

        public Duration getCooldownPeriod() {
            return this.cooldownPeriod;
        }

        public void setCooldownPeriod(Duration cooldownPeriod) {
            this.cooldownPeriod = cooldownPeriod;
        }
    }

    /** When a service that keeps failing stops being restarted, and what happens then. */
    public static class CircuitBreaker {

        /** Failures inside the window that open the circuit; 0 disables the circuit breaker. */
        private int maxFailures = 10;

        /** How long a failure is remembered. */
        private Duration window = Duration.ofMinutes(10);

        /** What happens once the circuit has opened. */
        private CircuitOpenAction onOpen = CircuitOpenAction.STOP;

        /** First wait before a half-open probe start. */
        private Duration openDuration = Duration.ofMinutes(5);

        /** Cap of the open period, which doubles after each failed probe. */
        private Duration maxOpenDuration = Duration.ofHours(1);

        public int getMaxFailures() {
            return this.maxFailures;
        }

        public void setMaxFailures(int maxFailures) {
            this.maxFailures = maxFailures;
        }

        public Duration getWindow() {
            return this.window;
        }

        public void setWindow(Duration window) {
            this.window = window;
        }

        public CircuitOpenAction getOnOpen() {
            return this.onOpen;
        }

        public void setOnOpen(CircuitOpenAction onOpen) {
            this.onOpen = onOpen;
        }

        public Duration getOpenDuration() {
            return this.openDuration;
        }

        public void setOpenDuration(Duration openDuration) {
            this.openDuration = openDuration;
        }

        public Duration getMaxOpenDuration() {
            return this.maxOpenDuration;
        }

        public void setMaxOpenDuration(Duration maxOpenDuration) {
            this.maxOpenDuration = maxOpenDuration;
        }
    }

    /** What is remembered of each service's recent events. */
    public static class Events {

        /** Recent events kept per service for the actuator endpoint, from 0 (none) to 1000. */
        private int historySize = 100;

        public int getHistorySize() {
            return this.historySize;
        }

        public void setHistorySize(int historySize) {
            this.historySize = historySize;
        }
    }

    /**
     * How cluster singletons ({@code services.<name>.singleton}) are elected, through the application's
     * Spring Integration {@code LockRegistry}.
     */
    public static class Cluster {

        /** Prefix of each singleton's lock name; the service name follows it. */
        private String lockPrefix = "rustrade-supervisor.";

        /** How often each singleton's leadership is renewed, or tried for when another instance holds it. */
        private Duration heartbeat = Duration.ofMillis(500);

        /**
         * How long the lock store keeps a lock that is not renewed (JdbcLockRegistry: 10s by default): a
         * leader that has not renewed its lock for this long, less two heartbeats, stops its singletons
         * without waiting for the store to answer. Must match the lock registry's setting.
         */
        private Duration lockTimeToLive = Duration.ofSeconds(10);

        public String getLockPrefix() {
            return this.lockPrefix;
        }

        public void setLockPrefix(String lockPrefix) {
            this.lockPrefix = lockPrefix;
        }

        public Duration getHeartbeat() {
            return this.heartbeat;
        }

        public void setHeartbeat(Duration heartbeat) {
            this.heartbeat = heartbeat;
        }

        public Duration getLockTimeToLive() {
            return this.lockTimeToLive;
        }

        public void setLockTimeToLive(Duration lockTimeToLive) {
            this.lockTimeToLive = lockTimeToLive;
        }
    }

    /**
     * The operators' page: every service live, with its recent events and the endpoint's actions. Served by
     * Spring MVC; it reads and calls only the actuator endpoint 'supervisor', so it is as secured as that.
     */
    public static class Dashboard {

        /** Whether the page is served (Spring MVC and the 'supervisor' endpoint needed). */
        private boolean enabled = false;

        /** Where the page is served, under the application's context path. */
        private String path = "/supervisor";

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getPath() {
            return this.path;
        }

        public void setPath(String path) {
            this.path = path;
        }
    }
}
