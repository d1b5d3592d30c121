package io.rustrade.sample.trading;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A session with a trading venue, whose login is refused the first few times: {@code start()} throws,
 * the supervisor backs off and tries again until the venue lets it in.
 */
public class OrderGateway implements SmartLifecycle {

    private static final Log logger = LogFactory.getLog(OrderGateway.class);

    private final AtomicInteger refusalsLeft;

    private final AtomicInteger logins = new AtomicInteger();

    private volatile boolean loggedIn;

    public OrderGateway(int refusals) {
        this.refusalsLeft = new AtomicInteger(refusals);
    }

    @Override
    public void start() {
        int attempt = this.logins.incrementAndGet();
        if (this.refusalsLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            throw new LoginRefusedException("Login refused by the venue (attempt " + attempt + ")");
        }
        this.loggedIn = true;
        logger.info("Order gateway logged in (attempt " + attempt + ")");
    }

    @Override
    public void stop() {
        this.loggedIn = false;
    }

    @Override
    public boolean isRunning() {
        return this.loggedIn;
    }

    /** Drops the session silently, as a venue does: only the supervisor's watchdog notices. */
    public void dropSession() {
        this.loggedIn = false;
    }
}
