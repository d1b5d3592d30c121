/**
 * The supervisor in plain Java, free of Spring: the engine that owns every service's state machine on one
 * control thread, the calls into services, backoff delays, the circuit breaker, groups, leadership, events,
 * and the policies that configure them. Time ({@link io.rustrade.supervisor.core.NanoClock}) and randomness
 * are injected so that every rule is testable on a virtual clock.
 *
 * <p>Outside this package the engine is seen through its roles: {@link
 * io.rustrade.supervisor.core.ContainerSupervisor} for the application container, {@link
 * io.rustrade.supervisor.core.ObservableSupervisor} for what watches it; only what builds it names
 * {@link io.rustrade.supervisor.core.SupervisorEngine}.
 *
 * <h2>The rules no supervised service can break</h2>
 *
 * Each is stated where it is kept, and tested there; in short:
 *
 * <ul>
 *   <li><b>One thread owns all state.</b> Every failure report, timer, operator command and outcome of a
 *       user call is a message applied on the control thread, which never runs user code ({@code
 *       SupervisorEngine}, {@code ServiceRecord}).
 *   <li><b>Never two calls at once on one service</b>, and <b>a stuck call holds only its own thread</b>:
 *       calls into a service go through its lane; one that outlives its timeout is abandoned, counted as a
 *       failure (a start or poll) or as done (a stop), and nothing more is called on the object until it
 *       returns; the pool has one more thread per stuck call ({@code Calls}, {@code ServiceRecord}).
 *   <li><b>A hung first start does not hang the application</b>: the container waits for it at most {@code
 *       start-timeout} ({@code ServiceRecord#submitFirstStart}).
 *   <li><b>The watchdog's polls are calls like any other</b>: bounded, and what one {@code isRunning()}
 *       does concerns its own service only ({@code Watchdog}).
 *   <li><b>Every failure is counted exactly once, whatever its exception does</b>: it is captured once,
 *       its message cut to 500 characters, its text read defensively ({@code CapturedFailure}); only the
 *       first report about a run is taken.
 *   <li><b>A restart is counted when its {@code start()} begins</b>, or its run is launched; a restart
 *       always calls {@code start()}.
 *   <li><b>Every state is left</b>: stop, start, reset, restart and the container's close act from every
 *       state, whatever calls are in flight; a close waits at most {@code stop-timeout} per service. Every
 *       change of state, and of a circuit, is checked against a table of legal moves ({@code
 *       ServiceRecord#isLegalMove}, {@code Circuit}).
 *   <li><b>Memory is bounded by what operators see</b>: the failure window holds only failures inside it;
 *       a history at most {@code events.history-size} (≤ 1000) entries, appended in place; commands for one
 *       service are merged beyond a few; events wait for listeners up to a bound, then are dropped and
 *       counted ({@code FailureWindow}, {@code ServiceHistory}, {@code OperatorCommands}, {@code
 *       EventDispatcher}).
 *   <li><b>No caller buries supervision under its requests</b>: at most 256 registrations and
 *       unregistrations wait for the control thread; a caller beyond waits until half have been applied, so
 *       that a run's end or a call's outcome waits behind a bounded number of them ({@code
 *       RegistrationGate}).
 *   <li><b>No wrapper changes what supervision sees</b>: the code of a service runs inside the task
 *       wrappers (the MDC key, the application's {@code TaskDecorator}) exactly once, on its own thread; a
 *       wrapper that fails is left out of that call, and the code's outcome is the call's ({@code
 *       TaskWrappers}).
 *   <li><b>No listener silences another</b>: a listener's exception costs no other listener an event, and
 *       the supervisor's own log and meters are delivered apart from the application's listeners, so one
 *       that blocks silences neither; events that wait hold at most 16 original exceptions per lane
 *       ({@code EventDispatcher}, {@code DeliveryLane}).
 * </ul>
 */
package io.rustrade.supervisor.core;
