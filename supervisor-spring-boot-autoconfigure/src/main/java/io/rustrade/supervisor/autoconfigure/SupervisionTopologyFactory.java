package io.rustrade.supervisor.autoconfigure;

import io.rustrade.supervisor.GroupStrategy;
import io.rustrade.supervisor.core.ServiceTopology;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds the {@link ServiceTopology} the supervisor is given before any service starts: the groups of
 * {@code groups.<name>}, the dependencies between supervised beans ({@link DependencyGraph}) and the
 * services whose resolved {@code restart-dependents} is true. Services registered at run time are not
 * part of it.
 *
 * <p>It checks the groups in configuration order, and each group's members in order, and throws {@link
 * InvalidSupervisorPropertyException} for the first rule broken, naming the property:
 *
 * <ul>
 *   <li>{@code strategy} must be given;
 *   <li>{@code members} must list at least one service;
 *   <li>each member must name a supervised {@code SmartLifecycle} or {@code SupervisedService} bean,
 *       listed once in all groups;
 *   <li>a member must be listed after every member it depends on, directly or not, in the application
 *       context: the group's start order may not contradict the context's.
 * </ul>
 *
 * An unknown strategy never reaches it: binding rejects it with Spring Boot's own report.
 */
final class SupervisionTopologyFactory {

    private static final String PREFIX = "rustrade.supervisor.groups";

    private static final String STRATEGIES =
            Arrays.stream(GroupStrategy.values()).map(GroupStrategy::value).collect(Collectors.joining(" or "));

    private final Map<String, SupervisorProperties.Group> groups;

    private final ServiceOptionsResolver options;

    SupervisionTopologyFactory(Map<String, SupervisorProperties.Group> groups, ServiceOptionsResolver options) {
        this.groups = groups;
        this.options = options;
    }

    /**
     * The topology of the supervised beans.
     *
     * @param services the names of the supervised beans
     * @param graph their dependencies on each other
     * @throws InvalidSupervisorPropertyException for the first group setting that breaks a rule
     */
    ServiceTopology create(Collection<String> services, DependencyGraph graph) {
        ServiceTopology.Builder topology = ServiceTopology.builder();
        Set<String> supervised = new HashSet<>(services);
        Map<String, String> listedAt = new HashMap<>();
        this.groups.forEach((name, group) -> {
            List<String> members = checkMembers(name, group, supervised, listedAt);
            checkOrder(name, members, graph);
            topology.group(name, group.getStrategy(), members);
        });
        graph.asMap().forEach(topology::dependsOn);
        for (String service : services) {
            if (this.options.restartsDependents(service)) {
                topology.restartDependents(service);
            }
        }
        return topology.build();
    }

    private static List<String> checkMembers(
            String name, SupervisorProperties.Group group, Set<String> supervised, Map<String, String> listedAt) {
        if (group.getStrategy() == null) {
            throw new InvalidSupervisorPropertyException(
                    property(name, "strategy"), "not set", "must be " + STRATEGIES);
        }
        List<String> members = group.getMembers();
        if (members == null || members.isEmpty()) {
            throw new InvalidSupervisorPropertyException(
                    property(name, "members"),
                    (members == null) ? "not set" : "empty",
                    "must list at least one service");
        }
        for (int i = 0; i < members.size(); i++) {
            String member = members.get(i);
            String element = member(name, i);
            String earlier = listedAt.putIfAbsent(member, element);
            if (earlier != null) {
                throw new InvalidSupervisorPropertyException(
                        element, member, "must not name a service already listed in '" + earlier + "'");
            }
            if (!supervised.contains(member)) {
                throw new InvalidSupervisorPropertyException(
                        element, member, "must name a supervised SmartLifecycle or SupervisedService bean");
            }
        }
        return members;
    }

    /** Start order: a member comes after everything it depends on, as the context starts them. */
    private static void checkOrder(String name, List<String> members, DependencyGraph graph) {
        for (int i = 0; i < members.size(); i++) {
            Set<String> needs = graph.dependsOnTransitively(members.get(i));
            for (int j = i + 1; j < members.size(); j++) {
                if (needs.contains(members.get(j))) {
                    throw new InvalidSupervisorPropertyException(
                            member(name, i),
                            members.get(i),
                            "must be listed after '" + members.get(j) + "' ('" + member(name, j)
                                    + "'), which it depends on in the application context");
                }
            }
        }
    }

    private static String member(String group, int index) {
        return property(group, "members[" + index + "]");
    }

    /** As {@link PropertyScope} writes a service's entry: a name with a dot goes in brackets. */
    private static String property(String group, String key) {
        return PREFIX + (group.contains(".") ? "[" + group + "]." : "." + group + ".") + key;
    }
}
