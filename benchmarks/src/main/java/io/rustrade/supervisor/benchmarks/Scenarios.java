package io.rustrade.supervisor.benchmarks;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.core.SupervisorEngine;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * The measurements of the scale harness, each run in a fresh JVM by {@link ScaleHarness}. Each prints its
 * figures as {@code RESULT <key> <value>} lines on standard output.
 */
final class Scenarios {

    /** The cause of every induced failure; no stack trace, so that building it costs nothing. */
    private static final RuntimeException OUTAGE = new Outage();

    private Scenarios() {}

    static void run(String scenario, int n, String variant) throws Exception {
        switch (scenario) {
            case "startup" -> startup(n, variant);
            case "storm" -> storm(n, variant);
            case "timing" -> timing(n);
            case "detection" -> detection(n);
            case "endpoint" -> endpoint(n);
            default -> throw new IllegalArgumentException("Unknown scenario '" + scenario + "'");
        }
    }

    /**
     * Start time, retained heap and live threads of an application with {@code n} beans. Variant {@code
     * plain}: {@code rustrade.supervisor.enabled=false}; {@code supervised}: the defaults, the supervisor's
     * Micrometer meters included; {@code unmetered}: supervised, with the supervisor's meters denied
     * ({@code management.metrics.enable.rustrade.supervisor=false}), to tell their share. Start time is
     * until {@code SpringApplication.run} returns; "delivered" until the supervisor's event thread has also
     * delivered every event of the start-up (registering each service's meters).
     */
    private static void startup(int n, String variant) throws Exception {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("rustrade.supervisor.enabled", !variant.equals("plain"));
        if (variant.equals("unmetered")) {
            properties.put("management.metrics.enable.rustrade.supervisor", "false");
        }
        BenchmarkApplication.Started app = BenchmarkApplication.start(n, WebApplicationType.NONE, properties);
        result("startMs", app.startNanos() / 1e6);
        // The supervisor delivers its events (the meters of each service are registered on them) on its own
        // thread, and the context does not wait for them: also measure until they are all delivered.
        long delivered = app.startNanos();
        if (!variant.equals("plain")) {
            long begin = System.nanoTime();
            app.context().getBean(SupervisorEngine.class).whenDelivered().get(60, TimeUnit.SECONDS);
            delivered += System.nanoTime() - begin;
        }
        result("deliveredMs", delivered / 1e6);
        // Let every thread the supervisor creates appear: the watchdog ticks after 1 s.
        sleep(Duration.ofMillis(2500));
        long running = 0;
        for (Worker worker : app.workers()) {
            running += worker.isRunning() ? 1 : 0;
        }
        result("running", running);
        result("threads", ManagementFactory.getThreadMXBean().getThreadCount());
        result("supervisorThreads", supervisorThreads());
        result("heapBytes", usedHeapAfterGc());
        long closing = System.nanoTime();
        app.context().close();
        result("closeMs", (System.nanoTime() - closing) / 1e6);
    }

    /**
     * All {@code n} services fail at the same instant, twice: once in a fresh JVM (cold), once after every
     * service has restarted and been reset (warm). Base delay 1 s so that full jitter has room to spread.
     * Variant {@code full}, {@code none}: the jitter; {@code full-unlogged}: full jitter with the
     * supervisor's log lines off, to show what logging every failure costs.
     */
    private static void storm(int n, String variant) throws Exception {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("rustrade.supervisor.backoff.base-delay", "1s");
        properties.put("rustrade.supervisor.backoff.jitter", variant.startsWith("full") ? "full" : variant);
        if (variant.endsWith("-unlogged")) {
            properties.put("logging.level.io.rustrade.supervisor", "off");
        }
        BenchmarkApplication.Started app = BenchmarkApplication.start(n, WebApplicationType.NONE, properties);
        SupervisorEngine engine = app.context().getBean(SupervisorEngine.class);
        // Start from a quiet supervisor: the start-up's events delivered, every meter registered.
        engine.whenDelivered().get(60, TimeUnit.SECONDS);
        Recorder recorder = new Recorder(n);
        engine.addListener(recorder);
        // A quiet JVM: the compilers have caught up with the start-up; the failure paths are still cold.
        System.gc();
        sleep(Duration.ofSeconds(3));
        for (String round : new String[] {"cold", "warm"}) {
            if (round.equals("warm")) {
                resetAll(engine, n);
            }
            Usage before = Usage.now();
            long begin = failAll(engine, recorder, n);
            recorder.awaitScheduled();
            long lastScheduled = max(recorder.scheduledAt);
            result(round + "ScheduledMs", (lastScheduled - begin) / 1e6);
            Usage.now().minus(before).print(round);
            recorder.awaitStarted();
            long[] starts = startTimes(app.workers());
            result(round + "PeakPer100ms", peakPerBucket(starts, begin, 100_000_000L));
            result(round + "StartSpanMs", (max(starts) - min(starts)) / 1e6);
            long[] errors = errors(starts, recorder.restartAt);
            result(round + "ErrorP50Ms", Stats.percentile(errors, 50) / 1e6);
            result(round + "ErrorP99Ms", Stats.percentile(errors, 99) / 1e6);
            result(round + "ErrorMaxMs", Stats.max(errors) / 1e6);
        }
        app.context().close();
    }

    /**
     * Restart timing error: {@code n} services fail together and all back off at once, with equal jitter
     * on a 1 s base, so every restart falls due between 0.5 s and 1 s later, after the failures have been
     * handled. Three rounds (reset in between); errors of all rounds together. The scheduled time is the
     * event's {@code restartAt}, built on the supervisor's millisecond wall clock: it can be up to 1 ms
     * earlier than the timer's true due time, so the error shown can be up to 1 ms too large, never too
     * small.
     */
    private static void timing(int n) throws Exception {
        int rounds = 3;
        BenchmarkApplication.Started app = BenchmarkApplication.start(
                n,
                WebApplicationType.NONE,
                Map.of("rustrade.supervisor.backoff.base-delay", "1s", "rustrade.supervisor.backoff.jitter", "equal"));
        SupervisorEngine engine = app.context().getBean(SupervisorEngine.class);
        // Start from a quiet supervisor: the start-up's events delivered, every meter registered.
        engine.whenDelivered().get(60, TimeUnit.SECONDS);
        Recorder recorder = new Recorder(n);
        engine.addListener(recorder);
        long[] errors = new long[rounds * n];
        List<Long> unpaused = new ArrayList<>();
        Pauses pauses = Pauses.record();
        for (int round = 0; round < rounds; round++) {
            if (round > 0) {
                resetAll(engine, n);
            }
            long begin = failAll(engine, recorder, n);
            recorder.awaitScheduled();
            result("backingOffAtOnce", countBackingOff(engine));
            long firstDue = min(recorder.restartAt);
            long lastScheduled = max(recorder.scheduledAt);
            if (lastScheduled > firstDue) {
                System.err.println("warning: the last restart was scheduled after the first fell due");
            }
            recorder.awaitStarted();
            long[] starts = startTimes(app.workers());
            System.arraycopy(errors(starts, recorder.restartAt), 0, errors, round * n, n);
            for (int i = 0; i < n; i++) {
                if (!pauses.heldUp(recorder.restartAt[i], starts[i])) {
                    unpaused.add(starts[i] - recorder.restartAt[i]);
                }
            }
            result("scheduledMs", (lastScheduled - begin) / 1e6);
        }
        result("errorP50Ms", Stats.percentile(errors, 50) / 1e6);
        result("errorP99Ms", Stats.percentile(errors, 99) / 1e6);
        result("errorMaxMs", Stats.max(errors) / 1e6);
        long[] outsidePauses = unpaused.stream().mapToLong(Long::longValue).toArray();
        result("heldUpByGc", errors.length - outsidePauses.length);
        result("gcPauses", pauses.count());
        result("unpausedErrorP99Ms", Stats.percentile(outsidePauses, 99) / 1e6);
        result("unpausedErrorMaxMs", Stats.max(outsidePauses) / 1e6);
        app.context().close();
    }

    /**
     * Detection latency with {@code n} services running, after a warm-up pass. {@code reportFailure}: each
     * service reported once, 1 ms apart, from the call until its snapshot counts the failure (the calling
     * thread polls it). Silent stop: each service's {@code isRunning()} turns false, 0 to 5 ms apart, with
     * {@code watchdog-interval} 100 ms; from the stop to the {@code at} of the failure event (millisecond
     * precision).
     */
    private static void detection(int n) throws Exception {
        BenchmarkApplication.Started app = BenchmarkApplication.start(
                n, WebApplicationType.NONE, Map.of("rustrade.supervisor.watchdog-interval", "100ms"));
        SupervisorEngine engine = app.context().getBean(SupervisorEngine.class);
        // Start from a quiet supervisor: the start-up's events delivered, every meter registered.
        engine.whenDelivered().get(60, TimeUnit.SECONDS);
        Recorder recorder = new Recorder(n);
        engine.addListener(recorder);

        // Warm up the failure and restart paths first (three passes): a steady-state figure, not the JIT's.
        for (int pass = 0; pass < 3; pass++) {
            recorder.expect(n);
            for (int i = 0; i < n; i++) {
                engine.reportFailure(Worker.name(i), OUTAGE);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            recorder.awaitStarted();
        }
        sleep(Duration.ofSeconds(2));

        // The event instants have millisecond precision: time the report on this thread instead, from the
        // call until the failure shows in the service's snapshot (published as the failure is recorded),
        // polling it without parking.
        long[] reportLatency = new long[n];
        long[] reportedAt = new long[n];
        recorder.expect(n);
        Usage before = Usage.now();
        for (int i = 0; i < n; i++) {
            String name = Worker.name(i);
            long failures = engine.service(name).orElseThrow().failures();
            long begin = System.nanoTime();
            reportedAt[i] = begin;
            engine.reportFailure(name, OUTAGE);
            while (engine.service(name).orElseThrow().failures() == failures) {
                // Give the processor away if the supervisor's threads need it: two cores only here.
                Thread.yield();
            }
            reportLatency[i] = System.nanoTime() - begin;
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        recorder.awaitFailed();
        Usage.now().minus(before).print("report");
        result("reportP50Us", Stats.percentile(reportLatency, 50) / 1e3);
        result("reportP99Us", Stats.percentile(reportLatency, 99) / 1e3);
        result("reportMaxUs", Stats.max(reportLatency) / 1e3);
        recorder.awaitStarted();
        // Report to stop: from the report until the failed bean's stop() is entered on a call thread — the
        // whole path through the control thread and the service's lane.
        long[] stopLatency = new long[n];
        for (int i = 0; i < n; i++) {
            stopLatency[i] = app.workers()[i].lastStopNanos() - reportedAt[i];
        }
        result("reportToStopP50Us", Stats.percentile(stopLatency, 50) / 1e3);
        result("reportToStopP99Us", Stats.percentile(stopLatency, 99) / 1e3);
        result("reportToStopMaxUs", Stats.max(stopLatency) / 1e3);
        sleep(Duration.ofMillis(500));

        long[] stoppedAt = new long[n];
        recorder.expect(n);
        for (int i = 0; i < n; i++) {
            stoppedAt[i] = Wall.nanos();
            app.workers()[i].stopSilently();
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(TimeUnit.MILLISECONDS.toNanos(5)));
        }
        recorder.awaitFailed();
        long[] silentLatency = errors(recorder.failedAt, stoppedAt);
        result("silentP50Ms", Stats.percentile(silentLatency, 50) / 1e6);
        result("silentP99Ms", Stats.percentile(silentLatency, 99) / 1e6);
        result("silentMaxMs", Stats.max(silentLatency) / 1e6);
        app.context().close();
    }

    /**
     * {@code GET /actuator/supervisor} with {@code n} services: over HTTP when the endpoint exists (HTTP 200),
     * and always the stand-in, {@code Supervisor.services()} written as the endpoint's JSON list view.
     */
    private static void endpoint(int n) throws Exception {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("server.port", "0");
        properties.put("server.address", "127.0.0.1");
        properties.put("management.endpoints.web.exposure.include", "supervisor");
        BenchmarkApplication.Started app = BenchmarkApplication.start(n, WebApplicationType.SERVLET, properties);
        ConfigurableApplicationContext context = app.context();
        SupervisorEngine engine = context.getBean(SupervisorEngine.class);
        engine.whenDelivered().get(60, TimeUnit.SECONDS);

        JsonMapper mapper = JsonMapper.builder()
                .addMixIn(ServiceSnapshot.class, ListView.class)
                .build();
        Supplier<byte[]> standIn = () -> {
            Map<String, ServiceSnapshot> services = new LinkedHashMap<>();
            for (ServiceSnapshot service : engine.services()) {
                services.put(service.name(), service);
            }
            return mapper.writeValueAsBytes(Map.of("services", services));
        };
        long[] standInTimes = time(20, 10, () -> standIn.get().length);
        result("standInP50Ms", Stats.percentile(standInTimes, 50) / 1e6);
        result("standInMaxMs", Stats.max(standInTimes) / 1e6);
        result("standInBytes", standIn.get().length);
        long[] servicesTimes = time(20, 10, () -> engine.services().size());
        result("servicesP50Ms", Stats.percentile(servicesTimes, 50) / 1e6);

        int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/supervisor"))
                .timeout(Duration.ofSeconds(30))
                .build();
        HttpResponse<byte[]> probe = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        result("httpStatus", probe.statusCode());
        if (probe.statusCode() == 200) {
            long[] httpTimes = time(20, 10, () -> {
                try {
                    return client.send(request, HttpResponse.BodyHandlers.ofByteArray())
                            .body()
                            .length;
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            });
            result("httpP50Ms", Stats.percentile(httpTimes, 50) / 1e6);
            result("httpMaxMs", Stats.max(httpTimes) / 1e6);
            result("httpBytes", probe.body().length);
        }
        context.close();
    }

    // ---------------------------------------------------------------- helpers

    /** Reports a failure of every worker from this thread, as fast as it can; returns when it began. */
    private static long failAll(SupervisorEngine engine, Recorder recorder, int n) {
        recorder.expect(n);
        long begin = Wall.nanos();
        for (int i = 0; i < n; i++) {
            engine.reportFailure(Worker.name(i), OUTAGE);
        }
        return begin;
    }

    /** Resets every worker's history, once all run again, and lets the supervisor settle. */
    private static void resetAll(SupervisorEngine engine, int n) {
        for (int i = 0; i < n; i++) {
            engine.reset(Worker.name(i));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (engine.services().stream().anyMatch(service -> service.attempt() != 0)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Services were not reset in time");
            }
            sleep(Duration.ofMillis(50));
        }
        sleep(Duration.ofSeconds(1));
    }

    private static long countBackingOff(SupervisorEngine engine) {
        return engine.services().stream()
                .filter(service -> service.state() == ServiceState.BACKING_OFF)
                .count();
    }

    private static long[] startTimes(Worker[] workers) {
        long[] starts = new long[workers.length];
        for (int i = 0; i < workers.length; i++) {
            starts[i] = workers[i].lastStartWallNanos();
        }
        return starts;
    }

    /** {@code actual[i] - expected[i]} for every {@code i}. */
    private static long[] errors(long[] actual, long[] expected) {
        long[] errors = new long[actual.length];
        for (int i = 0; i < actual.length; i++) {
            errors[i] = actual[i] - expected[i];
        }
        return errors;
    }

    private static long peakPerBucket(long[] times, long origin, long bucketNanos) {
        Map<Long, Long> buckets = new LinkedHashMap<>();
        for (long time : times) {
            buckets.merge(Math.floorDiv(time - origin, bucketNanos), 1L, Long::sum);
        }
        return buckets.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    private static long[] time(int samples, int warmups, Supplier<Integer> action) {
        for (int i = 0; i < warmups; i++) {
            action.get();
        }
        long[] times = new long[samples];
        for (int i = 0; i < samples; i++) {
            long begin = System.nanoTime();
            action.get();
            times[i] = System.nanoTime() - begin;
        }
        return times;
    }

    private static long max(long[] values) {
        long max = Long.MIN_VALUE;
        for (long value : values) {
            max = Math.max(max, value);
        }
        return max;
    }

    private static long min(long[] values) {
        long min = Long.MAX_VALUE;
        for (long value : values) {
            min = Math.min(min, value);
        }
        return min;
    }

    private static long supervisorThreads() {
        long count = 0;
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
            if (info.getThreadName().startsWith("rustrade-supervisor")) {
                count++;
            }
        }
        return count;
    }

    /** Used heap after full collections, once it stops shrinking. */
    private static long usedHeapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            sleep(Duration.ofMillis(200));
            used = Math.min(
                    used,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    static void result(String key, double value) {
        System.out.println("RESULT " + key + " " + value);
    }

    /** The endpoint's list view leaves out each service's events. */
    @JsonIgnoreProperties({"events"})
    private interface ListView {}

    private static final class Outage extends RuntimeException {

        Outage() {
            super("induced by the benchmark", null, false, false);
        }
    }
}
