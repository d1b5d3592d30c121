package io.rustrade.supervisor.autoconfigure;

import java.util.List;
import java.util.Set;
import org.springframework.util.ClassUtils;
import org.springframework.util.PatternMatchUtils;

/**
 * Decides which beans are supervised.
 *
 * <p>Excluded by default: beans whose class is in {@code org.springframework.*}, FactoryBeans, and the
 * starter's own beans ({@link SupervisorInfrastructure}); {@code include} adds such beans back by name and
 * never narrows supervision. Always excluded: names matching {@code exclude}, services with {@code
 * services.<name>.enabled=false}, and the web server's own lifecycles, which Spring Boot drives itself
 * and which must keep their exact shutdown order. Globs use {@code *} as wildcard ({@code *feed*}).
 */
final class SupervisionCandidates {

    /** Spring Boot's web server lifecycles: never supervised, even when included. */
    static final Set<String> WEB_SERVER_LIFECYCLES = Set.of("webServerStartStop", "webServerGracefulShutdown");

    private final String[] include;

    private final String[] exclude;

    private final ServiceOptionsResolver options;

    SupervisionCandidates(List<String> include, List<String> exclude, ServiceOptionsResolver options) {
        this.include = include.toArray(String[]::new);
        this.exclude = exclude.toArray(String[]::new);
        this.options = options;
    }

    /**
     * Whether the bean is supervised.
     *
     * @param name the bean's name
     * @param bean the bean
     * @param factoryBean whether the bean is a FactoryBean
     */
    boolean isSupervised(String name, Object bean, boolean factoryBean) {
        if (WEB_SERVER_LIFECYCLES.contains(name)
                || PatternMatchUtils.simpleMatch(this.exclude, name)
                || !this.options.isEnabled(name)) {
            return false;
        }
        return !isExcludedByDefault(bean, factoryBean) || PatternMatchUtils.simpleMatch(this.include, name);
    }

    private static boolean isExcludedByDefault(Object bean, boolean factoryBean) {
        return factoryBean
                || bean instanceof SupervisorInfrastructure
                || ClassUtils.getUserClass(bean).getName().startsWith("org.springframework.");
    }
}
