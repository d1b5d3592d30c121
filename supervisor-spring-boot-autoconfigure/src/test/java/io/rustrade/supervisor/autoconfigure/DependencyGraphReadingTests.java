package io.rustrade.supervisor.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

/**
 * The graph is read by remembering, for each bean followed through, which services lie behind it. These
 * tests hold it to the plain definition — for each service, a walk of its own through the beans that are
 * not supervised — on seeded random bean graphs with shared beans and cycles.
 */
class DependencyGraphReadingTests {

    @Test
    void rememberingWhatLiesBehindABeanFindsWhatAWalkPerServiceFinds() {
        for (long seed = 0; seed < 400; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            DefaultListableBeanFactory factory = new DefaultListableBeanFactory();
            int beans = random.nextInt(2, 40);
            List<String> services = new ArrayList<>();
            for (int i = 0; i < beans; i++) {
                if (random.nextInt(3) == 0) {
                    services.add("bean" + i);
                }
                int edges = random.nextInt(0, 4);
                for (int e = 0; e < edges; e++) {
                    // Any bean may depend on any other, itself and earlier beans included: cycles happen.
                    factory.registerDependentBean("bean" + random.nextInt(beans), "bean" + i);
                }
            }

            DependencyGraph graph = DependencyGraph.read(factory, services);

            for (String service : services) {
                assertThat(graph.dependsOn(service))
                        .as("seed %d, service %s", seed, service)
                        .containsExactlyElementsOf(walk(factory, service, new HashSet<>(services)));
            }
        }
    }

    @Test
    void servicesSharingADeepChainOfBeansEachSeeTheServiceAtItsEnd() {
        DefaultListableBeanFactory factory = new DefaultListableBeanFactory();
        factory.registerDependentBean("session", "infra0");
        for (int i = 1; i < 1000; i++) {
            factory.registerDependentBean("infra" + (i - 1), "infra" + i);
        }
        List<String> services = new ArrayList<>(List.of("session"));
        for (int s = 0; s < 50; s++) {
            factory.registerDependentBean("infra999", "feed" + s);
            services.add("feed" + s);
        }

        DependencyGraph graph = DependencyGraph.read(factory, services);

        assertThat(services.subList(1, services.size()))
                .allSatisfy(feed -> assertThat(graph.dependsOn(feed)).containsExactly("session"));
        assertThat(graph.dependsOn("session")).isEmpty();
    }

    /** The definition: a breadth-first walk from the service through beans that are not supervised. */
    private static List<String> walk(DefaultListableBeanFactory factory, String service, Set<String> supervised) {
        Set<String> found = new TreeSet<>();
        Set<String> visited = new HashSet<>(Set.of(service));
        Deque<String> work = new ArrayDeque<>(List.of(factory.getDependenciesForBean(service)));
        while (!work.isEmpty()) {
            String bean = work.poll();
            if (!visited.add(bean)) {
                continue;
            }
            if (supervised.contains(bean)) {
                found.add(bean);
            } else {
                work.addAll(List.of(factory.getDependenciesForBean(bean)));
            }
        }
        return List.copyOf(found);
    }
}
