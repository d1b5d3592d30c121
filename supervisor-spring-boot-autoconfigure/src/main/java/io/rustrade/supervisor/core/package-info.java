/**
 * The supervisor's decisions in plain Java, free of Spring: backoff delays, the circuit breaker, and the
 * policies that configure them. Time ({@link io.rustrade.supervisor.core.NanoClock}) and randomness are
 * injected so that every rule is testable on a virtual clock.
 *
 * <p>Outside this package the engine is seen through its roles: {@link
 * io.rustrade.supervisor.core.ContainerSupervisor} for the application container, {@link
 * io.rustrade.supervisor.core.ObservableSupervisor} for what watches it; only what builds it names
 * {@link io.rustrade.supervisor.core.SupervisorEngine}.
 */
package io.rustrade.supervisor.core;
