package io.rustrade.supervisor.core;

import io.rustrade.supervisor.ServiceSnapshot;
import java.util.Locale;

/**
 * The parts of a service's snapshot that depend only on its {@link ServiceOptions}, as the snapshot shows
 * them. Built once per options object and shared by every service supervised with it — with thousands of
 * services on the same options, one copy instead of thousands.
 */
record SnapshotSettings(
        String restartPolicy, ServiceSnapshot.Backoff backoff, ServiceSnapshot.CircuitBreaker circuitBreaker) {

    static SnapshotSettings of(ServiceOptions options) {
        BackoffPolicy backoff = options.backoff();
        CircuitBreakerPolicy breaker = options.circuitBreaker();
        return new SnapshotSettings(
                options.restartPolicy().configName(),
                new ServiceSnapshot.Backoff(
                        backoff.baseDelay(),
                        backoff.maxDelay(),
                        configName(backoff.jitter()),
                        backoff.cooldownPeriod()),
                new ServiceSnapshot.CircuitBreaker(
                        breaker.maxFailures(),
                        breaker.window(),
                        configName(breaker.onOpen()),
                        breaker.openDuration(),
                        breaker.maxOpenDuration()));
    }

    private static String configName(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
