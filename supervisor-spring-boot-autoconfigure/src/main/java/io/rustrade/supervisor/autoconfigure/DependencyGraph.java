package io.rustrade.supervisor.autoconfigure;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.SimpleAliasRegistry;

/**
 * Which supervised services each supervised service depends on in the application context, as Spring's
 * lifecycle processor sees it when it orders starts and stops: the dependencies the bean factory recorded
 * while creating the beans ({@link ConfigurableListableBeanFactory#getDependenciesForBean}) — injected
 * references (constructor, {@code @Bean} method, field and method injection) and {@code @DependsOn}.
 *
 * <p>The rules:
 *
 * <ul>
 *   <li>Only supervised services appear, as services and as dependencies.
 *   <li>A dependency that is not supervised is followed through to what it depends on: with {@code feed ->
 *       quoteCache -> session}, {@code feed} depends on {@code session}, since {@code session} going down
 *       reaches {@code feed} through the cache. A supervised dependency is not followed further: what it
 *       depends on is its own dependency.
 *   <li>Names are those the lifecycle processor uses: a FactoryBean's {@code &} prefix is dropped and an
 *       alias is replaced by the bean's own name.
 *   <li>Cycles are allowed: each bean is visited once per service, and a service never depends on itself.
 *   <li>It is read once, when the context starts its lifecycle beans: dependencies recorded later (beans
 *       created lazily afterwards) are not seen.
 * </ul>
 */
final class DependencyGraph {

    private final Map<String, List<String>> dependsOn;

    private DependencyGraph(Map<String, List<String>> dependsOn) {
        this.dependsOn = dependsOn;
    }

    /**
     * Reads the dependencies of {@code services} from the bean factory.
     *
     * @param beanFactory the application context's bean factory, whose beans have been created
     * @param services the names of the supervised beans
     */
    static DependencyGraph read(ConfigurableListableBeanFactory beanFactory, Collection<String> services) {
        Set<String> supervised = new HashSet<>(services);
        Map<String, List<String>> dependsOn = new LinkedHashMap<>();
        for (String service : services) {
            dependsOn.put(service, List.copyOf(supervisedDependencies(beanFactory, service, supervised)));
        }
        return new DependencyGraph(dependsOn);
    }

    /** The services {@code service} depends on directly (through unsupervised beans only), sorted. */
    List<String> dependsOn(String service) {
        return this.dependsOn.getOrDefault(service, List.of());
    }

    /** Every service {@code service} depends on, directly or through other services; never itself. */
    Set<String> dependsOnTransitively(String service) {
        Set<String> reached = new LinkedHashSet<>();
        Deque<String> work = new ArrayDeque<>(dependsOn(service));
        while (!work.isEmpty()) {
            String next = work.poll();
            if (!next.equals(service) && reached.add(next)) {
                work.addAll(dependsOn(next));
            }
        }
        return reached;
    }

    /** The services by name, each with its direct dependencies. */
    Map<String, List<String>> asMap() {
        return this.dependsOn;
    }

    private static Set<String> supervisedDependencies(
            ConfigurableListableBeanFactory beanFactory, String service, Set<String> supervised) {
        Set<String> found = new TreeSet<>();
        Set<String> visited = new HashSet<>(Set.of(service));
        Deque<String> work = new ArrayDeque<>(List.of(beanFactory.getDependenciesForBean(service)));
        while (!work.isEmpty()) {
            String bean = lifecycleName(beanFactory, work.poll());
            if (!visited.add(bean)) {
                continue;
            }
            if (supervised.contains(bean)) {
                found.add(bean);
            } else {
                work.addAll(List.of(beanFactory.getDependenciesForBean(bean)));
            }
        }
        return found;
    }

    /** The name the lifecycle processor knows a bean by: no {@code &} prefix, no alias. */
    private static String lifecycleName(ConfigurableListableBeanFactory beanFactory, String name) {
        String bean = BeanFactoryUtils.transformedBeanName(name);
        return (beanFactory instanceof SimpleAliasRegistry aliases) ? aliases.canonicalName(bean) : bean;
    }
}
