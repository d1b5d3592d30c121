package io.rustrade.supervisor.autoconfigure;

import io.rustrade.supervisor.core.Escalation;
import java.util.function.IntConsumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Escalation for {@code circuit-breaker.on-open: shutdown}: closes the application context (stopping
 * every service in order) and exits the JVM with status 1, so that whatever supervises the process
 * (systemd, Kubernetes) restarts or reports it. Only the first escalation acts.
 */
final class ApplicationShutdownEscalation implements Escalation {

    private static final Log logger = LogFactory.getLog(ApplicationShutdownEscalation.class);

    private final ConfigurableApplicationContext context;

    private final IntConsumer exit;

    private final java.util.concurrent.atomic.AtomicBoolean escalated = new java.util.concurrent.atomic.AtomicBoolean();

    ApplicationShutdownEscalation(ConfigurableApplicationContext context, IntConsumer exit) {
        this.context = context;
        this.exit = exit;
    }

    @Override
    public void escalate(String service, Throwable cause) {
        if (!this.escalated.compareAndSet(false, true)) {
            return;
        }
        logger.error("Shutting the application down: the circuit of service '" + service
                + "' opened and its on-open action is 'shutdown'");
        int status = SpringApplication.exit(this.context, () -> 1);
        this.exit.accept(status);
    }
}
