package io.rustrade.supervisor.autoconfigure;

import io.rustrade.supervisor.core.SupervisorEngine;
import java.util.concurrent.ThreadFactory;
import org.springframework.core.task.VirtualThreadTaskExecutor;

/**
 * Starts each run of a {@code SupervisedService} on a new virtual thread, named after the service like the
 * engine's platform run threads ({@code rustrade-supervisor-<service>}).
 *
 * <p>Needs Java 21 or later: it is created only when Spring Boot's {@code Threading.VIRTUAL} is active. The
 * thread factory is Spring Framework's, which this Java 17 code can link against on any Java version.
 */
final class VirtualThreadRunLauncher implements SupervisorEngine.RunLauncher {

    private final ThreadFactory threads = new VirtualThreadTaskExecutor().getVirtualThreadFactory();

    @Override
    public void launch(String serviceName, Runnable run) {
        Thread thread = this.threads.newThread(run);
        thread.setName(SupervisorEngine.RunLauncher.threadName(serviceName));
        thread.start();
    }
}
