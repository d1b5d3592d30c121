package io.rustrade.supervisor.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The scale harness: supervises 100, 1,000 and 10,000 {@code SmartLifecycle} beans in real Spring Boot
 * applications and prints Markdown tables of what it measured. Every measurement runs in a JVM of its
 * own (so that each start is a cold start and no run inherits another's heap or compiled code), several
 * times; the tables show the median and, in brackets, the lowest and highest run.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.rustrade.supervisor.benchmarks.ScaleHarness [options]
 *   --sizes=100,1000,10000        bean counts of the start-up and storm scenarios
 *   --runs=3                      JVMs per measurement
 *   --scenarios=startup,storm,timing,detection,endpoint
 *   --timing-n=1000 --detection-n=1000 --endpoint-n=10000
 *   --jvm-args="-Xms1g -Xmx1g"    options of every measuring JVM
 * </pre>
 *
 * Scenarios: see {@link Scenarios}. Progress and the measuring JVMs' own output go to standard error;
 * the tables go to standard output.
 */
public final class ScaleHarness {

    private static final List<String> STARTUP_ARMS = List.of("plain", "supervised", "unmetered");

    private static final List<String> STORM_VARIANTS = List.of("full", "none", "full-unlogged");

    private final Options options;

    /** Every figure of every run: key {@code scenario|n|variant|figure}. */
    private final Map<String, List<Double>> results = new LinkedHashMap<>();

    private ScaleHarness(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            Scenarios.run(args[1], Integer.parseInt(args[2]), args[3]);
            System.exit(0);
        }
        new ScaleHarness(Options.parse(args)).run();
    }

    private void run() throws Exception {
        long begin = System.nanoTime();
        List<String> scenarios = this.options.scenarios;
        StringBuilder report = new StringBuilder();
        if (scenarios.contains("startup")) {
            for (int n : this.options.sizes) {
                for (int run = 0; run < this.options.runs; run++) {
                    // Rotate the order so that no arm always runs first.
                    for (int arm = 0; arm < STARTUP_ARMS.size(); arm++) {
                        measure("startup", n, STARTUP_ARMS.get((arm + run) % STARTUP_ARMS.size()));
                    }
                }
            }
            report.append(startupTable());
        }
        if (scenarios.contains("storm")) {
            for (int n : this.options.sizes) {
                for (int run = 0; run < this.options.runs; run++) {
                    for (String variant : STORM_VARIANTS) {
                        measure("storm", n, variant);
                    }
                }
            }
            report.append(stormTable());
        }
        if (scenarios.contains("timing")) {
            for (int run = 0; run < this.options.runs; run++) {
                measure("timing", this.options.timingN, "-");
            }
            report.append(timingTable());
        }
        if (scenarios.contains("detection")) {
            for (int run = 0; run < this.options.runs; run++) {
                measure("detection", this.options.detectionN, "-");
            }
            report.append(detectionTable());
        }
        if (scenarios.contains("endpoint")) {
            for (int run = 0; run < this.options.runs; run++) {
                measure("endpoint", this.options.endpointN, "-");
            }
            report.append(endpointTable());
        }
        System.out.println();
        System.out.println("Java " + System.getProperty("java.vm.version") + " (" + System.getProperty("java.vm.name")
                + "), " + Runtime.getRuntime().availableProcessors() + " processors, measuring JVMs: "
                + String.join(" ", this.options.jvmArgs) + ", " + this.options.runs
                + " runs each; median [lowest, highest run].");
        System.out.println(report);
        System.err.printf(Locale.ROOT, "Done in %.0f s%n", (System.nanoTime() - begin) / 1e9);
    }

    // ---------------------------------------------------------------- tables

    private String startupTable() {
        StringBuilder table = new StringBuilder("\n### Start-up, heap and threads (no web server)\n\n");
        table.append("Arms: *plain* = `rustrade.supervisor.enabled=false`; *supervised* = the defaults; *unmetered* ="
                + " supervised with `management.metrics.enable.rustrade.supervisor=false`. Overheads and heap per"
                + " bean are taken run by run against the plain arm of the same run. *Delivered*: until the"
                + " supervisor's event thread has also delivered every event of the start-up, which registers each"
                + " service's meters; the context does not wait for it.\n\n");
        table.append("| N | start, plain (ms) | start, supervised (ms) | overhead | delivered, supervised (ms)"
                + " | overhead | start, unmetered (ms) | overhead"
                + " | retained heap, plain (MB) | heap per supervised bean (B) | heap per unmetered bean (B)"
                + " | live threads, plain | live threads, supervised | of which the supervisor's"
                + " | close, supervised (ms) |\n");
        table.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int n : this.options.sizes) {
            List<Double> plainStart = get("startup", n, "plain", "startMs");
            List<Double> plainHeap = get("startup", n, "plain", "heapBytes");
            table.append("| ")
                    .append(String.format(Locale.ROOT, "%,d", n))
                    .append(" | ")
                    .append(cell(plainStart, "%.0f"));
            List<Double> delivered = get("startup", n, "supervised", "deliveredMs");
            for (String arm : List.of("supervised", "delivered", "unmetered")) {
                List<Double> start = arm.equals("delivered") ? delivered : get("startup", n, arm, "startMs");
                table.append(" | ")
                        .append(cell(start, "%.0f"))
                        .append(" | ")
                        .append(cell(paired(start, plainStart, (a, b) -> 100 * (a / b - 1)), "%+.0f%%"));
            }
            table.append(" | ").append(cell(scale(plainHeap, 1e-6), "%.1f"));
            for (String arm : List.of("supervised", "unmetered")) {
                List<Double> heap = get("startup", n, arm, "heapBytes");
                table.append(" | ").append(cell(paired(heap, plainHeap, (a, b) -> (a - b) / n), "%.0f"));
            }
            table.append(" | ")
                    .append(cell(get("startup", n, "plain", "threads"), "%.0f"))
                    .append(" | ")
                    .append(cell(get("startup", n, "supervised", "threads"), "%.0f"))
                    .append(" | ")
                    .append(cell(get("startup", n, "supervised", "supervisorThreads"), "%.0f"))
                    .append(" | ")
                    .append(cell(get("startup", n, "supervised", "closeMs"), "%.0f"))
                    .append(" |\n");
        }
        return table.toString();
    }

    /** {@code combine(a[i], b[i])} run by run. */
    private static List<Double> paired(
            List<Double> a, List<Double> b, java.util.function.DoubleBinaryOperator combine) {
        List<Double> result = new ArrayList<>();
        for (int run = 0; run < Math.min(a.size(), b.size()); run++) {
            result.add(combine.applyAsDouble(a.get(run), b.get(run)));
        }
        return result;
    }

    private String stormTable() {
        StringBuilder table =
                new StringBuilder("\n### Restart storm: every service fails at once (base-delay 1 s)\n\n");
        table.append("| N | jitter | all restarts scheduled, cold JVM (ms) | all scheduled, warm (ms) | peak restarts"
                + " in a 100 ms bucket | first to last restart (ms) | restart timing error p50 / p99 / max (ms)"
                + " | CPU in the cold storm: control / events / calls / GC / JIT (ms) |\n");
        table.append("|---:|---|---:|---:|---:|---:|---|---|\n");
        for (int n : this.options.sizes) {
            for (String jitter : STORM_VARIANTS) {
                table.append("| ")
                        .append(String.format(Locale.ROOT, "%,d", n))
                        .append(" | ")
                        .append(jitter)
                        .append(" | ")
                        .append(cell(get("storm", n, jitter, "coldScheduledMs"), "%.1f"))
                        .append(" | ")
                        .append(cell(get("storm", n, jitter, "warmScheduledMs"), "%.1f"))
                        .append(" | ")
                        .append(cell(get("storm", n, jitter, "coldPeakPer100ms"), "%.0f"))
                        .append(" | ")
                        .append(cell(get("storm", n, jitter, "coldStartSpanMs"), "%.0f"))
                        .append(" | ")
                        .append(median(get("storm", n, jitter, "coldErrorP50Ms"), "%.2f"))
                        .append(" / ")
                        .append(median(get("storm", n, jitter, "coldErrorP99Ms"), "%.2f"))
                        .append(" / ")
                        .append(median(get("storm", n, jitter, "coldErrorMaxMs"), "%.2f"))
                        .append(" | ")
                        .append(median(get("storm", n, jitter, "coldCpuControlMs"), "%.0f"))
                        .append(" / ")
                        .append(median(get("storm", n, jitter, "coldCpuEventsMs"), "%.0f"))
                        .append(" / ")
                        .append(median(get("storm", n, jitter, "coldCpuCallsMs"), "%.0f"))
                        .append(" / ")
                        .append(median(get("storm", n, jitter, "coldGcMs"), "%.0f"))
                        .append(" / ")
                        .append(median(get("storm", n, jitter, "coldJitMs"), "%.0f"))
                        .append(" |\n");
            }
        }
        return table.toString();
    }

    private String timingTable() {
        int n = this.options.timingN;
        return "\n### Restart timing error (actual start() − scheduled time), services backing off together\n\n"
                + "| N backing off | error p50 (ms) | error p99 (ms) | error max (ms) | failures handled in (ms)"
                + " | collector pauses | restarts a pause held up | p99 / max of the others (ms) |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---|\n"
                + "| " + String.format(Locale.ROOT, "%,d", n) + " | "
                + cell(get("timing", n, "-", "errorP50Ms"), "%.2f") + " | "
                + cell(get("timing", n, "-", "errorP99Ms"), "%.2f") + " | "
                + cell(get("timing", n, "-", "errorMaxMs"), "%.2f") + " | "
                + cell(get("timing", n, "-", "scheduledMs"), "%.1f") + " | "
                + cell(get("timing", n, "-", "gcPauses"), "%.0f") + " | "
                + cell(get("timing", n, "-", "heldUpByGc"), "%.0f") + " | "
                + median(get("timing", n, "-", "unpausedErrorP99Ms"), "%.2f") + " / "
                + median(get("timing", n, "-", "unpausedErrorMaxMs"), "%.2f") + " |\n";
    }

    private String detectionTable() {
        int n = this.options.detectionN;
        return "\n### Detection latency (failure to failure recorded)\n\n"
                + "| N running | reportFailure p50 (µs) | p99 (µs) | max (µs) | silent stop p50 (ms) | p99 (ms) |"
                + " max (ms) |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|\n"
                + "| " + String.format(Locale.ROOT, "%,d", n) + " | "
                + cell(get("detection", n, "-", "reportP50Us"), "%.0f") + " | "
                + cell(get("detection", n, "-", "reportP99Us"), "%.0f") + " | "
                + cell(get("detection", n, "-", "reportMaxUs"), "%.0f") + " | "
                + cell(get("detection", n, "-", "silentP50Ms"), "%.1f") + " | "
                + cell(get("detection", n, "-", "silentP99Ms"), "%.1f") + " | "
                + cell(get("detection", n, "-", "silentMaxMs"), "%.1f") + " |\n";
    }

    private String endpointTable() {
        int n = this.options.endpointN;
        List<Double> status = get("endpoint", n, "-", "httpStatus");
        return "\n### GET /actuator/supervisor\n\n"
                + "| N | HTTP status | HTTP p50 (ms) | HTTP max (ms) | HTTP body (bytes) | stand-in p50 (ms) |"
                + " stand-in max (ms) | stand-in JSON (bytes) | services() alone p50 (ms) |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
                + "| " + String.format(Locale.ROOT, "%,d", n) + " | "
                + cell(status, "%.0f") + " | "
                + cell(get("endpoint", n, "-", "httpP50Ms"), "%.1f") + " | "
                + cell(get("endpoint", n, "-", "httpMaxMs"), "%.1f") + " | "
                + cell(get("endpoint", n, "-", "httpBytes"), "%.0f") + " | "
                + cell(get("endpoint", n, "-", "standInP50Ms"), "%.1f") + " | "
                + cell(get("endpoint", n, "-", "standInMaxMs"), "%.1f") + " | "
                + cell(get("endpoint", n, "-", "standInBytes"), "%.0f") + " | "
                + cell(get("endpoint", n, "-", "servicesP50Ms"), "%.1f") + " |\n";
    }

    private static List<Double> scale(List<Double> values, double factor) {
        return values.stream().map(value -> value * factor).toList();
    }

    private String cell(List<Double> values, String format) {
        if (values.isEmpty()) {
            return "–";
        }
        String median = String.format(Locale.ROOT, format, Stats.median(values));
        if (values.size() == 1) {
            return median;
        }
        return median + " [" + String.format(Locale.ROOT, format, Stats.min(values)) + ", "
                + String.format(Locale.ROOT, format, Stats.maxOf(values)) + "]";
    }

    private static String median(List<Double> values, String format) {
        return values.isEmpty() ? "–" : String.format(Locale.ROOT, format, Stats.median(values));
    }

    private List<Double> get(String scenario, int n, String variant, String figure) {
        return this.results.getOrDefault(scenario + "|" + n + "|" + variant + "|" + figure, List.of());
    }

    // ---------------------------------------------------------------- measuring JVMs

    private void measure(String scenario, int n, String variant) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(this.options.jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ScaleHarness.class.getName());
        command.addAll(List.of("child", scenario, String.valueOf(n), variant));
        double busy = waitForQuietMachine();
        System.err.printf(Locale.ROOT, "%s n=%d %s (machine %.0f%% busy before) ...%n", scenario, n, variant, busy);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Map<String, Double> figures = new LinkedHashMap<>();
        Deque<String> tail = new ArrayDeque<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("RESULT ")) {
                    String[] parts = line.split(" ");
                    figures.put(parts[1], Double.parseDouble(parts[2]));
                } else {
                    // The supervisor logs every failure: keep only the end, shown if the run fails.
                    tail.addLast(line);
                    if (tail.size() > 40) {
                        tail.removeFirst();
                    }
                }
            }
        }
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            tail.forEach(line -> System.err.println("  | " + line));
            throw new IllegalStateException(scenario + " n=" + n + " " + variant + " failed");
        }
        System.err.println("  " + figures);
        figures.forEach((figure, value) -> this.results
                .computeIfAbsent(scenario + "|" + n + "|" + variant + "|" + figure, key -> new ArrayList<>())
                .add(value));
    }

    /**
     * Waits (up to two minutes) until the other processes of the machine leave its processors at least
     * 85% idle for a second, so that a build running beside the harness does not end up in its figures;
     * returns the share of the processors that was busy in the last second looked at. Linux only: elsewhere
     * it does not wait.
     */
    private static double waitForQuietMachine() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        double busy;
        do {
            long[] before = cpuTicks();
            Thread.sleep(1000);
            long[] after = cpuTicks();
            if (before == null || after == null || after[0] == before[0]) {
                return Double.NaN;
            }
            busy = 1.0 - (double) (after[1] - before[1]) / (after[0] - before[0]);
            if (busy > 0.15) {
                System.err.printf(Locale.ROOT, "  machine %.0f%% busy; waiting for it to calm down%n", 100 * busy);
            }
        } while (busy > 0.15 && System.nanoTime() < deadline);
        return 100 * busy;
    }

    /** Total and idle (idle + iowait) ticks of all processors, from {@code /proc/stat}; null elsewhere. */
    private static long[] cpuTicks() {
        try {
            String[] fields =
                    Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < fields.length; i++) {
                total += Long.parseLong(fields[i]);
            }
            return new long[] {total, Long.parseLong(fields[4]) + Long.parseLong(fields[5])};
        } catch (IOException | RuntimeException ex) {
            return null;
        }
    }

    /** Command-line options. */
    private record Options(
            List<Integer> sizes,
            int runs,
            List<String> scenarios,
            int timingN,
            int detectionN,
            int endpointN,
            List<String> jvmArgs) {

        static Options parse(String[] args) {
            Map<String, String> given = new LinkedHashMap<>();
            for (String arg : args) {
                if (!arg.startsWith("--") || !arg.contains("=")) {
                    throw new IllegalArgumentException("Expected --name=value, got '" + arg + "'");
                }
                given.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
            Options options = new Options(
                    Arrays.stream(given.getOrDefault("sizes", "100,1000,10000").split(","))
                            .map(Integer::parseInt)
                            .toList(),
                    Integer.parseInt(given.getOrDefault("runs", "3")),
                    List.of(given.getOrDefault("scenarios", "startup,storm,timing,detection,endpoint")
                            .split(",")),
                    Integer.parseInt(given.getOrDefault("timing-n", "1000")),
                    Integer.parseInt(given.getOrDefault("detection-n", "1000")),
                    Integer.parseInt(given.getOrDefault("endpoint-n", "10000")),
                    List.of(given.getOrDefault("jvm-args", "-Xms1g -Xmx1g")
                            .trim()
                            .split("\\s+")));
            given.keySet()
                    .removeAll(
                            List.of("sizes", "runs", "scenarios", "timing-n", "detection-n", "endpoint-n", "jvm-args"));
            if (!given.isEmpty()) {
                throw new IllegalArgumentException("Unknown options " + given.keySet());
            }
            return options;
        }
    }
}
