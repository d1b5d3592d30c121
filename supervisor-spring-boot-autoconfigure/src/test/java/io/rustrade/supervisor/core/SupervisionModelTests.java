package io.rustrade.supervisor.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustrade.supervisor.Cancellation;
import io.rustrade.supervisor.CircuitOpenAction;
import io.rustrade.supervisor.GroupStrategy;
import io.rustrade.supervisor.Jitter;
import io.rustrade.supervisor.RestartPolicy;
import io.rustrade.supervisor.ServiceSnapshot;
import io.rustrade.supervisor.ServiceState;
import io.rustrade.supervisor.SupervisedService;
import io.rustrade.supervisor.core.internal.Durations;
import io.rustrade.supervisor.testing.HostileExceptions;
import io.rustrade.supervisor.testing.ManualExecutor;
import io.rustrade.supervisor.testing.VirtualScheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A randomised model test of the core: long random sequences of faults of the user's objects, operator
 * and container commands, clock advances and worker scheduling, on virtual time, with the rules of
 * supervision checked after every step.
 *
 * <p>Each sequence supervises a few services (lifecycle objects and run loops) with small timeouts, the
 * watchdog on and a circuit breaker. Calls and runs wait in manual executors and run only when a step
 * runs them, in random order. Half of the sequences (odd seeds) start the clock just before its readings
 * wrap around past {@link Long#MAX_VALUE}, so that every timing rule is also checked across the wrap. A
 * user call that is slow or hangs is simulated as in {@code LifecycleSupervisionTests}: while it is
 * "inside" the user's code it runs further steps of the sequence re-entrantly (the clock moves, timers
 * fire, other calls run, commands are issued), then returns or throws. A run loop lives in the same way
 * while its task runs.
 *
 * <p>The rules checked after every step (at every depth of re-entry), each reported with the sequence's
 * seed, the step and the steps before it:
 *
 * <ol>
 *   <li>Never two calls at once on one object: the fakes record their entries and exits.
 *   <li>Counts agree with events: {@code failures} = {@code Failed} events, {@code restarts} = {@code
 *       Restarting} events; every restart calls {@code start()} or begins a run (restarts ≤ starts − 1 once
 *       no call is pending); {@code attempt}, {@code recentFailures} ≥ 0; history within its size.
 *   <li>Every state is left: at the end of each sequence, with healthy objects, {@code reset} takes a
 *       {@code CIRCUIT_OPEN}/{@code FAILED} service to {@code RUNNING}, {@code stop} takes every service to
 *       {@code STOPPED}, {@code start} to {@code RUNNING}; every state is visited over the run.
 *   <li>Bounded: pending timers and pending executor tasks stay within a small constant per service; a
 *       service's failure window holds only failures inside it, at most {@code max-failures}, in at most
 *       four times as many slots (16 at least, none when empty); at most eight commands wait per service;
 *       at most 16 failures per delivery lane wait with their original exception.
 *   <li>A call that outlives its timeout is abandoned with a {@code CallAbandoned} event naming it (never
 *       earlier, never a call that is not running), and nothing else is called on the object until it
 *       returned (rule 1). Supervision goes on as if it had ended: a stop asked for is done at once.
 *   <li>Nothing is started once supervision is suspended, and user code runs only on worker calls, never
 *       on the control thread.
 *   <li>In the half of the sequences whose beans are tied together (a group of either strategy, or
 *       dependencies with {@code restart-dependents}): a {@code WAITING} service names the service it waits
 *       for, which does not wait itself; a service waits only while (or stopping to) {@code WAITING}; rules
 *       2 and 3 hold as they do for services on their own (a waiting service counts no failure).
 * </ol>
 *
 * <p>A violation names its rule in brackets: {@code one-call}, {@code counts}, {@code restart-starts},
 * {@code end-states}, {@code bounded}, {@code abandoned}, {@code stop-after-abandon}, {@code
 * no-start-after-suspend}, {@code user-code-thread}, {@code step-threw}, {@code escalation}, {@code waiting}.
 *
 * <p>Replay: {@code -Drustrade.test.seed=<seed>} replays a run; {@code -Drustrade.test.sequence=<seed>}
 * runs only the sequence with that seed (shown in a failure), {@code -Drustrade.test.sequences=<n>}
 * changes how many sequences a run has, {@code -Drustrade.test.steps=<n>} cuts every sequence short.
 * To look past a known violation while it is being fixed, {@code -Drustrade.test.model.ignore=<rule>,...}
 * leaves rules unchecked, and {@code -Drustrade.test.model.stats=true} prints how often each event
 * happened. Minimal reproductions of what it found are in {@link SupervisionModelFindingsTests}.
 */
class SupervisionModelTests {

    private static final int SEQUENCES = Integer.getInteger("rustrade.test.sequences", 300);

    private static final int MAX_DEPTH = 3;

    private static final int RECENT_STEPS = Integer.getInteger("rustrade.test.model.recent", 60);

    /**
     * Rules left unchecked, by name (comma-separated): only to explore past a known violation, never set by
     * the build.
     */
    private static final Set<String> IGNORED_RULES =
            Set.of(System.getProperty("rustrade.test.model.ignore", "").split(","));

    /** With {@code -Drustrade.test.model.stats}: how often each kind of event happened, printed at the end. */
    private static final Map<String, Integer> STATS =
            Boolean.getBoolean("rustrade.test.model.stats") ? new java.util.TreeMap<>() : null;

    @SeededCases.Property
    void randomSequencesOfFaultsCommandsAndTimeKeepTheRulesOfSupervision(long seed) {
        EnumSet<ServiceState> visited = EnumSet.noneOf(ServiceState.class);
        String one = System.getProperty("rustrade.test.sequence", "").strip();
        if (!one.isEmpty()) {
            new Model(Long.parseLong(one), visited).run();
            return;
        }
        SeededCases.check(
                seed,
                SEQUENCES,
                draw -> new Model(draw.longIn("sequence", Long.MIN_VALUE, Long.MAX_VALUE), visited).run());
        if (STATS != null) {
            STATS.forEach((kind, count) -> System.out.println("model stats: " + kind + " = " + count));
        }
        assertThat(visited)
                .as("states the generator reached over %d sequences", SEQUENCES)
                .containsAll(EnumSet.of(
                        ServiceState.STARTING,
                        ServiceState.RUNNING,
                        ServiceState.BACKING_OFF,
                        ServiceState.CIRCUIT_OPEN,
                        ServiceState.STOPPING,
                        ServiceState.STOPPED,
                        ServiceState.COMPLETED,
                        ServiceState.FAILED,
                        ServiceState.WAITING));
    }

    /** An exception configured as fatal for some services. */
    static final class FatalFault extends RuntimeException {

        private static final long serialVersionUID = 1L;

        FatalFault() {
            super("fatal fault");
        }
    }

    /** One random sequence: an engine, its services and their fakes, and the steps. */
    static final class Model {

        final long sequenceSeed;

        final SplittableRandom rnd;

        final EnumSet<ServiceState> visited;

        /** Starts just before the wrap-around of readings for half of the sequences ({@link #clockStart}). */
        final VirtualScheduler scheduler;

        /** Calls and runs wait here and run when a step says so, in random order. */
        final ManualExecutor calls = new ManualExecutor((service, body) -> new Task("call", service, body));

        final ManualExecutor runs = new ManualExecutor((service, body) -> new Task("run", service, body));

        final Deque<Frame> frames = new ArrayDeque<>();

        final SupervisorEngine engine;

        final List<Svc> services = new ArrayList<>();

        final Map<String, Svc> byName = new HashMap<>();

        final int historySize;

        final long watchdogNanos;

        final int steps;

        final Deque<String> recent = new ArrayDeque<>();

        int step;

        int subStep;

        int depth;

        /** Slow calls in progress must return by then: no advance goes past it. */
        long cap = Long.MAX_VALUE;

        boolean healthy;

        String phase = "random steps";

        volatile String violation;

        long openIssuedAt;

        int lifecycles;

        ServiceTopology topology = ServiceTopology.none();

        Model(long sequenceSeed, EnumSet<ServiceState> visited) {
            this.sequenceSeed = sequenceSeed;
            this.scheduler = new VirtualScheduler(clockStart(sequenceSeed));
            this.rnd = new SplittableRandom(sequenceSeed);
            this.visited = visited;
            this.steps = Integer.getInteger("rustrade.test.steps", this.rnd.nextInt(200, 501));
            this.watchdogNanos = millis(this.rnd.nextInt(20, 200));
            this.historySize = this.rnd.nextInt(0, 12);
            this.engine = SupervisorEngine.builder()
                    .scheduler(this.scheduler)
                    .callExecutor(this.calls)
                    .runLauncher(this.runs)
                    .eventExecutor(Runnable::run)
                    .random(new SplittableRandom(this.rnd.nextLong()))
                    .escalation((service, cause) ->
                            violation("escalation", "escalated although no circuit has on-open shutdown"))
                    .watchdogInterval(Duration.ofNanos(this.watchdogNanos))
                    .eventHistorySize(this.historySize)
                    .listener(this::onEvent)
                    .build();
            this.engine.open();
            drain();
            int count = this.rnd.nextInt(1, 5);
            for (int i = 0; i < count; i++) {
                boolean lifecycle = this.rnd.nextBoolean();
                String name = (lifecycle ? "life" : "loop") + i;
                Svc svc = new Svc(name, lifecycle, lifecycle || this.rnd.nextBoolean(), options());
                this.services.add(svc);
                this.byName.put(name, svc);
            }
            this.topology = topology(new SplittableRandom(sequenceSeed ^ 0x5DEECE66DL));
            this.engine.useTopology(this.topology);
            if (!this.topology.isEmpty()) {
                log("topology: groups " + this.topology.groups() + ", restart-dependents "
                        + this.services.stream()
                                .filter(svc -> this.topology.restartsDependents(svc.name))
                                .map(svc -> svc.name + " <- " + dependentsOf(svc.name))
                                .toList());
            }
            for (Svc svc : this.services) {
                String name = svc.name;
                boolean lifecycle = svc.lifecycle;
                if (lifecycle) {
                    this.lifecycles++;
                    this.engine.registerBean(name, svc.life, svc.options);
                    this.engine.startService(name);
                } else if (svc.bean) {
                    this.engine.registerBean(name, svc.loop, svc.options);
                    this.engine.startService(name);
                } else {
                    this.engine.register(name, svc.loop, svc.options);
                }
                log("registered " + name + (svc.bean ? " (bean) " : " (at run time) ") + svc.options);
            }
            drain();
        }

        /**
         * For half of the sequences with two beans or more, ties the beans together: a group of either
         * strategy, or dependencies (from earlier beans to later ones, as a context's would be) with {@code
         * restart-dependents} on some. Drawn from its own generator, so the other draws stay as they were.
         */
        private ServiceTopology topology(SplittableRandom draw) {
            List<String> beans = this.services.stream()
                    .filter(svc -> svc.bean)
                    .map(svc -> svc.name)
                    .toList();
            if (beans.size() < 2 || draw.nextBoolean()) {
                return ServiceTopology.none();
            }
            ServiceTopology.Builder topology = ServiceTopology.builder();
            int kind = draw.nextInt(3);
            if (kind < 2) {
                List<String> members =
                        beans.stream().filter(name -> draw.nextInt(4) > 0).toList();
                if (members.size() < 2) {
                    members = beans;
                }
                topology.group("g", (kind == 0) ? GroupStrategy.REST_FOR_ONE : GroupStrategy.ONE_FOR_ALL, members);
            }
            if (kind == 2 || draw.nextBoolean()) {
                for (int later = 1; later < beans.size(); later++) {
                    for (int earlier = 0; earlier < later; earlier++) {
                        if (draw.nextBoolean()) {
                            topology.dependsOn(beans.get(later), List.of(beans.get(earlier)));
                        }
                    }
                }
                beans.stream().filter(name -> draw.nextInt(5) < 3).forEach(topology::restartDependents);
            }
            return topology.build();
        }

        private List<String> dependentsOf(String name) {
            return this.services.stream()
                    .filter(svc -> this.topology.dependsOn(svc.name).contains(name))
                    .map(svc -> svc.name)
                    .toList();
        }

        private ServiceOptions options() {
            int openMillis = this.rnd.nextInt(50, 1000);
            RestartPolicy[] policies = {
                RestartPolicy.ON_FAILURE, RestartPolicy.ON_FAILURE, RestartPolicy.ON_FAILURE,
                RestartPolicy.ALWAYS, RestartPolicy.ALWAYS, RestartPolicy.NEVER
            };
            return ServiceOptions.builder()
                    .restartPolicy(policies[this.rnd.nextInt(policies.length)])
                    .startTimeout(Duration.ofMillis(this.rnd.nextInt(20, 300)))
                    .stopTimeout(Duration.ofMillis(this.rnd.nextInt(20, 300)))
                    .fatalExceptions(this.rnd.nextInt(3) == 0 ? Set.of(FatalFault.class) : Set.of())
                    .backoff(BackoffPolicy.builder()
                            .baseDelay(Duration.ofMillis(this.rnd.nextInt(5, 100)))
                            .maxDelay(Duration.ofMillis(this.rnd.nextInt(100, 1000)))
                            .jitter(Jitter.values()[this.rnd.nextInt(Jitter.values().length)])
                            .cooldownPeriod(Duration.ofMillis(this.rnd.nextInt(0, 2000)))
                            .build())
                    .circuitBreaker(CircuitBreakerPolicy.builder()
                            .maxFailures(this.rnd.nextInt(4) == 0 ? 0 : this.rnd.nextInt(1, 6))
                            .window(Duration.ofMillis(this.rnd.nextInt(200, 10_000)))
                            .onOpen(this.rnd.nextBoolean() ? CircuitOpenAction.STOP : CircuitOpenAction.HALF_OPEN)
                            .openDuration(Duration.ofMillis(openMillis))
                            .maxOpenDuration(Duration.ofMillis((long) openMillis * this.rnd.nextInt(1, 8)))
                            .build())
                    .build();
        }

        // ------------------------------------------------------------ running a sequence

        void run() {
            try {
                check(true);
                for (this.step = 1; this.step <= this.steps; this.step++) {
                    this.subStep = 0;
                    step();
                    Thread.interrupted();
                    check(true);
                    throwIfViolated();
                }
                finish();
                throwIfViolated();
            } finally {
                // The interrupts meant for abandoned calls and cancelled runs were delivered to this thread.
                Thread.interrupted();
            }
        }

        /** One random step: at the top level, or re-entrantly inside a call that is slow or hangs. */
        void step() {
            if (this.violation != null) {
                return;
            }
            this.subStep++;
            try {
                int r = this.rnd.nextInt(100);
                if (r < 22) {
                    runOne(this.calls, "call");
                } else if (r < 34) {
                    runOne(this.runs, "run");
                } else if (r < 36) {
                    log("run every pending call");
                    while (this.violation == null && this.calls.runRandom(this.rnd)) {
                        drain();
                    }
                } else if (r < 56) {
                    advance(randomDuration());
                } else if (r < 59) {
                    race();
                } else if (r < 64) {
                    crash();
                } else if (r < 68) {
                    reportFailure(randomService());
                } else if (r < 95) {
                    command(randomService());
                } else {
                    log("control thread catches up");
                }
                drain();
            } catch (RuntimeException | Error ex) {
                violation("step-threw", "the step threw " + ex + "\n" + stackOf(ex));
            }
            check(false);
        }

        private void runOne(ManualExecutor tasks, String kind) {
            if (tasks.pending() == 0) {
                log("no pending " + kind);
                return;
            }
            tasks.runRandom(this.rnd);
        }

        private long randomDuration() {
            return switch (this.rnd.nextInt(10)) {
                case 0 -> 0;
                case 1 -> millis(1);
                case 2, 3, 4 -> this.rnd.nextLong(1, millis(60));
                case 5, 6, 7 -> this.rnd.nextLong(1, millis(400));
                case 8 -> this.rnd.nextLong(1, millis(2_000));
                default -> this.rnd.nextLong(1, millis(12_000));
            };
        }

        /** A timer fires while the outcome of a call is still on its way to the control thread. */
        private void race() {
            long target = Math.min(now() + randomDuration(), this.cap);
            boolean fired = this.scheduler.fireNextTimer(target);
            log("race: " + (fired ? "a timer fires" : "no timer due") + ", then a call runs before the control"
                    + " thread catches up");
            if (this.calls.pending() > 0) {
                this.calls.runRandom(this.rnd);
            }
            // The other timers due by now fire too, so that every check sees the clock's timers done.
            while (this.violation == null && this.scheduler.fireNextTimer(now())) {
                drain();
            }
        }

        private void crash() {
            Svc svc = randomService();
            if (svc.lifecycle) {
                log(svc.name + " stops on its own (isRunning() turns false)");
                svc.life.running = false;
            } else {
                reportFailure(svc);
            }
        }

        private void reportFailure(Svc svc) {
            Throwable cause = this.rnd.nextBoolean() ? new HostileExceptions.Throwing() : throwable(false);
            log("reportFailure(" + svc.name + ", " + cause.getClass().getSimpleName() + ")");
            this.engine.reportFailure(svc.name, cause);
        }

        private void command(Svc svc) {
            int r = this.rnd.nextInt(100);
            if (r < 16) {
                log("restart " + svc.name);
                svc.stopRequested = false;
                this.engine.restart(svc.name);
            } else if (r < 32) {
                log("stop " + svc.name);
                svc.stopRequested = true;
                this.engine.stop(svc.name);
            } else if (r < 48) {
                log("start " + svc.name);
                svc.stopRequested = false;
                this.engine.start(svc.name);
            } else if (r < 62) {
                log("reset " + svc.name);
                svc.stopRequested = false;
                this.engine.reset(svc.name);
            } else if (r < 76) {
                log("container startService " + svc.name);
                svc.stopRequested = false;
                this.engine.startService(svc.name);
            } else if (r < 90) {
                log("container stopService " + svc.name);
                svc.stopRequested = true;
                this.engine.stopService(svc.name);
            } else if (r < 94) {
                log("suspend (context shutdown begins)");
                this.engine.suspend();
            } else {
                log("open (supervision on)");
                this.openIssuedAt = now();
                for (Svc each : this.services) {
                    if (!each.bean) {
                        // A service registered at run time comes back with supervision.
                        each.stopRequested = false;
                    }
                }
                this.engine.open();
            }
        }

        /** Moves virtual time forward (never past a slow call's cap), firing every timer on the way. */
        void advance(long nanos) {
            long target = Math.min(now() + nanos, this.cap);
            log("advance " + Durations.describe(Duration.ofNanos(Math.max(0, target - now()))));
            drain();
            if (target <= now()) {
                return;
            }
            while (this.violation == null && this.scheduler.fireNextTimer(target)) {
                drain();
            }
            this.scheduler.advance(Duration.ofNanos(target - now()));
            drain();
        }

        void drain() {
            this.scheduler.runControlTasks();
            for (Svc svc : this.services) {
                this.visited.add(snapshot(svc).state());
            }
        }

        /** Runs steps re-entrantly, inside user code. */
        void nested(int count) {
            if (this.depth >= MAX_DEPTH) {
                return;
            }
            this.depth++;
            try {
                for (int i = 0; i < count && this.violation == null; i++) {
                    step();
                }
            } finally {
                this.depth--;
            }
        }

        /** A slow call: runs steps, but returns before its timeout. */
        void slow(long began, long timeoutNanos) {
            long left = began + timeoutNanos - 1 - now();
            if (left <= 0) {
                return;
            }
            long outerCap = this.cap;
            this.cap = Math.min(outerCap, now() + this.rnd.nextLong(0, left));
            try {
                log("slow call: returns by t=" + Durations.describe(Duration.ofNanos(this.cap)));
                nested(this.rnd.nextInt(0, 6));
                advance(this.cap - now());
            } finally {
                this.cap = outerCap;
            }
        }

        /** A call that hangs: runs steps and does not return before its timeout (plus extra) has passed. */
        void hang(Svc svc, long began, long timeoutNanos) {
            long until = began + timeoutNanos + this.watchdogNanos + this.rnd.nextLong(0, timeoutNanos + 1);
            log("hung call: returns at t=" + Durations.describe(Duration.ofNanos(until)));
            if (this.rnd.nextInt(3) == 0) {
                nested(this.rnd.nextInt(0, 3));
                log("while hung, a command for " + svc.name);
                command(svc);
                drain();
                check(false);
            }
            nested(this.rnd.nextInt(0, 8));
            while (this.violation == null && now() < Math.min(until, this.cap)) {
                advance(Math.min(until, this.cap) - now());
            }
        }

        // ------------------------------------------------------------ the end of a sequence

        void finish() {
            this.healthy = true;
            this.phase = "end: healthy objects";
            log("-- end of random steps; objects are healthy from now on");
            if (!this.engine.isSupervising()) {
                this.openIssuedAt = now();
                this.engine.open();
            }
            runUntil(svc -> true, 5);
            check(true);
            List<Svc> reset = new ArrayList<>();
            for (Svc svc : this.services) {
                ServiceState state = snapshot(svc).state();
                if (state == ServiceState.CIRCUIT_OPEN || state == ServiceState.FAILED) {
                    reset.add(svc);
                    log("reset " + svc.name + " (" + state + ")");
                    svc.stopRequested = false;
                    this.engine.reset(svc.name);
                }
            }
            this.phase = "end: reset of CIRCUIT_OPEN/FAILED";
            runUntil(svc -> !reset.contains(svc) || snapshot(svc).state() == ServiceState.RUNNING, 200);
            for (Svc svc : reset) {
                if (snapshot(svc).state() == ServiceState.WAITING && !this.topology.isEmpty()) {
                    // It starts once what it waits for runs: a service stopped by an operator may stay down.
                    continue;
                }
                expectState(svc, ServiceState.RUNNING, "after reset");
            }
            throwIfViolated();

            this.phase = "end: stop";
            Map<Svc, CompletableFuture<Void>> stops = new HashMap<>();
            for (Svc svc : this.services) {
                svc.stopRequested = true;
                if (this.rnd.nextBoolean()) {
                    log("stop " + svc.name);
                    this.engine.stop(svc.name);
                } else {
                    log("container stopService " + svc.name);
                    stops.put(svc, this.engine.stopService(svc.name));
                }
            }
            runUntil(svc -> snapshot(svc).state() == ServiceState.STOPPED, 200);
            for (Svc svc : this.services) {
                expectState(svc, ServiceState.STOPPED, "after stop");
            }
            stops.forEach((svc, stopped) -> {
                if (!stopped.isDone()) {
                    violation("end-states", svc.name + " is STOPPED but the container's stopService has not completed");
                }
            });
            throwIfViolated();

            this.phase = "end: start";
            for (Svc svc : this.services) {
                svc.stopRequested = false;
                if (this.rnd.nextBoolean()) {
                    log("start " + svc.name);
                    this.engine.start(svc.name);
                } else {
                    log("container startService " + svc.name);
                    this.engine.startService(svc.name);
                }
            }
            runUntil(svc -> snapshot(svc).state() == ServiceState.RUNNING, 200);
            for (Svc svc : this.services) {
                expectState(svc, ServiceState.RUNNING, "after start");
            }
            Map<Svc, Long> failures = new HashMap<>();
            this.services.forEach(svc -> failures.put(svc, snapshot(svc).failures()));
            runFor(3 * this.watchdogNanos);
            for (Svc svc : this.services) {
                expectState(svc, ServiceState.RUNNING, "three watchdog intervals after start");
                if (snapshot(svc).failures() != failures.get(svc)) {
                    violation("end-states", svc.name + " failed while healthy");
                }
            }
            check(true);
        }

        /** Runs everything pending, with time moving by 50ms steps, until {@code done} holds for all. */
        private void runUntil(java.util.function.Predicate<Svc> done, int rounds) {
            for (int i = 0; i < rounds && this.violation == null; i++) {
                runEverything();
                if (this.calls.pending() == 0 && this.services.stream().allMatch(done)) {
                    return;
                }
                advance(millis(50));
                check(true);
            }
        }

        private void runFor(long nanos) {
            long until = now() + nanos;
            while (this.violation == null && now() < until) {
                runEverything();
                advance(Math.min(millis(10), until - now()));
                check(true);
            }
            runEverything();
        }

        /** Runs every pending call, and the runs of services not RUNNING (a RUNNING run loop keeps its run). */
        private void runEverything() {
            boolean ran;
            do {
                drain();
                ran = this.calls.runRandom(this.rnd);
                if (!ran) {
                    ran = this.runs.runFirst(
                            task -> snapshot(this.byName.get(task.service())).state() != ServiceState.RUNNING);
                }
                drain();
                check(true);
            } while (ran && this.violation == null);
        }

        private void expectState(Svc svc, ServiceState expected, String when) {
            ServiceState state = snapshot(svc).state();
            if (state != expected && this.violation == null) {
                violation("end-states", svc.name + " is " + state + " " + when + ", expected " + expected);
            }
        }

        // ------------------------------------------------------------ the rules

        void check(boolean top) {
            if (this.violation != null) {
                return;
            }
            long now = now();
            int runLoops = this.services.size() - this.lifecycles;
            for (Svc svc : this.services) {
                ServiceSnapshot snapshot = snapshot(svc);
                this.visited.add(snapshot.state());
                // 2. counts agree with events
                if (snapshot.failures() != svc.failedEvents) {
                    violation(
                            "counts",
                            svc.name + ": failures() = " + snapshot.failures() + " but " + svc.failedEvents
                                    + " Failed events");
                }
                if (snapshot.restarts() != svc.restartingEvents) {
                    violation(
                            "counts",
                            svc.name + ": restarts() = " + snapshot.restarts() + " but " + svc.restartingEvents
                                    + " Restarting events");
                }
                if (snapshot.attempt() < 0 || snapshot.recentFailures() < 0) {
                    violation(
                            "counts",
                            svc.name + ": attempt " + snapshot.attempt() + ", recentFailures "
                                    + snapshot.recentFailures());
                }
                if (snapshot.events().size() > this.historySize) {
                    violation(
                            "counts",
                            svc.name + ": " + snapshot.events().size() + " events kept, history-size "
                                    + this.historySize);
                }
                // 5. a call past its timeout has been abandoned, and a stop asked for is then done
                if (svc.lifecycle && svc.life.frame != null) {
                    Frame call = svc.life.frame;
                    long deadline = call.began + call.timeoutNanos;
                    boolean due = true;
                    if (call.poll) {
                        due = this.engine.isSupervising();
                        deadline = Math.max(deadline, this.openIssuedAt) + this.watchdogNanos;
                    }
                    // Only once the timers due by now have fired: a race holds the others back while a call
                    // runs (re-entrant steps inside it see the clock at a deadline whose timer is still due).
                    if (due
                            && now - deadline >= 0
                            && svc.abandonedEvents == call.abandonedBefore
                            && !this.scheduler.hasTimerDueNow()) {
                        violation(
                                "abandoned",
                                svc.name + ": " + call.call + " began at " + at(call.began) + " and is still inside"
                                        + " user code at " + at(now) + ", past its timeout of "
                                        + Durations.describe(Duration.ofNanos(call.timeoutNanos))
                                        + (call.poll ? " (+ a watchdog interval)" : "")
                                        + ", but no CallAbandoned event");
                    }
                    if (svc.stopRequested
                            && svc.abandonedEvents > call.abandonedBefore
                            && snapshot.state() != ServiceState.STOPPED) {
                        violation(
                                "stop-after-abandon",
                                svc.name + ": a stop was asked for and the " + call.call
                                        + " in flight was abandoned, yet the service is " + snapshot.state()
                                        + " (expected STOPPED at once: 'supervision goes on as if it had ended', 'a stop"
                                        + " requested meanwhile is done at once')");
                    }
                }
                if (!svc.lifecycle && svc.loop.inside && svc.loop.cancelSeenAt != Long.MIN_VALUE) {
                    long deadline = svc.loop.cancelSeenAt + Durations.toNanosSaturated(svc.options.stopTimeout());
                    if (now - deadline >= 0 && svc.abandonedEvents == svc.loop.abandonedBefore) {
                        violation(
                                "abandoned",
                                svc.name + ": run() ignores its cancellation (seen at " + at(svc.loop.cancelSeenAt)
                                        + ") past stop-timeout but no CallAbandoned event");
                    }
                    if (svc.stopRequested
                            && svc.abandonedEvents > svc.loop.abandonedBefore
                            && snapshot.state() != ServiceState.STOPPED) {
                        violation(
                                "stop-after-abandon",
                                svc.name + ": a stop was asked for and run() was abandoned, yet the service is "
                                        + snapshot.state());
                    }
                }
                // 7. a waiting service names what it waits for, which does not wait itself
                if (snapshot.state() == ServiceState.WAITING) {
                    String waited = snapshot.waitingFor();
                    if (waited == null || !this.byName.containsKey(waited)) {
                        violation("waiting", svc.name + " is WAITING for " + waited);
                    } else if (snapshot(this.byName.get(waited)).state() == ServiceState.WAITING) {
                        violation("waiting", svc.name + " waits for " + waited + ", which waits too");
                    } else if (snapshot(this.byName.get(waited)).state() == ServiceState.RUNNING
                            && this.engine.isSupervising()) {
                        violation("waiting", svc.name + " waits for " + waited + ", which runs");
                    }
                } else if (snapshot.waitingFor() != null && snapshot.state() != ServiceState.STOPPING) {
                    violation(
                            "waiting",
                            svc.name + " is " + snapshot.state() + " but waits for " + snapshot.waitingFor());
                }
                if (snapshot.state() == ServiceState.WAITING && this.topology.isEmpty()) {
                    violation("waiting", svc.name + " waits, but no service is tied to another");
                }
                // 4. bounded per service: memory follows what is visible
                ServiceRecord record = this.engine.record(svc.name);
                if (record != null) {
                    int inside = record.backoff().recentFailures();
                    int slots = record.backoff().failureSlots();
                    if (inside > svc.options.circuitBreaker().maxFailures()
                            || slots > Math.max(16, 4 * inside)
                            || (inside == 0 && slots != 0)) {
                        violation(
                                "bounded",
                                svc.name + ": " + inside + " failures inside the window held in " + slots
                                        + " slots (max-failures "
                                        + svc.options.circuitBreaker().maxFailures() + ")");
                    }
                    if (record.commands.waiting() > OperatorCommands.MAX_WAITING) {
                        violation("bounded", svc.name + ": " + record.commands.waiting() + " commands wait");
                    }
                }
                if (this.runs.pendingOf(svc.name) > 1) {
                    violation(
                            "bounded", svc.name + ": " + this.runs.pendingOf(svc.name) + " runs launched and pending");
                }
                // 2. every restart calls start() or begins a run, once nothing is pending
                if (top && this.calls.pending() == 0 && this.runs.pending() == 0) {
                    long starts = svc.lifecycle ? svc.life.startEntries : svc.loop.entries;
                    if (snapshot.restarts() > Math.max(0, starts - 1)) {
                        violation(
                                "restart-starts",
                                svc.name + ": restarts() = " + snapshot.restarts() + " but "
                                        + (svc.lifecycle ? "start()" : "run()") + " began " + starts + " times");
                    }
                }
            }
            // 4. bounded
            if (this.engine.waitingOriginals() > 2 * EventDispatcher.MAX_WAITING_ORIGINALS) {
                violation("bounded", this.engine.waitingOriginals() + " failures wait with their exception");
            }
            long timers = this.scheduler.pendingTimers();
            if (timers > 4L * this.services.size() + 2) {
                violation("bounded", timers + " pending timers for " + this.services.size() + " services");
            }
            if (this.calls.pending() > this.lifecycles) {
                violation(
                        "bounded",
                        this.calls.pending() + " pending calls for " + this.lifecycles + " lifecycle services");
            }
            if (this.runs.pending() > runLoops) {
                violation("bounded", this.runs.pending() + " pending runs for " + runLoops + " run loops");
            }
        }

        void onEvent(SupervisionEvent event) {
            Svc svc = this.byName.get(event.service());
            if (svc == null) {
                return;
            }
            String described = describe(event);
            if (STATS != null) {
                STATS.merge(
                        described.replaceAll(" (life|loop)[0-9]+", "").replaceAll(" attempt=.*", ""), 1, Integer::sum);
            }
            log("   event " + described);
            if (event instanceof SupervisionEvent.Failed) {
                svc.failedEvents++;
            } else if (event instanceof SupervisionEvent.Restarting) {
                svc.restartingEvents++;
            } else if (event instanceof SupervisionEvent.CallAbandoned abandoned) {
                svc.abandonedEvents++;
                long at = nanos(abandoned);
                if (svc.lifecycle) {
                    Frame call = svc.life.frame;
                    if (call == null) {
                        violation(
                                "abandoned",
                                svc.name + ": CallAbandoned(" + abandoned.call() + ") while no call is inside the"
                                        + " object");
                    } else if (!call.call.equals(abandoned.call())) {
                        violation(
                                "abandoned",
                                svc.name + ": CallAbandoned(" + abandoned.call() + ") but the call inside is "
                                        + call.call);
                    } else if (at - call.began < allowedAbandonment(svc, call, abandoned)) {
                        violation(
                                "abandoned",
                                svc.name + ": " + call.call + " abandoned after "
                                        + Durations.describe(Duration.ofNanos(at - call.began))
                                        + ", before its timeout of "
                                        + Durations.describe(Duration.ofNanos(call.timeoutNanos)));
                    }
                } else if (!"run()".equals(abandoned.call())) {
                    violation("abandoned", svc.name + ": CallAbandoned(" + abandoned.call() + ") of a run loop");
                }
            } else if (event instanceof SupervisionEvent.AbandonedCallReturned) {
                svc.returnedEvents++;
            }
        }

        /**
         * How long a call must have run before it may be abandoned: its own timeout, or — for a start or a
         * poll that a stop waits for — the stop-timeout, counted from the stop's request, which came after
         * the call began.
         */
        long allowedAbandonment(Svc svc, Frame call, SupervisionEvent.CallAbandoned abandoned) {
            long reported = Durations.toNanosSaturated(abandoned.timeout());
            boolean stopWaited =
                    !"stop()".equals(call.call) && reported == Durations.toNanosSaturated(svc.options.stopTimeout());
            return stopWaited ? Math.min(call.timeoutNanos, reported) : call.timeoutNanos;
        }

        // ------------------------------------------------------------ helpers

        Svc randomService() {
            return this.services.get(this.rnd.nextInt(this.services.size()));
        }

        ServiceSnapshot snapshot(Svc svc) {
            return this.engine.service(svc.name).orElseThrow();
        }

        /** Virtual time since the sequence began, whatever the clock's readings. */
        long now() {
            return this.scheduler.elapsedNanos();
        }

        static long millis(long millis) {
            return TimeUnit.MILLISECONDS.toNanos(millis);
        }

        /**
         * The clock's first reading, from the sequence's seed alone (so that a replay starts alike): for an
         * odd seed, up to two seconds of virtual time before the readings wrap around, so that most such
         * sequences cross it; otherwise 0. The model itself measures time from the start ({@link #now()}).
         */
        static long clockStart(long sequenceSeed) {
            return ((sequenceSeed & 1) != 0) ? Long.MAX_VALUE - Math.floorMod(sequenceSeed >> 1, millis(2_000)) : 0;
        }

        static String at(long nanos) {
            return Durations.describe(Duration.ofNanos(nanos));
        }

        static long nanos(SupervisionEvent event) {
            return Duration.between(VirtualScheduler.EPOCH, event.at()).toNanos();
        }

        static String describe(SupervisionEvent event) {
            String detail = "";
            if (event instanceof SupervisionEvent.Failed failed) {
                detail = " " + failed.cause().getClass().getSimpleName() + " attempt=" + failed.attempt();
            } else if (event instanceof SupervisionEvent.CallAbandoned abandoned) {
                detail = " " + abandoned.call();
            } else if (event instanceof SupervisionEvent.AbandonedCallReturned returned) {
                detail = " " + returned.call();
            } else if (event instanceof SupervisionEvent.Restarting restarting) {
                detail = " (" + restarting.reason() + ")";
            }
            return event.getClass().getSimpleName() + " " + event.service() + detail;
        }

        Throwable throwable(boolean checked) {
            return switch (this.rnd.nextInt(10)) {
                case 0 -> new IllegalStateException("boom");
                case 1 -> checked ? new IOException("io") : new UncheckedIOException(new IOException("io"));
                case 2 -> new HostileExceptions.Throwing();
                case 3 -> new AssertionError("assertion in user code");
                case 4 -> new LinkageError("linkage");
                case 5 -> new FatalFault();
                case 6 -> HostileExceptions.cyclic("loop");
                case 7 -> new ExceptionInInitializerError("init");
                case 8 -> new RuntimeException("wraps", new FatalFault());
                default -> checked ? new Exception("checked") : new IllegalArgumentException("bad");
            };
        }

        static void sneakyThrow(Throwable failure) throws Exception {
            if (failure instanceof Exception ex) {
                throw ex;
            }
            throw (Error) failure;
        }

        void log(String what) {
            if (this.recent.size() == RECENT_STEPS) {
                this.recent.removeFirst();
            }
            this.recent.addLast("step " + this.step + "." + this.subStep + " depth " + this.depth + " t="
                    + Durations.describe(Duration.ofNanos(now())) + ": " + what);
        }

        void violation(String rule, String what) {
            if (this.violation != null || IGNORED_RULES.contains(rule)) {
                return;
            }
            StringBuilder report = new StringBuilder();
            report.append("sequence ")
                    .append(this.sequenceSeed)
                    .append(" (replay alone with -Drustrade.test.sequence=")
                    .append(this.sequenceSeed)
                    .append("), clock from ")
                    .append(clockStart(this.sequenceSeed))
                    .append(", ")
                    .append(this.phase)
                    .append(", step ")
                    .append(this.step)
                    .append('.')
                    .append(this.subStep)
                    .append(" of ")
                    .append(this.steps)
                    .append(", depth ")
                    .append(this.depth)
                    .append(", t=")
                    .append(at(now()))
                    .append(":\n  ")
                    .append("[")
                    .append(rule)
                    .append("] ")
                    .append(what)
                    .append("\nservices:");
            for (Svc svc : this.services) {
                ServiceSnapshot snapshot = this.engine.service(svc.name).orElseThrow();
                report.append("\n  ")
                        .append(svc.name)
                        .append(' ')
                        .append(snapshot.state())
                        .append(" failures=")
                        .append(snapshot.failures())
                        .append(" restarts=")
                        .append(snapshot.restarts())
                        .append(" circuit=")
                        .append(snapshot.circuit().value())
                        .append(" options=")
                        .append(svc.options);
            }
            report.append("\nrecent steps:");
            this.recent.forEach(line -> report.append("\n  ").append(line));
            this.violation = report.toString();
        }

        void throwIfViolated() {
            if (this.violation != null) {
                throw new AssertionError(this.violation);
            }
        }

        static String stackOf(Throwable ex) {
            StringBuilder stack = new StringBuilder();
            for (StackTraceElement element : ex.getStackTrace()) {
                stack.append("    at ").append(element).append('\n');
                if (stack.length() > 3000) {
                    break;
                }
            }
            return stack.toString();
        }

        // ------------------------------------------------------------ services and fakes

        final class Svc {

            final String name;

            final boolean lifecycle;

            final boolean bean;

            final ServiceOptions options;

            final HostileLifecycle life;

            final HostileRunLoop loop;

            long failedEvents;

            long restartingEvents;

            int abandonedEvents;

            int returnedEvents;

            /** The last command for the service was a stop. */
            boolean stopRequested;

            Svc(String name, boolean lifecycle, boolean bean, ServiceOptions options) {
                this.name = name;
                this.lifecycle = lifecycle;
                this.bean = bean;
                this.options = options;
                this.life = lifecycle ? new HostileLifecycle(this) : null;
                this.loop = lifecycle ? null : new HostileRunLoop(this);
            }
        }

        /** One task of an executor running on the stack: a call into a lifecycle object, or a run. */
        final class Frame {

            final Task task;

            Svc owner;

            String call;

            long timeoutNanos;

            boolean poll;

            long began;

            int abandonedBefore;

            Frame(Task task) {
                this.task = task;
            }
        }

        /**
         * A task waiting in an executor, with what held when it was submitted (the service is known for runs
         * only); it runs in a frame of its own.
         */
        final class Task implements Runnable {

            private final String kind;

            private final String service;

            private final Runnable body;

            private final boolean submittedWhileSuspended;

            private final int abandonedAtLaunch;

            Task(String kind, String service, Runnable body) {
                this.kind = kind;
                this.service = service;
                this.body = body;
                this.submittedWhileSuspended = !Model.this.engine.isSupervising();
                // A run may be abandoned before it begins: its abandonment counts from its launch.
                this.abandonedAtLaunch = (service != null) ? Model.this.byName.get(service).abandonedEvents : 0;
            }

            String service() {
                return this.service;
            }

            boolean submittedWhileSuspended() {
                return this.submittedWhileSuspended;
            }

            int abandonedAtLaunch() {
                return this.abandonedAtLaunch;
            }

            @Override
            public void run() {
                log("a " + this.kind + " runs" + (this.service != null ? " (" + this.service + ")" : ""));
                Frame frame = new Frame(this);
                Model.this.frames.push(frame);
                try {
                    this.body.run();
                } finally {
                    Model.this.frames.pop();
                    if (frame.owner != null && frame.owner.lifecycle && frame.owner.life.frame == frame) {
                        frame.owner.life.frame = null;
                    }
                }
            }
        }

        /**
         * A lifecycle object that throws, is slow, hangs (running further steps while inside), lies or
         * stops on its own; it records its calls and reports two at once.
         */
        final class HostileLifecycle implements LifecycleService {

            final Svc svc;

            volatile boolean running;

            /** The method inside user code now, or null. */
            String inside;

            /** The worker call in progress on this object. */
            Frame frame;

            long startEntries;

            /** The very first call (the first start's isRunning()) answers truthfully: start() is called. */
            boolean called;

            HostileLifecycle(Svc svc) {
                this.svc = svc;
            }

            private Frame enter(String method) {
                if (this.inside != null) {
                    violation(
                            "one-call",
                            this.svc.name + ": " + method + " began while " + this.inside + " had not returned");
                }
                Frame current = Model.this.frames.peek();
                if (current == null) {
                    violation("user-code-thread", this.svc.name + ": " + method + " called outside any worker call");
                } else if (current.owner == null) {
                    attach(current, method);
                } else if (current.owner != this.svc) {
                    violation(
                            "user-code-thread",
                            this.svc.name + ": " + method + " called inside a call of " + current.owner.name);
                }
                this.inside = method;
                log(this.svc.name + "." + method + " begins");
                return current;
            }

            private void attach(Frame call, String method) {
                call.owner = this.svc;
                call.began = now();
                call.abandonedBefore = this.svc.abandonedEvents;
                String caller = StackWalker.getInstance()
                        .walk(frames -> frames.filter(
                                        each -> each.getClassName().equals(ServiceRecord.class.getName()))
                                .map(StackWalker.StackFrame::getMethodName)
                                .filter(name -> name.contains("beginStart")
                                        || name.contains("beginStop")
                                        || name.equals("stopIfRunning")
                                        || name.equals("firstStartBody")
                                        || name.equals("askRunning"))
                                .findFirst()
                                .orElse("?"));
                if (caller.contains("beginStart") || caller.equals("firstStartBody")) {
                    call.call = "start()";
                    call.timeoutNanos = Durations.toNanosSaturated(this.svc.options.startTimeout());
                } else if (caller.contains("beginStop") || caller.equals("stopIfRunning")) {
                    call.call = "stop()";
                    call.timeoutNanos = Durations.toNanosSaturated(this.svc.options.stopTimeout());
                } else if (caller.equals("askRunning")) {
                    call.call = "isRunning()";
                    call.poll = true;
                    call.timeoutNanos = Durations.toNanosSaturated(this.svc.options.startTimeout());
                } else {
                    violation("user-code-thread", this.svc.name + ": " + method + " called from an unknown place");
                    call.call = "?";
                    call.timeoutNanos = Long.MAX_VALUE / 4;
                }
                this.frame = call;
            }

            private void exit(String method) {
                this.inside = null;
                log(this.svc.name + "." + method + " returns");
            }

            @Override
            public void start() throws Exception {
                Frame call = enter("start()");
                try {
                    this.startEntries++;
                    if (call != null && call.task.submittedWhileSuspended()) {
                        violation(
                                "no-start-after-suspend",
                                this.svc.name + ": start() called although it was asked for after supervision"
                                        + " was suspended");
                    }
                    if (Model.this.healthy) {
                        this.running = true;
                        return;
                    }
                    int r = Model.this.rnd.nextInt(100);
                    if (r < 12) {
                        sneakyThrow(throwable(true));
                    } else if (r < 22) {
                        slow(call.began, call.timeoutNanos);
                        outcome();
                    } else if (r < 32) {
                        hang(this.svc, call.began, call.timeoutNanos);
                        outcome();
                    } else if (r < 36) {
                        // Returns, but does not run: the watchdog finds out.
                        return;
                    }
                    this.running = true;
                } finally {
                    exit("start()");
                }
            }

            /** After a slow or hung call: throws (an interrupt may make it throw InterruptedException), or returns. */
            private void outcome() throws Exception {
                if (Thread.interrupted() && Model.this.rnd.nextBoolean()) {
                    throw new InterruptedException("interrupted while hung");
                }
                if (Model.this.rnd.nextInt(3) == 0) {
                    sneakyThrow(throwable(true));
                }
            }

            @Override
            public void stop() throws Exception {
                Frame call = enter("stop()");
                try {
                    if (Model.this.healthy) {
                        this.running = false;
                        return;
                    }
                    int r = Model.this.rnd.nextInt(100);
                    if (r < 10) {
                        sneakyThrow(throwable(true));
                    } else if (r < 20) {
                        slow(call.began, call.timeoutNanos);
                        outcome();
                    } else if (r < 30) {
                        hang(this.svc, call.began, call.timeoutNanos);
                        outcome();
                    } else if (r < 34) {
                        // Returns, but goes on running.
                        return;
                    }
                    this.running = false;
                } finally {
                    exit("stop()");
                }
            }

            @Override
            public boolean isRunning() {
                Frame call = enter("isRunning()");
                try {
                    if (Model.this.healthy || !this.called) {
                        this.called = true;
                        return this.running;
                    }
                    int r = Model.this.rnd.nextInt(100);
                    if (r < 5) {
                        Throwable failure = throwable(false);
                        if (failure instanceof RuntimeException ex) {
                            throw ex;
                        }
                        throw (Error) failure;
                    } else if (r < 10) {
                        slow(call.began, call.timeoutNanos);
                    } else if (r < 15) {
                        hang(this.svc, call.began, call.timeoutNanos);
                    } else if (r < 18) {
                        return false;
                    }
                    return this.running;
                } finally {
                    exit("isRunning()");
                }
            }
        }

        /**
         * A run loop that lives while its task runs (running further steps), then honours its cancellation,
         * ignores it for longer than the stop-timeout, completes or throws.
         */
        final class HostileRunLoop implements SupervisedService {

            final Svc svc;

            boolean inside;

            long entries;

            long cancelSeenAt = Long.MIN_VALUE;

            int abandonedBefore;

            HostileRunLoop(Svc svc) {
                this.svc = svc;
            }

            @Override
            public void run(Cancellation cancellation) throws Exception {
                if (this.inside) {
                    violation("one-call", this.svc.name + ": a run began while the previous run had not returned");
                }
                Frame current = Model.this.frames.peek();
                if (current == null || !this.svc.name.equals(current.task.service())) {
                    violation("user-code-thread", this.svc.name + ": run() called outside its launched thread");
                } else if (current.task.submittedWhileSuspended()) {
                    violation(
                            "no-start-after-suspend",
                            this.svc.name + ": a run was launched after supervision was suspended");
                }
                boolean outer = this.inside;
                long outerCancel = this.cancelSeenAt;
                int outerAbandoned = this.abandonedBefore;
                this.inside = true;
                this.entries++;
                this.cancelSeenAt = Long.MIN_VALUE;
                this.abandonedBefore = (current != null) ? current.task.abandonedAtLaunch() : this.svc.abandonedEvents;
                log(this.svc.name + ".run() begins");
                try {
                    live(cancellation);
                } finally {
                    this.inside = outer;
                    this.cancelSeenAt = outerCancel;
                    this.abandonedBefore = outerAbandoned;
                    log(this.svc.name + ".run() returns");
                }
            }

            private boolean cancelled(Cancellation cancellation) {
                if (cancellation.isCancelled() && this.cancelSeenAt == Long.MIN_VALUE) {
                    this.cancelSeenAt = now();
                }
                return cancellation.isCancelled();
            }

            private void live(Cancellation cancellation) throws Exception {
                if (Model.this.healthy) {
                    return;
                }
                int mode = Model.this.rnd.nextInt(100);
                if (mode < 12) {
                    sneakyThrow(throwable(true));
                }
                if (mode < 20) {
                    return;
                }
                boolean ignoresCancellation = Model.this.rnd.nextInt(4) == 0;
                int count = Model.this.rnd.nextInt(1, 10);
                for (int i = 0; i < count && Model.this.violation == null; i++) {
                    if (cancelled(cancellation) && !ignoresCancellation) {
                        break;
                    }
                    nested(1);
                }
                if (cancelled(cancellation)) {
                    if (ignoresCancellation) {
                        long stopTimeout = Durations.toNanosSaturated(this.svc.options.stopTimeout());
                        log(this.svc.name + ".run() ignores its cancellation");
                        nested(Model.this.rnd.nextInt(0, 4));
                        advance(stopTimeout + Model.this.rnd.nextLong(0, stopTimeout + 1));
                        nested(Model.this.rnd.nextInt(0, 3));
                    }
                    int r = Model.this.rnd.nextInt(10);
                    if (r < 5) {
                        return;
                    }
                    if (r < 8) {
                        throw new InterruptedException("cancelled");
                    }
                    sneakyThrow(throwable(true));
                }
                if (Model.this.rnd.nextBoolean()) {
                    return;
                }
                sneakyThrow(throwable(true));
            }
        }
    }
}
