package io.rustrade.supervisor.autoconfigure;

import io.rustrade.supervisor.core.LifecycleService;
import java.util.concurrent.CountDownLatch;
import org.springframework.context.SmartLifecycle;

/**
 * The supervisor's view of a {@link SmartLifecycle} bean: each call goes straight to the bean. Whether a
 * start is skipped because the bean already runs is the supervisor's decision (only a first start is), not
 * this adapter's. {@link #stop()} uses the bean's asynchronous {@code stop(Runnable)} and waits for its
 * callback, so beans that stop in the background are waited for; the supervisor bounds the wait with
 * {@code stop-timeout}.
 */
final class SmartLifecycleAdapter implements LifecycleService {

    private final SmartLifecycle bean;

    SmartLifecycleAdapter(SmartLifecycle bean) {
        this.bean = bean;
    }

    @Override
    public void start() {
        this.bean.start();
    }

    @Override
    public void stop() throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        this.bean.stop(stopped::countDown);
        stopped.await();
    }

    @Override
    public boolean isRunning() {
        return this.bean.isRunning();
    }
}
