package io.rustrade.supervisor.autoconfigure;

import io.rustrade.supervisor.FailureClassifier;
import io.rustrade.supervisor.core.ContainerSupervisor;
import io.rustrade.supervisor.core.Escalation;
import io.rustrade.supervisor.core.SupervisionLogger;
import io.rustrade.supervisor.core.SupervisorEngine;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnThreading;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.autoconfigure.context.LifecycleProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.core.task.TaskDecorator;
import org.springframework.util.ClassUtils;

/**
 * Supervision of the application's {@code SmartLifecycle} and {@code SupervisedService} beans, on unless
 * {@code rustrade.supervisor.enabled=false}.
 *
 * <p>It replaces Boot's lifecycle processor with one that supervises (honouring {@code
 * spring.lifecycle.timeout-per-shutdown-phase}), and backs off when the application defines its own
 * {@code lifecycleProcessor}: then only services registered at run time are supervised, and a warning says
 * so. Configuration is
 * validated when the supervisor bean is created, before any service starts.
 *
 * <p>{@code SupervisedService} run loops run on virtual threads when Spring Boot runs its own executors on
 * them ({@code spring.threads.virtual.enabled=true} on Java 21 or later), else on platform threads. An
 * application's own {@link SupervisorEngine.RunLauncher} bean starts them instead, in either case.
 *
 * <p>The code of services — every call into a lifecycle bean ({@code start()}, its first start included,
 * {@code stop()}, {@code isRunning()}) and every run of a run loop — runs with the SLF4J MDC key {@code
 * service} set to the service's name, and inside the application's {@link TaskDecorator} beans, as Spring
 * Boot's own executors do: one decorator, or all of them in their order, the first innermost. A decorator
 * that fails is left out of that call, which runs all the same (ADR 015).
 */
@AutoConfiguration(before = LifecycleAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "rustrade.supervisor.enabled", matchIfMissing = true)
@EnableConfigurationProperties({SupervisorProperties.class, LifecycleProperties.class})
public final class SupervisorAutoConfiguration {

    /** SLF4J's MDC; without it the key {@code service} is not set. */
    private static final String MDC = "org.slf4j.MDC";

    /** Elects cluster singletons; its absence is reported only when a service is one. */
    private static final String LEADER_INITIATOR =
            "org.springframework.integration.support.leader.LockRegistryLeaderInitiator";

    @Bean
    @ConditionalOnMissingBean
    ServiceOptionsResolver supervisorServiceOptions(
            SupervisorProperties properties, ConfigurableApplicationContext context) {
        return new ServiceOptionsResolver(properties, context.getClassLoader());
    }

    @Bean
    @ConditionalOnMissingBean
    Escalation supervisorEscalation(ConfigurableApplicationContext context) {
        return new ApplicationShutdownEscalation(context, System::exit);
    }

    /**
     * Run loops on virtual threads, Spring Boot's way. Only the run loops: the control thread, the call
     * threads and the event threads stay platform threads. They are few and live as long as the engine, so
     * virtual threads would save nothing there, and the calls they make into application code ({@code
     * start()}, {@code stop()}, listeners) may block inside {@code synchronized} code, which pins a virtual
     * thread to its carrier before Java 24.
     */
    @Bean
    @ConditionalOnThreading(Threading.VIRTUAL)
    @ConditionalOnMissingBean
    SupervisorEngine.RunLauncher supervisorRunLauncher() {
        return new VirtualThreadRunLauncher();
    }

    @Bean
    @ConditionalOnMissingBean
    SupervisorEngine supervisor(
            ServiceOptionsResolver options,
            Escalation escalation,
            ConfigurableApplicationContext context,
            ObjectProvider<SupervisorEngine.RunLauncher> runLauncher,
            ObjectProvider<TaskDecorator> taskDecorators,
            ObjectProvider<FailureClassifier> failureClassifiers) {
        if (!options.singletons().isEmpty() && !ClassUtils.isPresent(LEADER_INITIATOR, context.getClassLoader())) {
            throw new MissingLockRegistryException(
                    options.singletons(), MissingLockRegistryException.Missing.SPRING_INTEGRATION);
        }
        SupervisorEngine.Builder builder = SupervisorEngine.builder()
                .watchdogInterval(options.watchdogInterval())
                .eventHistorySize(options.eventHistorySize())
                .registrationOptions(options::optionsFor)
                .escalation(escalation);
        // Without one, the engine starts a platform thread per run.
        runLauncher.ifAvailable(builder::runLauncher);
        wrapServiceCode(builder, taskDecorators, context.getClassLoader());
        classifyFailures(builder, failureClassifiers, context);
        SupervisorEngine engine = builder.build();
        // The log is the supervisor's own: no application listener, however stuck, may hold it up. The
        // bridge calls the application's listeners, so it is delivered with them.
        engine.addInternalListener(new SupervisionLogger());
        engine.addListener(new ApplicationEventBridge(engine, context));
        return engine;
    }

    /**
     * The context of services' code, innermost first: the MDC key, right around the code, so that it is set
     * whatever a decorator does to the MDC; the application's decorators, in their order, as Boot's {@code
     * CompositeTaskDecorator} applies them, but each on its own, so that a failing one is the only one left
     * out; the MDC key again, so that the decorators see it too.
     */
    private static void wrapServiceCode(
            SupervisorEngine.Builder builder, ObjectProvider<TaskDecorator> taskDecorators, ClassLoader classLoader) {
        boolean mdc = ClassUtils.isPresent(MDC, classLoader);
        if (mdc) {
            builder.taskWrapper(new ServiceMdc());
        }
        List<TaskDecorator> decorators = taskDecorators.orderedStream().toList();
        decorators.forEach(decorator -> builder.taskWrapper(new TaskDecoratorWrapper(decorator)));
        if (mdc && !decorators.isEmpty()) {
            builder.taskWrapper(new ServiceMdc());
        }
    }

    /**
     * Every {@link FailureClassifier} bean, in the beans' order, applied to every service and named by its
     * bean name in the services' history.
     */
    private static void classifyFailures(
            SupervisorEngine.Builder builder,
            ObjectProvider<FailureClassifier> classifiers,
            ConfigurableApplicationContext context) {
        Map<FailureClassifier, String> names = new IdentityHashMap<>();
        context.getBeansOfType(FailureClassifier.class).forEach((name, bean) -> names.put(bean, name));
        classifiers
                .orderedStream()
                .forEach(classifier -> builder.failureClassifier(
                        names.getOrDefault(classifier, classifier.getClass().getName()), classifier));
    }

    @Bean
    SupervisorLifecycle supervisorLifecycle(ContainerSupervisor engine) {
        return new SupervisorLifecycle(engine);
    }

    @Bean
    ForeignLifecycleProcessorWarning supervisorForeignLifecycleProcessorWarning(
            ConfigurableApplicationContext context) {
        return new ForeignLifecycleProcessorWarning(context.getBeanFactory());
    }

    @Bean(name = AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME)
    @ConditionalOnMissingBean(
            name = AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME,
            search = SearchStrategy.CURRENT)
    SupervisingLifecycleProcessor lifecycleProcessor(
            ContainerSupervisor engine,
            ServiceOptionsResolver options,
            SupervisorProperties properties,
            ObjectProvider<LifecycleProperties> lifecycleProperties) {
        SupervisingLifecycleProcessor processor = new SupervisingLifecycleProcessor(
                engine,
                options,
                new SupervisionCandidates(properties.getInclude(), properties.getExclude(), options),
                new SupervisionTopologyFactory(properties.getGroups(), options));
        lifecycleProperties.ifAvailable(lifecycle -> processor.setTimeoutPerShutdownPhase(
                lifecycle.getTimeoutPerShutdownPhase().toMillis()));
        return processor;
    }
}
