package io.rustrade.supervisor.core;

import io.rustrade.supervisor.RestartPolicy;
import io.rustrade.supervisor.ServiceSnapshot;

/**
 * The parts of a service's snapshot that depend only on its {@link ServiceOptions}, as the snapshot shows
 * them. Built once per options object and shared by every service supervised with it — with thousands of
 * services on the same options, one copy instead of thousands.
 */
record SnapshotSettings(
        RestartPolicy restartPolicy, ServiceSnapshot.Backoff backoff, ServiceSnapshot.CircuitBreaker circuitBreaker) {

    static SnapshotSettings of(ServiceOptions options) {
        BackoffPolicy backoff = options.backoff();
        CircuitBreakerPolicy breaker = options.circuitBreaker();
        return new SnapshotSettings(
                options.restartPolicy(),
                new ServiceSnapshot.Backoff(
                        backoff.baseDelay(), backoff.maxDelay(), backoff.jitter(), backoff.cooldownPeriod()),
                new ServiceSnapshot.CircuitBreaker(
                        breaker.maxFailures(),
                        breaker.window(),
                        breaker.onOpen(),
                        breaker.openDuration(),
                        breaker.maxOpenDuration()));
    }
}
