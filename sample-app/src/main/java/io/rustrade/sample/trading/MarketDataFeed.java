package io.rustrade.sample.trading;

import io.rustrade.sample.exchange.SimulatedExchange;
import io.rustrade.supervisor.Supervisor;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Connects to the exchange over TCP and consumes its price ticks on a reader thread.
 *
 * <p>When the connection drops, the reader tells the supervisor at once with {@link
 * Supervisor#reportFailure}; the supervisor stops the feed, waits its backoff delay and starts it
 * again, which reconnects.
 */
public class MarketDataFeed implements SmartLifecycle {

    private static final Log logger = LogFactory.getLog(MarketDataFeed.class);

    static final String NAME = "marketDataFeed";

    private final SimulatedExchange exchange;

    private final Supervisor supervisor;

    private final AtomicLong ticks = new AtomicLong();

    private volatile Socket socket;

    private volatile String lastTick = "";

    public MarketDataFeed(SimulatedExchange exchange, Supervisor supervisor) {
        this.exchange = exchange;
        this.supervisor = supervisor;
    }

    @Override
    public void start() {
        try {
            Socket connection = new Socket(InetAddress.getLoopbackAddress(), this.exchange.getPort());
            this.socket = connection;
            Thread reader = new Thread(() -> read(connection), "market-data-reader");
            reader.setDaemon(true);
            reader.start();
            logger.info("Market data feed connected");
        } catch (IOException ex) {
            throw new IllegalStateException("Cannot connect to the exchange", ex);
        }
    }

    @Override
    public void stop() {
        Socket connection = this.socket;
        this.socket = null;
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException ex) {
                // closing anyway
            }
        }
    }

    @Override
    public boolean isRunning() {
        Socket connection = this.socket;
        return connection != null && !connection.isClosed();
    }

    /** Ticks received since the application started. */
    public long getTicks() {
        return this.ticks.get();
    }

    /** The last tick received. */
    public String getLastTick() {
        return this.lastTick;
    }

    private void read(Socket connection) {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.US_ASCII))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                this.lastTick = line;
                this.ticks.incrementAndGet();
            }
            throw new EOFException("The exchange closed the market data connection");
        } catch (IOException ex) {
            if (this.socket == connection) {
                // Dropped by the exchange, not closed by stop(): a failure to report.
                this.supervisor.reportFailure(NAME, ex);
            }
        }
    }
}
