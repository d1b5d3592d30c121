/**
 * The supervisor's decisions in plain Java, free of Spring: backoff delays, the circuit breaker, and the
 * policies that configure them. Time ({@link io.rustrade.supervisor.core.NanoClock}) and randomness are
 * injected so that every rule is testable on a virtual clock.
 */
package io.rustrade.supervisor.core;
