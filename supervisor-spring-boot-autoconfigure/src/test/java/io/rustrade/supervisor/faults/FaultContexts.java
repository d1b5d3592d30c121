package io.rustrade.supervisor.faults;

import static org.awaitility.Awaitility.await;

import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.Supervisor;
import java.time.Duration;

/** What the fault tests read of a running application: its services, and the supervisor's call threads. */
final class FaultContexts {

    private static final String CALL_THREAD_PREFIX = "rustrade-supervisor-call-";

    private FaultContexts() {}

    static ServiceSnapshot snapshot(Supervisor supervisor, String name) {
        return supervisor.service(name).orElseThrow();
    }

    static ServiceState state(Supervisor supervisor, String name) {
        return snapshot(supervisor, name).state();
    }

    /** The supervisor's call threads alive now, of every context. */
    static long callThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith(CALL_THREAD_PREFIX))
                .count();
    }

    /** Call threads of contexts closed earlier go once their pool is shut down and they are idle. */
    static void awaitNoCallThreads() {
        await().atMost(Duration.ofSeconds(5)).until(() -> callThreads() == 0);
    }
}
