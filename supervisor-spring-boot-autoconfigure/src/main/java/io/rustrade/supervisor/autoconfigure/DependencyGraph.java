package io.rustrade.supervisor.autoconfigure;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
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
        Reader reader = new Reader(beanFactory, new HashSet<>(services));
        Map<String, List<String>> dependsOn = new LinkedHashMap<>();
        for (String service : services) {
            Set<String> found = new TreeSet<>(reader.reachedThrough(service, 0));
            found.remove(service);
            dependsOn.put(service, List.copyOf(found));
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

    /**
     * Follows dependencies through beans that are not supervised, remembering for each bean it went through
     * which services lie behind it: thousands of services sharing the same infrastructure beans read those
     * once, not once per service.
     */
    private static final class Reader {

        /** Beyond this nesting a bean is followed in place rather than remembered: the stack stays small. */
        private static final int MAX_NESTING = 256;

        private final ConfigurableListableBeanFactory beanFactory;

        private final Set<String> supervised;

        /** For a bean followed through: every service reachable from it through beans not supervised. */
        private final Map<String, Set<String>> behind = new HashMap<>();

        /** The beans being followed now: one met again is part of a cycle, and is followed in place. */
        private final Set<String> following = new HashSet<>();

        Reader(ConfigurableListableBeanFactory beanFactory, Set<String> supervised) {
            this.beanFactory = beanFactory;
            this.supervised = supervised;
        }

        /**
         * The services reachable from {@code bean}'s dependencies through beans that are not supervised
         * (a service reached is not followed further). Always complete: a bean in a cycle, or too deep, is
         * followed in place instead of through what is remembered of it.
         */
        Set<String> reachedThrough(String bean, int nesting) {
            Set<String> known = this.behind.get(bean);
            if (known != null) {
                return known;
            }
            this.following.add(bean);
            Set<String> found = new HashSet<>();
            Set<String> visited = new HashSet<>(Set.of(bean));
            Deque<String> work = new ArrayDeque<>(List.of(this.beanFactory.getDependenciesForBean(bean)));
            while (!work.isEmpty()) {
                String next = lifecycleName(this.beanFactory, work.poll());
                if (!visited.add(next)) {
                    continue;
                }
                if (this.supervised.contains(next)) {
                    found.add(next);
                    continue;
                }
                Set<String> remembered = this.behind.get(next);
                if (remembered == null && !this.following.contains(next) && nesting < MAX_NESTING) {
                    remembered = reachedThrough(next, nesting + 1);
                }
                if (remembered != null) {
                    found.addAll(remembered);
                } else {
                    work.addAll(List.of(this.beanFactory.getDependenciesForBean(next)));
                }
            }
            this.following.remove(bean);
            this.behind.put(bean, found);
            return found;
        }
    }

    /** The name the lifecycle processor knows a bean by: no {@code &} prefix, no alias. */
    private static String lifecycleName(ConfigurableListableBeanFactory beanFactory, String name) {
        String bean = BeanFactoryUtils.transformedBeanName(name);
        return (beanFactory instanceof SimpleAliasRegistry aliases) ? aliases.canonicalName(bean) : bean;
    }
}
