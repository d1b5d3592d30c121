package io.rustrade.sample.exchange;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A stand-in for a real exchange: streams price ticks ({@code SYMBOL PRICE}, one per line) to every
 * client on a free loopback port, and drops each connection now and then ({@code chaosRate} is the
 * chance per tick), as real market-data connections do.
 *
 * <p>It is infrastructure, not a service to supervise: the sample's configuration excludes it, and it
 * starts in an early phase so that the feed finds it listening.
 */
public class SimulatedExchange implements SmartLifecycle {

    private static final Log logger = LogFactory.getLog(SimulatedExchange.class);

    private static final String[] SYMBOLS = {"EURUSD", "GBPUSD", "USDJPY", "BTCUSD"};

    private final double chaosRate;

    private final long tickMillis;

    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();

    private volatile ServerSocket server;

    public SimulatedExchange(double chaosRate, long tickMillis) {
        this.chaosRate = chaosRate;
        this.tickMillis = tickMillis;
    }

    /** The port the exchange listens on, once started. */
    public int getPort() {
        return this.server.getLocalPort();
    }

    /** Drops every open connection at once, as an exchange-side outage would. */
    public int dropConnections() {
        int dropped = 0;
        for (Socket client : this.clients) {
            closeQuietly(client);
            dropped++;
        }
        return dropped;
    }

    @Override
    public void start() {
        try {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException ex) {
            throw new IllegalStateException("The simulated exchange could not listen", ex);
        }
        Thread acceptor = new Thread(this::accept, "exchange-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        logger.info("Simulated exchange listening on port " + getPort() + ", dropping connections at a rate of "
                + this.chaosRate + " per tick");
    }

    @Override
    public void stop() {
        closeQuietly(this.server);
        dropConnections();
    }

    @Override
    public boolean isRunning() {
        return this.server != null && !this.server.isClosed();
    }

    @Override
    public int getPhase() {
        return -100;
    }

    private void accept() {
        while (isRunning()) {
            try {
                Socket client = this.server.accept();
                this.clients.add(client);
                Thread streamer = new Thread(() -> stream(client), "exchange-stream-" + client.getPort());
                streamer.setDaemon(true);
                streamer.start();
            } catch (IOException ex) {
                // closed: the exchange stops
            }
        }
    }

    private void stream(Socket client) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        double price = 100.0;
        try (client;
                OutputStream out = client.getOutputStream()) {
            while (!client.isClosed()) {
                if (random.nextDouble() < this.chaosRate) {
                    logger.info("Simulated exchange drops a connection");
                    return;
                }
                price += random.nextGaussian() * 0.05;
                String tick = SYMBOLS[random.nextInt(SYMBOLS.length)] + " " + String.format("%.4f", price) + "\n";
                out.write(tick.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(this.tickMillis);
            }
        } catch (SocketException ex) {
            // the client went away
        } catch (IOException ex) {
            logger.debug("Stream failed", ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } finally {
            this.clients.remove(client);
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (IOException ex) {
            // nothing more to do
        }
    }
}
