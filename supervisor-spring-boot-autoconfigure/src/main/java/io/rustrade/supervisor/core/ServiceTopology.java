package io.rustrade.supervisor.core;

import io.rustrade.supervisor.GroupStrategy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How supervised services depend on each other: explicit groups ({@code groups.<name>}) and the
 * dependencies taken from the application context, with the services whose dependents go down with them
 * ({@code restart-dependents}). Immutable; given to the engine once, before its services start.
 *
 * <p>The rules it answers for the engine:
 *
 * <ul>
 *   <li><b>Who goes down with a service</b>: in a {@code rest-for-one} group the members listed after it, in
 *       a {@code one-for-all} group every other member; with {@code restart-dependents} on the service, every
 *       service that depends on it, directly or not. Each service taken down takes its own followers down in
 *       turn.
 *   <li><b>Start order</b>: dependencies before the services depending on them, group members in their
 *       listed order; a cycle in the dependencies is broken by name, so that every service has a place.
 *   <li><b>Who must run before a service starts again</b>: every service that takes it down and comes
 *       before it in the start order.
 * </ul>
 */
public final class ServiceTopology {

    private static final ServiceTopology NONE = builder().build();

    private final Map<String, Group> groups;

    private final Map<String, Group> groupOf;

    private final Map<String, List<String>> dependsOn;

    private final Map<String, List<String>> dependents;

    private final Set<String> restartDependents;

    private final Map<String, Integer> rank;

    private final Map<String, List<String>> goDownWith = new ConcurrentHashMap<>();

    private final Map<String, List<String>> startAfter = new ConcurrentHashMap<>();

    private ServiceTopology(Builder builder) {
        this.groups = Map.copyOf(builder.groups);
        this.groupOf = new HashMap<>();
        builder.groups.values().forEach(group -> group.members().forEach(member -> this.groupOf.put(member, group)));
        this.dependsOn = new HashMap<>();
        this.dependents = new HashMap<>();
        builder.dependsOn.forEach((service, dependencies) -> {
            this.dependsOn.put(service, List.copyOf(new TreeSet<>(dependencies)));
            dependencies.forEach(dependency -> this.dependents
                    .computeIfAbsent(dependency, key -> new ArrayList<>())
                    .add(service));
        });
        this.restartDependents = Set.copyOf(builder.restartDependents);
        this.rank = startOrder(builder);
    }

    /** No groups, no dependencies: every service is restarted alone. */
    public static ServiceTopology none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The groups by name, sorted. */
    public Map<String, Group> groups() {
        return new TreeMap<>(this.groups);
    }

    /** The group {@code service} is a member of, if any. */
    public Optional<Group> groupOf(String service) {
        return Optional.ofNullable(this.groupOf.get(service));
    }

    /** The services {@code service} depends on directly, sorted by name; empty for a service not named here. */
    public List<String> dependsOn(String service) {
        return this.dependsOn.getOrDefault(service, List.of());
    }

    /** Whether the services depending on {@code service} go down with it ({@code restart-dependents}). */
    public boolean restartsDependents(String service) {
        return this.restartDependents.contains(service);
    }

    /** Whether no service is tied to another: every failure concerns its service only. */
    public boolean isEmpty() {
        return this.groups.isEmpty() && this.restartDependents.isEmpty();
    }

    /**
     * The services taken down when {@code service} fails, or is restarted or stopped by an operator, in start
     * order (they are stopped in the reverse of it); never {@code service} itself.
     */
    List<String> goDownWith(String service) {
        return this.goDownWith.computeIfAbsent(service, this::computeGoDownWith);
    }

    /**
     * The services that take {@code service} down and start before it, in start order: it starts again only
     * once each of them runs.
     */
    List<String> startAfter(String service) {
        return this.startAfter.computeIfAbsent(service, this::computeStartAfter);
    }

    /** The place of {@code service} in the start order; services not named here come last, in any order. */
    int rank(String service) {
        return this.rank.getOrDefault(service, Integer.MAX_VALUE);
    }

    private List<String> computeGoDownWith(String service) {
        Set<String> reached = new LinkedHashSet<>();
        Deque<String> work = new ArrayDeque<>();
        work.add(service);
        reached.add(service);
        while (!work.isEmpty()) {
            String next = work.poll();
            for (String follower : followers(next)) {
                if (reached.add(follower)) {
                    work.add(follower);
                }
            }
        }
        reached.remove(service);
        return inStartOrder(reached);
    }

    /** The services {@code service} takes down directly: its group's rule and, if it asks so, its dependents. */
    private Set<String> followers(String service) {
        Set<String> followers = new LinkedHashSet<>();
        Group group = this.groupOf.get(service);
        if (group != null) {
            List<String> members = group.members();
            int at = members.indexOf(service);
            for (int i = 0; i < members.size(); i++) {
                if (i > at || (i != at && group.strategy() == GroupStrategy.ONE_FOR_ALL)) {
                    followers.add(members.get(i));
                }
            }
        }
        if (this.restartDependents.contains(service)) {
            followers.addAll(transitively(service, this.dependents));
        }
        return followers;
    }

    private List<String> computeStartAfter(String service) {
        // Only services that depend on each other, or share a group, can take one another down.
        Set<String> candidates = new HashSet<>();
        Deque<String> work = new ArrayDeque<>(List.of(service));
        while (!work.isEmpty()) {
            String next = work.poll();
            Set<String> related = new HashSet<>(transitively(next, this.dependsOn));
            Group group = this.groupOf.get(next);
            if (group != null) {
                related.addAll(group.members());
            }
            for (String candidate : related) {
                if (candidates.add(candidate)) {
                    work.add(candidate);
                }
            }
        }
        int place = rank(service);
        List<String> before = new ArrayList<>();
        for (String candidate : candidates) {
            if (rank(candidate) < place && goDownWith(candidate).contains(service)) {
                before.add(candidate);
            }
        }
        return inStartOrder(before);
    }

    private List<String> inStartOrder(Collection<String> services) {
        List<String> ordered = new ArrayList<>(services);
        ordered.sort(Comparator.comparingInt(this::rank).thenComparing(Comparator.naturalOrder()));
        return List.copyOf(ordered);
    }

    /** Every service reachable from {@code service} along {@code edges}, cycles included, itself excluded. */
    private static Set<String> transitively(String service, Map<String, ? extends Collection<String>> edges) {
        Set<String> reached = new LinkedHashSet<>();
        Deque<String> work = new ArrayDeque<>(List.of(service));
        while (!work.isEmpty()) {
            Collection<String> reachable = edges.get(work.poll());
            for (String next : (reachable != null) ? reachable : List.<String>of()) {
                if (!next.equals(service) && reached.add(next)) {
                    work.add(next);
                }
            }
        }
        return reached;
    }

    /**
     * Dependencies first, group members in their order; among services free to go next, the one named first
     * goes first. A cycle is broken at its first name: the start order is a total order whatever the input.
     */
    private static Map<String, Integer> startOrder(Builder builder) {
        Map<String, Set<String>> before = new HashMap<>();
        Set<String> services = new TreeSet<>(builder.restartDependents);
        builder.dependsOn.forEach((service, dependencies) -> {
            services.add(service);
            services.addAll(dependencies);
            before.computeIfAbsent(service, key -> new HashSet<>()).addAll(dependencies);
        });
        for (Group group : builder.groups.values()) {
            services.addAll(group.members());
            for (int i = 1; i < group.members().size(); i++) {
                before.computeIfAbsent(group.members().get(i), key -> new HashSet<>())
                        .add(group.members().get(i - 1));
            }
        }
        Map<String, List<String>> next = new HashMap<>();
        Map<String, Integer> waitingOn = new HashMap<>();
        before.forEach((service, needs) -> {
            waitingOn.put(service, needs.size());
            needs.forEach(
                    need -> next.computeIfAbsent(need, key -> new ArrayList<>()).add(service));
        });
        PriorityQueue<String> ready = new PriorityQueue<>();
        services.stream()
                .filter(service -> waitingOn.getOrDefault(service, 0) == 0)
                .forEach(ready::add);
        TreeSet<String> left = new TreeSet<>(services);
        Map<String, Integer> rank = new HashMap<>();
        while (!left.isEmpty()) {
            String placed = ready.poll();
            if (placed == null) {
                // Only a cycle is left: break it at its first name.
                placed = left.first();
            } else if (!left.contains(placed)) {
                continue;
            }
            left.remove(placed);
            rank.put(placed, rank.size());
            for (String follower : next.getOrDefault(placed, List.of())) {
                if (waitingOn.merge(follower, -1, Integer::sum) == 0 && left.contains(follower)) {
                    ready.add(follower);
                }
            }
        }
        return rank;
    }

    /**
     * A group of services restarted together.
     *
     * @param name the group's name, as in {@code groups.<name>}
     * @param strategy what a member going down does to the others
     * @param members the members in start order
     */
    public record Group(String name, GroupStrategy strategy, List<String> members) {

        public Group {
            Objects.requireNonNull(name, "name must not be null");
            Objects.requireNonNull(strategy, "strategy must not be null");
            members = List.copyOf(members);
        }
    }

    /**
     * Collects groups and dependencies. {@link #build()} rejects a group without members, a service listed
     * twice or in two groups, and a member listed before a member it depends on.
     */
    public static final class Builder {

        private final Map<String, Group> groups = new LinkedHashMap<>();

        private final Map<String, Set<String>> dependsOn = new LinkedHashMap<>();

        private final Set<String> restartDependents = new LinkedHashSet<>();

        private Builder() {}

        /** Adds a group; its members in start order. */
        public Builder group(String name, GroupStrategy strategy, List<String> members) {
            if (this.groups.containsKey(name)) {
                throw new IllegalArgumentException("Group '" + name + "' is defined twice");
            }
            this.groups.put(name, new Group(name, strategy, members));
            return this;
        }

        /** Records that {@code service} depends on each of {@code dependencies} (supervised services only). */
        public Builder dependsOn(String service, Collection<String> dependencies) {
            Objects.requireNonNull(service, "service must not be null");
            for (String dependency : dependencies) {
                if (!dependency.equals(service)) {
                    // Only services with dependencies are kept: a context of independent services costs nothing.
                    this.dependsOn
                            .computeIfAbsent(service, key -> new LinkedHashSet<>())
                            .add(dependency);
                }
            }
            return this;
        }

        /** The services that depend on {@code service} go down with it ({@code restart-dependents}). */
        public Builder restartDependents(String service) {
            this.restartDependents.add(Objects.requireNonNull(service, "service must not be null"));
            return this;
        }

        public ServiceTopology build() {
            Map<String, String> memberOf = new HashMap<>();
            for (Group group : this.groups.values()) {
                if (group.members().isEmpty()) {
                    throw new IllegalArgumentException("Group '" + group.name() + "' has no members");
                }
                for (String member : group.members()) {
                    String other = memberOf.putIfAbsent(member, group.name());
                    if (other != null) {
                        throw new IllegalArgumentException(
                                other.equals(group.name())
                                        ? "Service '" + member + "' is listed twice in group '" + group.name() + "'"
                                        : "Service '" + member + "' is a member of groups '" + other + "' and '"
                                                + group.name() + "'");
                    }
                }
                checkOrder(group);
            }
            return new ServiceTopology(this);
        }

        /** A member may not come before a member it depends on: the start order would contradict the context's. */
        private void checkOrder(Group group) {
            List<String> members = group.members();
            for (int i = 0; i < members.size(); i++) {
                Set<String> needs = transitively(members.get(i), this.dependsOn);
                for (int j = i + 1; j < members.size(); j++) {
                    if (needs.contains(members.get(j))) {
                        throw new IllegalArgumentException("Group '" + group.name() + "' lists '" + members.get(i)
                                + "' before '" + members.get(j) + "', but '" + members.get(i) + "' depends on '"
                                + members.get(j) + "'");
                    }
                }
            }
        }
    }
}
