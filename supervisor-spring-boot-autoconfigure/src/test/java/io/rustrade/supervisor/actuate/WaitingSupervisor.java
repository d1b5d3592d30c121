package io.rustrade.supervisor.actuate;

import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.SupervisedService;
import io.rustrade.supervisor.core.ObservableSupervisor;
import io.rustrade.supervisor.core.ServiceTopology;
import io.rustrade.supervisor.core.SupervisionListener;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link DirectSupervisor}'s engine, seen with some of its services {@code WAITING} for another: what the
 * endpoint, the health contributor and the meters read when the engine has put a service in that state.
 * Everything else, commands included, goes to the engine; each command is also recorded.
 */
final class WaitingSupervisor implements ObservableSupervisor {

    final DirectSupervisor direct = new DirectSupervisor();

    final List<String> commands = new CopyOnWriteArrayList<>();

    private final Map<String, String> waitingFor = new ConcurrentHashMap<>();

    /** Shows {@code name} as {@code WAITING} for {@code dependency} from now on. */
    WaitingSupervisor waiting(String name, String dependency) {
        this.waitingFor.put(name, dependency);
        return this;
    }

    private ServiceSnapshot view(ServiceSnapshot snapshot) {
        String dependency = this.waitingFor.get(snapshot.name());
        if (dependency == null) {
            return snapshot;
        }
        return new ServiceSnapshot(
                snapshot.name(),
                snapshot.kind(),
                ServiceState.WAITING,
                snapshot.restartPolicy(),
                snapshot.attempt(),
                snapshot.recentFailures(),
                snapshot.failures(),
                snapshot.restarts(),
                snapshot.circuit(),
                snapshot.startedAt(),
                snapshot.nextRestartAt(),
                snapshot.lastFailure(),
                snapshot.backoff(),
                snapshot.circuitBreaker(),
                snapshot.events(),
                snapshot.group(),
                snapshot.dependsOn(),
                dependency);
    }

    @Override
    public List<ServiceSnapshot> services() {
        return this.direct.engine.services().stream().map(this::view).toList();
    }

    @Override
    public Optional<ServiceSnapshot> service(String name) {
        return this.direct.engine.service(name).map(this::view);
    }

    @Override
    public CompletableFuture<ServiceSnapshot> whenResolved(String name) {
        return this.direct.engine.whenResolved(name).thenApply(this::view);
    }

    @Override
    public void reportFailure(String name, Throwable cause) {
        this.direct.engine.reportFailure(name, cause);
    }

    @Override
    public void restart(String name) {
        this.commands.add("restart " + name);
        this.direct.engine.restart(name);
    }

    @Override
    public void stop(String name) {
        this.commands.add("stop " + name);
        this.direct.engine.stop(name);
    }

    @Override
    public void start(String name) {
        this.commands.add("start " + name);
        this.direct.engine.start(name);
    }

    @Override
    public void reset(String name) {
        this.commands.add("reset " + name);
        this.direct.engine.reset(name);
    }

    @Override
    public void register(String name, SupervisedService service) {
        this.direct.engine.register(name, service);
    }

    @Override
    public void unregister(String name) {
        this.direct.engine.unregister(name);
    }

    @Override
    public CompletableFuture<Void> whenDelivered() {
        return this.direct.engine.whenDelivered();
    }

    /** Counted as the engine counts: by {@link ServiceState#isActive()} of each (possibly waiting) service. */
    @Override
    public int activeServices() {
        return (int) services().stream()
                .filter(service -> service.state().isActive())
                .count();
    }

    @Override
    public int abandonedCalls() {
        return this.direct.engine.abandonedCalls();
    }

    @Override
    public long droppedEvents() {
        return this.direct.engine.droppedEvents();
    }

    @Override
    public void addListener(SupervisionListener listener) {
        this.direct.engine.addListener(listener);
    }

    @Override
    public boolean removeListener(SupervisionListener listener) {
        return this.direct.engine.removeListener(listener);
    }

    @Override
    public ServiceTopology topology() {
        return this.direct.engine.topology();
    }
}
