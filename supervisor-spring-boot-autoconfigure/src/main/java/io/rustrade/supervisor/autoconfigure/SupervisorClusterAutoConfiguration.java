package io.rustrade.supervisor.autoconfigure;

import io.rustrade.supervisor.core.ContainerSupervisor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * Cluster singletons ({@code services.<name>.singleton}) on Spring Integration's leader election: one
 * {@link LockRegistryLeaderInitiator} per singleton, over the application's {@link LockRegistry}. When no
 * service is a singleton, nothing is created and no lock registry is needed.
 */
@AutoConfiguration(after = SupervisorAutoConfiguration.class)
@ConditionalOnClass(LockRegistryLeaderInitiator.class)
@ConditionalOnBean(ContainerSupervisor.class)
public final class SupervisorClusterAutoConfiguration {

    @Bean
    SingletonElections supervisorSingletonElections(
            ContainerSupervisor supervisor,
            ServiceOptionsResolver options,
            ObjectProvider<LockRegistry<?>> lockRegistries,
            ConfigurableApplicationContext context) {
        Set<String> singletons = options.singletons();
        LockRegistry<?> locks = null;
        if (!singletons.isEmpty()) {
            locks = lockRegistries.getIfUnique();
            if (locks == null) {
                throw new MissingLockRegistryException(
                        singletons,
                        (lockRegistries.stream().findAny().isPresent())
                                ? MissingLockRegistryException.Missing.UNIQUE_LOCK_REGISTRY
                                : MissingLockRegistryException.Missing.LOCK_REGISTRY);
            }
        }
        LockRegistry<?> registry = locks;
        SupervisorProperties.Cluster cluster = options.cluster();
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("rustrade-supervisor-election-");
        executor.setDaemon(true);
        // Each election keeps a thread for as long as it runs: a virtual one costs next to nothing.
        executor.setVirtualThreads(Threading.VIRTUAL.isActive(context.getEnvironment()));
        return new SingletonElections(
                supervisor,
                later -> {
                    List<SingletonElection> elections = new ArrayList<>();
                    for (String service : singletons) {
                        elections.add(new SingletonElection(
                                service,
                                options.optionsFor(service).singletonLock(),
                                supervisor,
                                registry,
                                cluster.getHeartbeat(),
                                cluster.getLockTimeToLive(),
                                options.optionsFor(service).stopTimeout(),
                                executor,
                                context,
                                System::nanoTime,
                                later));
                    }
                    return elections;
                },
                cluster.getHeartbeat(),
                cluster.getLockTimeToLive());
    }
}
