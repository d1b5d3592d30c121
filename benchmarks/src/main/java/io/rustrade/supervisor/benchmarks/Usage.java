package io.rustrade.supervisor.benchmarks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the time went: CPU time of the supervisor's threads by role, of the measuring thread, of the JIT
 * compilers and of garbage collection, to explain a figure (printed as {@code RESULT <prefix>Cpu<role>Ms}).
 */
record Usage(Map<String, Long> cpuNanos, long gcMillis, long compileMillis) {

    static Usage now() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> cpu = new LinkedHashMap<>();
        for (long id : threads.getAllThreadIds()) {
            var info = threads.getThreadInfo(id);
            long nanos = threads.getThreadCpuTime(id);
            if (info == null || nanos < 0) {
                continue;
            }
            cpu.merge(role(info.getThreadName()), nanos, Long::sum);
        }
        long gc = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            gc += Math.max(0, collector.getCollectionTime());
        }
        return new Usage(cpu, gc, ManagementFactory.getCompilationMXBean().getTotalCompilationTime());
    }

    private static String role(String threadName) {
        if (threadName.equals("rustrade-supervisor")) {
            return "Control";
        }
        if (threadName.startsWith("rustrade-supervisor-call-")) {
            return "Calls";
        }
        if (threadName.startsWith("rustrade-supervisor-events-")) {
            return "Events";
        }
        if (threadName.equals("main")) {
            return "Main";
        }
        return "Other";
    }

    Usage minus(Usage earlier) {
        Map<String, Long> cpu = new LinkedHashMap<>();
        this.cpuNanos.forEach((role, nanos) -> cpu.put(role, nanos - earlier.cpuNanos.getOrDefault(role, 0L)));
        return new Usage(cpu, this.gcMillis - earlier.gcMillis, this.compileMillis - earlier.compileMillis);
    }

    void print(String prefix) {
        this.cpuNanos.forEach((role, nanos) -> Scenarios.result(prefix + "Cpu" + role + "Ms", nanos / 1e6));
        Scenarios.result(prefix + "GcMs", this.gcMillis);
        Scenarios.result(prefix + "JitMs", this.compileMillis);
    }
}
