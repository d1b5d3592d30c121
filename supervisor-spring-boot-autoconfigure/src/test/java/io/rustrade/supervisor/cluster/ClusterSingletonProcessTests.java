package io.rustrade.supervisor.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two instances in two JVMs on one real PostgreSQL; the leader's process is killed with SIGKILL, so it
 * releases nothing and tells nobody. The other takes the singleton over once the dead leader's lock has
 * expired: not before (the lock is respected), and at most the lock's time-to-live plus one heartbeat after
 * the kill, with half a second allowed for two JVMs sharing a small machine.
 */
class ClusterSingletonProcessTests {

    private static final Duration TIME_TO_LIVE = Duration.ofSeconds(2);

    private static final Duration HEARTBEAT = Duration.ofMillis(100);

    private static final Duration SCHEDULING_ALLOWANCE = Duration.ofMillis(500);

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killProcesses() {
        this.processes.forEach(Process::destroyForcibly);
    }

    @Test
    void whenTheLeadersJvmIsKilledTheOtherTakesOverWithinTheLocksTimeToLivePlusOneHeartbeat() throws Exception {
        try (LockDatabase database = LockDatabase.start()) {
            Node first = start(database, "a");
            // In either order: the election runs beside the context's start.
            first.awaitAll("gateway started on a", "instance ready");
            Node second = start(database, "b");
            second.await("instance ready");
            assertThat(second.lines.poll(5 * HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS))
                    .as("the second stands by while the first leads")
                    .isNull();

            long killedAt = System.nanoTime();
            first.process.destroyForcibly();
            long startedAt = second.await("gateway started on b");

            Duration takeover = Duration.ofNanos(startedAt - killedAt);
            System.out.println("Takeover after SIGKILL: " + takeover.toMillis() + "ms (lock time-to-live "
                    + TIME_TO_LIVE.toMillis() + "ms, heartbeat " + HEARTBEAT.toMillis() + "ms)");
            assertThat(takeover)
                    .as("not before the dead leader's lock expired")
                    .isGreaterThanOrEqualTo(TIME_TO_LIVE.minus(HEARTBEAT.multipliedBy(2)))
                    .as("within the lock's time-to-live plus one heartbeat")
                    .isLessThanOrEqualTo(TIME_TO_LIVE.plus(HEARTBEAT).plus(SCHEDULING_ALLOWANCE));
        }
    }

    private Node start(LockDatabase database, String instance) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(
                java.toString(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                ClusterNode.class.getName(),
                "--spring.main.banner-mode=off",
                // Nothing else keeps this JVM alive: it has no web server, and the supervisor's threads are daemons.
                "--spring.main.keep-alive=true",
                "--logging.level.root=warn",
                "--logging.level.io.rustrade=info",
                "--test.jdbc-url=" + database.jdbcUrl(),
                "--test.instance=" + instance,
                "--test.lock-time-to-live=" + TIME_TO_LIVE.toMillis() + "ms",
                "--rustrade.supervisor.cluster.lock-time-to-live=" + TIME_TO_LIVE.toMillis() + "ms",
                "--rustrade.supervisor.cluster.heartbeat=" + HEARTBEAT.toMillis() + "ms",
                "--rustrade.supervisor.services.orderGateway.singleton=true");
        builder.redirectErrorStream(true);
        Process process = builder.start();
        this.processes.add(process);
        return new Node(instance, process);
    }

    /** A started instance whose output lines about the gateway and its readiness are collected as they come. */
    private static final class Node {

        final Process process;

        /** The lines the test waits for, with the time each was read. */
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        final BlockingQueue<Long> times = new LinkedBlockingQueue<>();

        final String instance;

        Node(String instance, Process process) {
            this.instance = instance;
            this.process = process;
            Thread reader = new Thread(this::read, "node-output");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader output =
                    new BufferedReader(new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = output.readLine(); line != null; line = output.readLine()) {
                    if (line.startsWith("gateway ") || line.equals("instance ready")) {
                        this.times.add(System.nanoTime());
                        this.lines.add(line);
                    } else {
                        System.out.println("[" + this.instance + "] " + line);
                    }
                }
            } catch (IOException ex) {
                // The process is gone.
            }
        }

        void awaitAll(String... expected) throws InterruptedException {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < expected.length; i++) {
                seen.add(this.lines.poll(30, TimeUnit.SECONDS));
                this.times.take();
            }
            assertThat(seen).as("the instance's next lines").containsExactlyInAnyOrder(expected);
        }

        /** Waits for the next line, which must be {@code expected}; answers when it was read. */
        long await(String expected) throws InterruptedException {
            String line = this.lines.poll(30, TimeUnit.SECONDS);
            assertThat(line).as("the instance's next line").isEqualTo(expected);
            return this.times.take();
        }
    }
}
