package io.rustrade.supervisor.actuate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.rustrade.supervisor.HistoryEntry;
import io.rustrade.supervisor.NoSuchServiceException;
import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.Supervisor;
import io.rustrade.supervisor.core.ObservableSupervisor;
import io.rustrade.supervisor.core.ServiceTopology;
import io.rustrade.supervisor.core.internal.CapturedFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code supervisor} endpoint: every supervised service at a glance, one service with its recent
 * history, and the operator commands {@code restart}, {@code stop}, {@code start} and {@code reset}.
 *
 * <ul>
 *   <li>Services are sorted by name; instants are ISO-8601 UTC strings, durations ISO-8601 strings, and
 *       absent values {@code null} (never left out, whatever the JSON mapper's settings).
 *   <li>Exception messages, in {@code lastFailure} and in events, are cut to {@value
 *       #MAX_MESSAGE_LENGTH} characters, so a huge message cannot bloat a response.
 *   <li>A command answers with the service once the command has taken effect — the service runs, failed
 *       or stopped — waiting at most the command timeout ({@link #DEFAULT_COMMAND_TIMEOUT} unless given);
 *       a service whose {@code start()} or {@code stop()} takes longer is shown as it is then, for example
 *       {@code STARTING}.
 *   <li>An unknown name reads as {@code null} (HTTP 404); an action other than the five, or none, is an
 *       invalid request (HTTP 400) whose message lists the valid actions.
 *   <li>{@code yield} gives up this instance's leadership of a cluster singleton: the service stops here
 *       ({@code STANDBY}), then the lock is released for another instance. It is refused (HTTP 409) for a
 *       service that is no singleton, or that this instance does not lead.
 *   <li>{@code start} and {@code restart} of a service that is {@code WAITING} (or stopping to wait) are refused with a {@link
 *       ServiceActionConflictException} (HTTP 409) naming the service it waits for: it starts again, in
 *       order, once that one runs, and starting it before would break that order. {@code stop} and {@code
 *       reset} are applied as to any service.
 *   <li>Every service shows its {@code group}, the supervised services it depends on ({@code dependsOn},
 *       direct ones, sorted) and the one it waits for ({@code waitingFor}); the list of services also
 *       shows every group, by name, with its strategy and members in start order.
 *   <li>A cluster singleton shows its {@code singleton}: the lock, whether this instance leads it, and
 *       since when; {@code null} for any other service.
 * </ul>
 *
 * Over HTTP, {@link SupervisorEndpointWebExtension} answers 404 to a command for an unknown name and
 * puts the message of a 400 or a 409 in the response body.
 */
@Endpoint(id = "supervisor")
public class SupervisorEndpoint {

    /** How long a command waits, by default, for its effect before answering. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(5);

    /** The longest exception message shown, in characters. */
    public static final int MAX_MESSAGE_LENGTH = CapturedFailure.MAX_MESSAGE_LENGTH;

    private final ObservableSupervisor supervisor;

    private final Duration commandTimeout;

    /** An endpoint whose commands wait at most {@link #DEFAULT_COMMAND_TIMEOUT} for their effect. */
    public SupervisorEndpoint(ObservableSupervisor supervisor) {
        this(supervisor, DEFAULT_COMMAND_TIMEOUT);
    }

    /** An endpoint whose commands wait at most {@code commandTimeout} for their effect. */
    public SupervisorEndpoint(ObservableSupervisor supervisor, Duration commandTimeout) {
        this.supervisor = Objects.requireNonNull(supervisor, "supervisor must not be null");
        Objects.requireNonNull(commandTimeout, "commandTimeout must not be null");
        if (commandTimeout.isNegative()) {
            throw new IllegalArgumentException("'commandTimeout' must not be negative but was " + commandTimeout);
        }
        this.commandTimeout = commandTimeout;
    }

    /** Every service, by name, and every group, by name. */
    @ReadOperation
    public ServicesDescriptor services() {
        Map<String, ServiceDescriptor> services = new LinkedHashMap<>();
        this.supervisor.services().forEach(snapshot -> services.put(snapshot.name(), new ServiceDescriptor(snapshot)));
        Map<String, GroupDescriptor> groups = new LinkedHashMap<>();
        this.supervisor.topology().groups().forEach((name, group) -> groups.put(name, new GroupDescriptor(group)));
        return new ServicesDescriptor(services, groups);
    }

    /** One service with its recent events, oldest first; {@code null} when no service has that name. */
    @ReadOperation
    public @Nullable ServiceDetailsDescriptor service(@Selector String name) {
        return this.supervisor.service(name).map(ServiceDetailsDescriptor::new).orElse(null);
    }

    /**
     * Applies an operator command to a service and answers with the service after it; {@code null} when
     * no service has that name.
     *
     * @param name the service
     * @param action {@code restart}, {@code stop}, {@code start}, {@code reset} or {@code yield} (case ignored)
     * @throws InvalidEndpointRequestException when the action is missing or not one of the five
     * @throws ServiceActionConflictException when the action is {@code start} or {@code restart} and the
     *     service is {@code WAITING}, or stopping to wait; when it is {@code yield} and the service is no
     *     singleton or not led by this instance
     */
    @WriteOperation
    public @Nullable ServiceDescriptor act(@Selector String name, @Nullable String action) {
        ServiceSnapshot current = this.supervisor.service(name).orElse(null);
        if (current == null) {
            return null;
        }
        Action command = Action.parse(action);
        if (command == Action.YIELD) {
            return yieldLeadership(name, current);
        }
        if (command == Action.START || command == Action.RESTART) {
            // The supervisor's own rule, answered by the supervisor: it would ignore the command.
            String refusal = startRefusal(name);
            if (refusal != null) {
                throw new ServiceActionConflictException(
                        "'" + command.value() + "' is not allowed while '" + name + "' is " + refusal);
            }
        }
        try {
            command.apply(this.supervisor, name);
            return new ServiceDescriptor(awaitEffect(name));
        } catch (NoSuchServiceException ex) {
            // Unregistered meanwhile.
            return null;
        }
    }

    /** Gives up the leadership of a singleton this instance leads; 409 for any other service. */
    private @Nullable ServiceDescriptor yieldLeadership(String name, ServiceSnapshot current) {
        if (current.singleton() == null) {
            throw new ServiceActionConflictException("'yield' is only for cluster singletons; '" + name
                    + "' is not one (services." + name + ".singleton)");
        }
        try {
            boolean yielded = Boolean.TRUE.equals(
                    this.supervisor.yieldLeadership(name).get(this.commandTimeout.toNanos(), TimeUnit.NANOSECONDS));
            if (!yielded) {
                throw new ServiceActionConflictException("'yield' is only for the leader; this instance does not"
                        + " lead '" + name + "' (it is "
                        + this.supervisor
                                .service(name)
                                .map(ServiceSnapshot::state)
                                .map(Enum::name)
                                .orElse("gone") + " here)");
            }
            return new ServiceDescriptor(awaitEffect(name));
        } catch (NoSuchServiceException ex) {
            return null;
        } catch (TimeoutException ex) {
            // Applied later: show the service as it is.
            return new ServiceDescriptor(current);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return new ServiceDescriptor(current);
        } catch (ExecutionException ex) {
            // Cannot happen: the future is only ever completed normally.
            return new ServiceDescriptor(current);
        }
    }

    /** Why the supervisor would not start or restart the service now; null when it would, or when it is slow to say. */
    private @Nullable String startRefusal(String name) {
        try {
            return this.supervisor
                    .startRefusal(name)
                    .get(this.commandTimeout.toNanos(), TimeUnit.NANOSECONDS)
                    .orElse(null);
        } catch (NoSuchServiceException | TimeoutException ex) {
            // Unregistered meanwhile (the command answers 404), or busy: the command goes, and the supervisor
            // applies its rule to it.
            return null;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException ex) {
            // Cannot happen: the future is only ever completed normally.
            return null;
        }
    }

    private ServiceSnapshot awaitEffect(String name) {
        try {
            return this.supervisor.whenResolved(name).get(this.commandTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException ex) {
            // Still starting or stopping: show it as it is.
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException ex) {
            // Cannot happen: the future is only ever completed normally.
        }
        return this.supervisor.service(name).orElseThrow(() -> new NoSuchServiceException(name));
    }

    /**
     * Cuts a message to {@link #MAX_MESSAGE_LENGTH} characters, marking the cut with "...". Exception
     * messages arrive cut already ({@link CapturedFailure}); this bounds what else a response echoes.
     */
    static @Nullable String abbreviate(@Nullable String message) {
        return CapturedFailure.abbreviate(message);
    }

    /** ISO-8601 UTC with exactly three fraction digits, as {@code 2026-11-27T10:15:30.120Z}. */
    private static final java.time.format.DateTimeFormatter INSTANT = java.time.format.DateTimeFormatter.ofPattern(
                    "uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    static @Nullable String format(@Nullable Instant instant) {
        return (instant != null) ? INSTANT.format(instant) : null;
    }

    private static String format(Duration duration) {
        return duration.toString();
    }

    /** The operator commands, as given in the request's {@code action}. */
    private enum Action {
        RESTART(Supervisor::restart),
        STOP(Supervisor::stop),
        START(Supervisor::start),
        RESET(Supervisor::reset),
        /** Applied apart: it answers whether it could be done. */
        YIELD((supervisor, name) -> supervisor.yieldLeadership(name));

        private static final String VALID =
                Arrays.stream(values()).map(Action::value).collect(Collectors.joining(", "));

        private final BiConsumer<Supervisor, String> command;

        Action(BiConsumer<Supervisor, String> command) {
            this.command = command;
        }

        void apply(Supervisor supervisor, String name) {
            this.command.accept(supervisor, name);
        }

        /** As a request writes it: {@code restart}. */
        String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Action parse(@Nullable String value) {
            if (value == null || value.isBlank()) {
                throw invalid("'action' is missing; it must be one of " + VALID);
            }
            for (Action action : values()) {
                if (action.name().equalsIgnoreCase(value.trim())) {
                    return action;
                }
            }
            throw invalid("'action' must be one of " + VALID + " but was '" + abbreviate(value) + "'");
        }

        private static InvalidEndpointRequestException invalid(String message) {
            return new InvalidEndpointRequestException(message, message);
        }
    }

    /** Every supervised service, by name, sorted; every group, by name, sorted. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"services", "groups"})
    public static final class ServicesDescriptor implements OperationResponseBody {

        private final Map<String, ServiceDescriptor> services;

        private final Map<String, GroupDescriptor> groups;

        private ServicesDescriptor(Map<String, ServiceDescriptor> services, Map<String, GroupDescriptor> groups) {
            this.services = Collections.unmodifiableMap(services);
            this.groups = Collections.unmodifiableMap(groups);
        }

        public Map<String, ServiceDescriptor> getServices() {
            return this.services;
        }

        /** The groups ({@code groups.<name>}); empty when there are none. */
        public Map<String, GroupDescriptor> getGroups() {
            return this.groups;
        }
    }

    /** A group of services restarted together. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"strategy", "members"})
    public static final class GroupDescriptor {

        private final ServiceTopology.Group group;

        private GroupDescriptor(ServiceTopology.Group group) {
            this.group = group;
        }

        /** {@code one-for-all} or {@code rest-for-one}. */
        public String getStrategy() {
            return this.group.strategy().value();
        }

        /** The members, in start order. */
        public List<String> getMembers() {
            return this.group.members();
        }
    }

    /** One supervised service, as in {@link ServiceSnapshot}. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({
        "name",
        "kind",
        "state",
        "restartPolicy",
        "attempt",
        "recentFailures",
        "failures",
        "restarts",
        "circuit",
        "startedAt",
        "nextRestartAt",
        "lastFailure",
        "backoff",
        "circuitBreaker",
        "group",
        "dependsOn",
        "waitingFor",
        "singleton"
    })
    public static class ServiceDescriptor implements OperationResponseBody {

        private final ServiceSnapshot snapshot;

        private final @Nullable LastFailureDescriptor lastFailure;

        private final BackoffDescriptor backoff;

        private final CircuitBreakerDescriptor circuitBreaker;

        private final @Nullable SingletonDescriptor singleton;

        ServiceDescriptor(ServiceSnapshot snapshot) {
            this.snapshot = snapshot;
            this.lastFailure =
                    (snapshot.lastFailure() != null) ? new LastFailureDescriptor(snapshot.lastFailure()) : null;
            this.backoff = new BackoffDescriptor(snapshot.backoff());
            this.circuitBreaker = new CircuitBreakerDescriptor(snapshot.circuitBreaker());
            this.singleton = (snapshot.singleton() != null) ? new SingletonDescriptor(snapshot.singleton()) : null;
        }

        public String getName() {
            return this.snapshot.name();
        }

        /** {@code lifecycle} or {@code service}. */
        public String getKind() {
            return this.snapshot.kind().value();
        }

        /** The state's name, such as {@code BACKING_OFF}. */
        public String getState() {
            return this.snapshot.state().name();
        }

        /** {@code on-failure}, {@code always} or {@code never}. */
        public String getRestartPolicy() {
            return this.snapshot.restartPolicy().value();
        }

        public int getAttempt() {
            return this.snapshot.attempt();
        }

        public int getRecentFailures() {
            return this.snapshot.recentFailures();
        }

        public long getFailures() {
            return this.snapshot.failures();
        }

        public long getRestarts() {
            return this.snapshot.restarts();
        }

        /** {@code closed}, {@code open} or {@code half-open}. */
        public String getCircuit() {
            return this.snapshot.circuit().value();
        }

        public @Nullable String getStartedAt() {
            return format(this.snapshot.startedAt());
        }

        public @Nullable String getNextRestartAt() {
            return format(this.snapshot.nextRestartAt());
        }

        public @Nullable LastFailureDescriptor getLastFailure() {
            return this.lastFailure;
        }

        public BackoffDescriptor getBackoff() {
            return this.backoff;
        }

        public CircuitBreakerDescriptor getCircuitBreaker() {
            return this.circuitBreaker;
        }

        /** The group the service is a member of; {@code null} when none. */
        public @Nullable String getGroup() {
            return this.snapshot.group();
        }

        /** The supervised services it depends on in the application context, direct ones, sorted. */
        public List<String> getDependsOn() {
            return this.snapshot.dependsOn();
        }

        /** While it is {@code WAITING}, or stopping to wait: the service it waits for; {@code null} otherwise. */
        public @Nullable String getWaitingFor() {
            return this.snapshot.waitingFor();
        }

        /** For a cluster singleton, its lock and whether this instance leads it; {@code null} otherwise. */
        public @Nullable SingletonDescriptor getSingleton() {
            return this.singleton;
        }
    }

    /** A cluster singleton's leadership on this instance. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"lock", "leader", "since"})
    public static final class SingletonDescriptor {

        private final ServiceSnapshot.Singleton singleton;

        private SingletonDescriptor(ServiceSnapshot.Singleton singleton) {
            this.singleton = singleton;
        }

        /** The lock its election holds: {@code cluster.lock-prefix} and the service name. */
        public String getLock() {
            return this.singleton.lock();
        }

        /** Whether this instance leads it: only then does it run here. */
        public boolean isLeader() {
            return this.singleton.leader();
        }

        /** When this instance last became leader or stopped being one. */
        public @Nullable String getSince() {
            return format(this.singleton.since());
        }
    }

    /** One supervised service with its recent events. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public static final class ServiceDetailsDescriptor extends ServiceDescriptor {

        private final List<EventDescriptor> events;

        ServiceDetailsDescriptor(ServiceSnapshot snapshot) {
            super(snapshot);
            this.events = snapshot.events().stream().map(EventDescriptor::new).toList();
        }

        /** The recent events, oldest first, at most {@code events.history-size}. */
        public List<EventDescriptor> getEvents() {
            return this.events;
        }
    }

    /** The most recent failure of a service. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"at", "exception", "message"})
    public static final class LastFailureDescriptor {

        private final String at;

        private final String exception;

        private final @Nullable String message;

        private LastFailureDescriptor(ServiceSnapshot.LastFailure failure) {
            this.at = format(failure.at());
            this.exception = failure.exception();
            this.message = abbreviate(failure.message());
        }

        public String getAt() {
            return this.at;
        }

        /** The exception's class name. */
        public String getException() {
            return this.exception;
        }

        /** The exception's message, cut to {@value SupervisorEndpoint#MAX_MESSAGE_LENGTH} characters. */
        public @Nullable String getMessage() {
            return this.message;
        }
    }

    /** The backoff settings of a service. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"baseDelay", "maxDelay", "jitter", "cooldownPeriod"})
    public static final class BackoffDescriptor {

        private final ServiceSnapshot.Backoff backoff;

        private BackoffDescriptor(ServiceSnapshot.Backoff backoff) {
            this.backoff = backoff;
        }

        public String getBaseDelay() {
            return format(this.backoff.baseDelay());
        }

        public String getMaxDelay() {
            return format(this.backoff.maxDelay());
        }

        /** {@code full}, {@code equal}, {@code decorrelated} or {@code none}. */
        public String getJitter() {
            return this.backoff.jitter().value();
        }

        public String getCooldownPeriod() {
            return format(this.backoff.cooldownPeriod());
        }
    }

    /** The circuit-breaker settings of a service. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"maxFailures", "window", "onOpen", "openDuration"})
    public static final class CircuitBreakerDescriptor {

        private final ServiceSnapshot.CircuitBreaker circuitBreaker;

        private CircuitBreakerDescriptor(ServiceSnapshot.CircuitBreaker circuitBreaker) {
            this.circuitBreaker = circuitBreaker;
        }

        public int getMaxFailures() {
            return this.circuitBreaker.maxFailures();
        }

        public String getWindow() {
            return format(this.circuitBreaker.window());
        }

        /** {@code stop}, {@code half-open} or {@code shutdown}. */
        public String getOnOpen() {
            return this.circuitBreaker.onOpen().value();
        }

        public String getOpenDuration() {
            return format(this.circuitBreaker.openDuration());
        }
    }

    /** One entry of a service's recent history. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"at", "type", "detail"})
    public static final class EventDescriptor {

        private final HistoryEntry event;

        private EventDescriptor(HistoryEntry event) {
            this.event = event;
        }

        public String getAt() {
            return format(this.event.at());
        }

        /** What happened, such as {@code failed} or {@code restart-scheduled}. */
        public String getType() {
            return this.event.type().value();
        }

        /** A detail, cut to {@value SupervisorEndpoint#MAX_MESSAGE_LENGTH} characters; empty when none. */
        public String getDetail() {
            return abbreviate(this.event.detail());
        }
    }
}
