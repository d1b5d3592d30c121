package io.rustrade.supervisor.benchmarks;

import io.rustrade.supervisor.Supervisor;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Cluster singletons on a real PostgreSQL (embedded, started here): how long a failover takes, and what the
 * elections cost the database. Prints Markdown tables; progress goes to standard error.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.rustrade.supervisor.benchmarks.ClusterHarness [options]
 *   --scenarios=failover,dbcost
 *   --runs=3                        failovers of each kind
 *   --shapes=1x2,10x2,10x4,50x2,50x4  singletons x instances of the database cost
 *   --window=10                     seconds each database cost is measured over
 * </pre>
 *
 * {@code -Dcluster.idle-between-tries=500ms} sets JdbcLockRegistry's pause between two acquisition attempts
 * inside one heartbeat (its default is 100ms).
 *
 * Instances are Spring Boot applications on the starter's defaults (heartbeat 500ms, JdbcLockRegistry's
 * time-to-live 10s); those of the clean-close, yield and cost figures share this JVM, those of the SIGKILL
 * figure each run in a JVM of their own.
 */
public final class ClusterHarness {

    private static final BlockingQueue<String> STARTS = new LinkedBlockingQueue<>();

    private final Map<String, String> options;

    private final EmbeddedPostgres postgres;

    private int lockNumber;

    private ClusterHarness(Map<String, String> options, EmbeddedPostgres postgres) {
        this.options = options;
        this.postgres = postgres;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("node")) {
            node(args[1], args[2], args[3]);
            return;
        }
        Map<String, String> options = new java.util.HashMap<>();
        for (String arg : args) {
            String[] pair = arg.replaceFirst("^--", "").split("=", 2);
            options.put(pair[0], pair.length > 1 ? pair[1] : "");
        }
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            new ResourceDatabasePopulator(
                            new ClassPathResource("org/springframework/integration/jdbc/schema-postgresql.sql"))
                    .execute(postgres.getPostgresDatabase());
            ClusterHarness harness = new ClusterHarness(options, postgres);
            List<String> scenarios =
                    List.of(options.getOrDefault("scenarios", "failover,dbcost").split(","));
            if (scenarios.contains("failover")) {
                harness.failover(Integer.parseInt(options.getOrDefault("runs", "3")));
            }
            if (scenarios.contains("dbcost")) {
                harness.databaseCost(
                        List.of(options.getOrDefault("shapes", "1x2,10x2,10x4,50x2,50x4")
                                .split(",")),
                        Integer.parseInt(options.getOrDefault("window", "10")));
            }
        }
        System.exit(0);
    }

    // ---------------------------------------------------------------- failover

    private void failover(int runs) throws Exception {
        List<Double> closed = new ArrayList<>();
        List<Double> yielded = new ArrayList<>();
        List<Double> killed = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            String prefix = "failover-" + (++this.lockNumber) + ".";
            STARTS.clear();
            ConfigurableApplicationContext first = instance("a", 1, prefix);
            awaitStart("a/singleton-0");
            ConfigurableApplicationContext second = instance("b", 1, prefix);
            Thread.sleep(1000);
            long began = System.nanoTime();
            first.getBean(Supervisor.class).yieldLeadership("singleton-0").get();
            awaitStart("b/singleton-0");
            yielded.add(millisSince(began));
            began = System.nanoTime();
            second.close();
            awaitStart("a/singleton-0");
            closed.add(millisSince(began));
            first.close();
            killed.add(killedLeader(prefix + "k."));
            System.err.printf(
                    "failover run %d: yield %.0fms, close %.0fms, SIGKILL %.0fms%n",
                    run + 1, yielded.get(run), closed.get(run), killed.get(run));
        }
        System.out.println();
        System.out.println("| Failover of one singleton between two instances | median | lowest | highest |");
        System.out.println("|---|---|---|---|");
        row("after `yield` (from the request)", yielded);
        row("after a clean close of the leader (from the close)", closed);
        row("after SIGKILL of the leader's JVM (from the kill; time-to-live 10s)", killed);
    }

    /** Two instances in JVMs of their own; the leader is killed; answers the time until the other ran it. */
    private double killedLeader(String prefix) throws Exception {
        List<Process> nodes = new ArrayList<>();
        try {
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            nodes.add(node("a", prefix, lines));
            // "ready a" may come before or after: only the start matters.
            awaitLine(lines, "started a/singleton-0");
            nodes.add(node("b", prefix, lines));
            awaitLine(lines, "ready b");
            Thread.sleep(1000);
            long killedAt = System.nanoTime();
            nodes.get(0).destroyForcibly();
            awaitLine(lines, "started b/singleton-0");
            return millisSince(killedAt);
        } finally {
            nodes.forEach(Process::destroyForcibly);
        }
    }

    private Process node(String name, String prefix, BlockingQueue<String> lines) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        ClusterHarness.class.getName(),
                        "node",
                        name,
                        prefix,
                        jdbcUrl())
                .redirectErrorStream(true)
                .start();
        Thread reader = new Thread(() -> {
            try (BufferedReader output =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = output.readLine(); line != null; line = output.readLine()) {
                    if (line.startsWith("started ") || line.startsWith("ready ")) {
                        lines.add(line);
                    }
                }
            } catch (java.io.IOException ex) {
                // The process is gone.
            }
        });
        reader.setDaemon(true);
        reader.start();
        return process;
    }

    /** A node: one instance with one singleton, telling on standard output when it starts it. */
    private static void node(String name, String prefix, String jdbcUrl) {
        start(
                name,
                1,
                prefix,
                jdbcUrl,
                List.of("--spring.main.keep-alive=true", "--logging.level.root=warn"),
                start -> System.out.println("started " + start));
        System.out.println("ready " + name);
    }

    // ---------------------------------------------------------------- database cost

    private void databaseCost(List<String> shapes, int windowSeconds) throws Exception {
        System.out.println();
        System.out.println("| Singletons × instances | Transactions/s | Lock-row updates/s | Inserts tried/s"
                + " | Transactions/s per singleton per instance | Election threads per instance |");
        System.out.println("|---|---|---|---|---|---|");
        for (String shape : shapes) {
            int singletons = Integer.parseInt(shape.split("x")[0]);
            int instances = Integer.parseInt(shape.split("x")[1]);
            String prefix = "cost-" + (++this.lockNumber) + ".";
            List<ConfigurableApplicationContext> running = new ArrayList<>();
            try {
                for (int i = 0; i < instances; i++) {
                    running.add(instance("i" + i, singletons, prefix));
                }
                Thread.sleep(3000);
                long threadsBefore = electionThreads();
                Map<String, Object> before = counters();
                long began = System.nanoTime();
                Thread.sleep(windowSeconds * 1000L);
                Map<String, Object> after = counters();
                double seconds = (System.nanoTime() - began) / 1e9;
                double transactions = (delta(before, after, "xact") / seconds);
                System.out.printf(
                        "| %d × %d | %.0f | %.0f | %.0f | %.1f | %d |%n",
                        singletons,
                        instances,
                        transactions,
                        delta(before, after, "upd") / seconds,
                        delta(before, after, "ins") / seconds,
                        transactions / (singletons * instances),
                        threadsBefore / instances);
                System.err.println("measured " + shape);
            } finally {
                running.forEach(ConfigurableApplicationContext::close);
            }
        }
    }

    private Map<String, Object> counters() {
        JdbcTemplate jdbc = new JdbcTemplate(this.postgres.getPostgresDatabase());
        Map<String, Object> counters = new java.util.HashMap<>(jdbc.queryForMap(
                "select xact_commit + xact_rollback as xact from pg_stat_database where datname = 'postgres'"));
        counters.putAll(jdbc.queryForMap(
                "select n_tup_upd as upd, n_tup_ins as ins from pg_stat_user_tables where relname = 'int_lock'"));
        return counters;
    }

    private static double delta(Map<String, Object> before, Map<String, Object> after, String key) {
        return ((Number) after.get(key)).doubleValue() - ((Number) before.get(key)).doubleValue();
    }

    private static long electionThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("rustrade-supervisor-election-"))
                .count();
    }

    // ---------------------------------------------------------------- instances

    private String jdbcUrl() {
        return this.postgres.getJdbcUrl("postgres", "postgres");
    }

    private ConfigurableApplicationContext instance(String name, int singletons, String prefix) {
        return start(name, singletons, prefix, jdbcUrl(), List.of("--logging.level.root=warn"), STARTS::add);
    }

    private static ConfigurableApplicationContext start(
            String name, int singletons, String prefix, String jdbcUrl, List<String> args, Consumer<String> starts) {
        List<String> properties = new ArrayList<>(List.of(
                "spring.main.banner-mode=off",
                "cluster.jdbc-url=" + jdbcUrl,
                "cluster.idle-between-tries=" + System.getProperty("cluster.idle-between-tries", "100ms"),
                "rustrade.supervisor.cluster.lock-prefix=" + prefix));
        for (int i = 0; i < singletons; i++) {
            properties.add("rustrade.supervisor.services.singleton-" + i + ".singleton=true");
        }
        return new SpringApplicationBuilder(Instance.class)
                .web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new))
                .initializers(context -> {
                    for (int i = 0; i < singletons; i++) {
                        String service = "singleton-" + i;
                        ((GenericApplicationContext) context)
                                .registerBean(
                                        service,
                                        Singleton.class,
                                        () -> new Singleton(() -> starts.accept(name + "/" + service)));
                    }
                })
                .run(args.toArray(String[]::new));
    }

    private static void awaitStart(String expected) throws InterruptedException {
        awaitLine(STARTS, expected);
    }

    private static void awaitLine(BlockingQueue<String> lines, String expected) throws InterruptedException {
        while (true) {
            String line = lines.poll(60, TimeUnit.SECONDS);
            if (line == null) {
                throw new IllegalStateException("waited a minute for '" + expected + "'");
            }
            if (line.equals(expected)) {
                return;
            }
        }
    }

    private static double millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e6;
    }

    private static void row(String label, List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        System.out.printf(
                "| %s | %.0f ms | %.0f ms | %.0f ms |%n",
                label, sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1));
    }

    /** An instance: the lock registry on the shared database, and the supervisor's auto-configuration. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({
        io.rustrade.supervisor.autoconfigure.SupervisorAutoConfiguration.class,
        io.rustrade.supervisor.autoconfigure.SupervisorClusterAutoConfiguration.class
    })
    static class Instance {

        @Bean
        DataSource dataSource(@Value("${cluster.jdbc-url}") String url) {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(url);
            return dataSource;
        }

        @Bean
        PlatformTransactionManager transactionManager(DataSource dataSource) {
            return new DataSourceTransactionManager(dataSource);
        }

        @Bean
        DefaultLockRepository lockRepository(DataSource dataSource) {
            return new DefaultLockRepository(dataSource);
        }

        @Bean
        JdbcLockRegistry lockRegistry(
                DefaultLockRepository repository, @Value("${cluster.idle-between-tries:100ms}") Duration idle) {
            JdbcLockRegistry registry = new JdbcLockRegistry(repository);
            // How often a candidate's acquisition is retried inside one heartbeat: 100ms is the registry's default.
            registry.setIdleBetweenTries(idle);
            return registry;
        }
    }

    /** A singleton that tells when it starts. */
    static final class Singleton implements SmartLifecycle {

        private final Runnable onStart;

        private volatile boolean running;

        Singleton(Runnable onStart) {
            this.onStart = onStart;
        }

        @Override
        public void start() {
            this.running = true;
            this.onStart.run();
        }

        @Override
        public void stop() {
            this.running = false;
        }

        @Override
        public boolean isRunning() {
            return this.running;
        }
    }
}
