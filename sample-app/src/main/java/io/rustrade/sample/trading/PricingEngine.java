package io.rustrade.sample.trading;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Prices from the market-data feed: a pricing thread reads the feed's last tick every {@code interval} and
 * keeps the last price of each symbol. It cannot start without a connected feed, and is useless while the
 * feed is down: the sample's configuration puts both in a {@code rest-for-one} group, so that the engine is
 * stopped when the feed fails and started again once the feed runs.
 */
public class PricingEngine implements SmartLifecycle {

    private static final Log logger = LogFactory.getLog(PricingEngine.class);

    private final MarketDataFeed feed;

    private final Duration interval;

    private final Map<String, String> prices = new ConcurrentHashMap<>();

    private final AtomicLong quotes = new AtomicLong();

    private volatile Thread pricing;

    public PricingEngine(MarketDataFeed feed, Duration interval) {
        this.feed = feed;
        this.interval = interval;
    }

    @Override
    public void start() {
        if (!this.feed.isRunning()) {
            throw new IllegalStateException("No market data: the feed is not connected");
        }
        Thread thread = new Thread(this::price, "pricing-engine");
        thread.setDaemon(true);
        this.pricing = thread;
        thread.start();
        logger.info("Pricing engine started on the market data feed");
    }

    @Override
    public void stop() {
        Thread thread = this.pricing;
        this.pricing = null;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return this.pricing != null;
    }

    /** The last price of each symbol seen on the feed. */
    public Map<String, String> getPrices() {
        return Map.copyOf(this.prices);
    }

    /** Quotes priced since the application started. */
    public long getQuotes() {
        return this.quotes.get();
    }

    private void price() {
        String last = "";
        while (this.pricing == Thread.currentThread()) {
            String tick = this.feed.getLastTick();
            if (!tick.equals(last)) {
                last = tick;
                int space = tick.indexOf(' ');
                if (space > 0) {
                    this.prices.put(tick.substring(0, space), tick.substring(space + 1));
                    this.quotes.incrementAndGet();
                }
            }
            try {
                Thread.sleep(this.interval.toMillis());
            } catch (InterruptedException ex) {
                return;
            }
        }
    }
}
