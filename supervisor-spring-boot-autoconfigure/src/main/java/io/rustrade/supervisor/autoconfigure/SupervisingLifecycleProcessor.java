package io.rustrade.supervisor.autoconfigure;

import io.rustrade.supervisor.SupervisedService;
import io.rustrade.supervisor.core.ContainerSupervisor;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.Lifecycle;
import org.springframework.context.Phased;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.support.DefaultLifecycleProcessor;

/**
 * The application context's lifecycle processor, handing the context a {@link SupervisedLifecycle} in
 * place of every supervised bean: {@code SmartLifecycle} beans, and {@link SupervisedService} beans,
 * which become lifecycle members of their own (phase {@code 0}, or their {@link Phased#getPhase()}).
 *
 * <p>No proxy is involved: the beans keep their own type and final classes and records work. Each bean is
 * registered with the supervisor the first time the context asks for its lifecycle beans, and the same
 * wrapper is returned on every later call. Supervision is switched on before the context starts any
 * bean.
 *
 * <p>Once every supervised bean is known, the first time the context asks, and before it starts any of
 * them, the supervisor is given how they depend on each other and which groups they form ({@link
 * SupervisionTopologyFactory}); bad group configuration fails the context's start there.
 */
final class SupervisingLifecycleProcessor extends DefaultLifecycleProcessor {

    private static final Log logger = LogFactory.getLog(SupervisingLifecycleProcessor.class);

    /** A bound on the wait for snapshots; the control thread is never busy for long. */
    private static final Duration SNAPSHOT_WAIT = Duration.ofSeconds(5);

    private final ContainerSupervisor engine;

    private final ServiceOptionsResolver options;

    private final SupervisionCandidates candidates;

    private final SupervisionTopologyFactory topology;

    private final Map<String, Lifecycle> wrappers = new ConcurrentHashMap<>();

    private final AtomicBoolean allBeansKnown = new AtomicBoolean();

    private ConfigurableListableBeanFactory beanFactory;

    SupervisingLifecycleProcessor(
            ContainerSupervisor engine,
            ServiceOptionsResolver options,
            SupervisionCandidates candidates,
            SupervisionTopologyFactory topology) {
        this.engine = engine;
        this.options = options;
        this.candidates = candidates;
        this.topology = topology;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
        super.setBeanFactory(beanFactory);
        this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
    }

    @Override
    public void onRefresh() {
        this.engine.open();
        super.onRefresh();
        awaitSnapshots();
    }

    @Override
    public void start() {
        this.engine.open();
        super.start();
        awaitSnapshots();
    }

    @Override
    public void onRestart() {
        this.engine.open();
        super.onRestart();
        awaitSnapshots();
    }

    /**
     * Once the context has started, every snapshot shows the outcome of what its start posted to the
     * supervisor. The events (and the meters and application events that follow from them) are delivered
     * on the supervisor's event thread, as every event is, without holding up the context.
     */
    private void awaitSnapshots() {
        try {
            this.engine.whenApplied().get(SNAPSHOT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException ex) {
            logger.debug("Started without waiting for the supervisor's snapshots", ex);
        }
    }

    @Override
    protected Map<String, Lifecycle> getLifecycleBeans() {
        Map<String, Lifecycle> beans = super.getLifecycleBeans();
        Map<String, Lifecycle> result = new LinkedHashMap<>();
        Set<String> candidateNames = new LinkedHashSet<>();
        beans.forEach((name, bean) -> {
            candidateNames.add(name);
            result.put(name, superviseLifecycle(name, bean));
        });
        for (String name : this.beanFactory.getBeanNamesForType(SupervisedService.class, false, false)) {
            candidateNames.add(name);
            if (!result.containsKey(name)) {
                Lifecycle wrapper = superviseService(name);
                if (wrapper != null) {
                    result.put(name, wrapper);
                }
            }
        }
        if (this.allBeansKnown.compareAndSet(false, true)) {
            warnAboutUnmatchedServiceKeys(candidateNames);
            useTopology();
        }
        return result;
    }

    /**
     * Read here rather than when the beans are created: by now every singleton exists, so the bean factory
     * has recorded every dependency, and no service has started yet.
     */
    private void useTopology() {
        Set<String> supervised = new TreeSet<>(this.wrappers.keySet());
        DependencyGraph graph = DependencyGraph.read(this.beanFactory, supervised);
        this.engine.useTopology(this.topology.create(supervised, graph));
    }

    private Lifecycle superviseLifecycle(String name, Lifecycle bean) {
        Lifecycle wrapper = this.wrappers.get(name);
        if (wrapper != null) {
            return wrapper;
        }
        if (!(bean instanceof SmartLifecycle smart)
                || !this.candidates.isSupervised(name, bean, this.beanFactory.isFactoryBean(name))) {
            return bean;
        }
        return this.wrappers.computeIfAbsent(name, key -> {
            this.engine.registerBean(name, new SmartLifecycleAdapter(smart), this.options.optionsFor(name));
            return new SupervisedLifecycle(
                    name, this.engine, smart.getPhase(), smart.isAutoStartup(), smart.isPauseable());
        });
    }

    private Lifecycle superviseService(String name) {
        Lifecycle wrapper = this.wrappers.get(name);
        if (wrapper != null) {
            return wrapper;
        }
        SupervisedService service = this.beanFactory.getBean(name, SupervisedService.class);
        if (!this.candidates.isSupervised(name, service, this.beanFactory.isFactoryBean(name))) {
            logger.debug("SupervisedService bean '" + name + "' is excluded from supervision and does not run");
            return null;
        }
        int phase = (service instanceof Phased phased) ? phased.getPhase() : 0;
        return this.wrappers.computeIfAbsent(name, key -> {
            this.engine.registerBean(name, service, this.options.optionsFor(name));
            return new SupervisedLifecycle(name, this.engine, phase, true, true);
        });
    }

    private void warnAboutUnmatchedServiceKeys(Set<String> candidateNames) {
        for (String configured : this.options.configuredServiceNames()) {
            if (!candidateNames.contains(configured)) {
                logger.warn("Property 'rustrade.supervisor.services." + configured
                        + "' names no SmartLifecycle or SupervisedService bean; it applies only if a service"
                        + " of that name is registered at run time");
            }
        }
    }
}
