package io.rustrade.sample;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How unreliable the sample's simulated world is, under {@code sample}.
 *
 * @param exchange the simulated exchange
 * @param gateway the order gateway
 * @param reconciler the position reconciler
 */
@ConfigurationProperties("sample")
public record SampleProperties(
        @DefaultValue Exchange exchange,
        @DefaultValue Gateway gateway,
        @DefaultValue Reconciler reconciler) {

    /**
     * @param chaosRate the chance, per tick, that the exchange drops a connection
     * @param tick the time between two ticks on a connection
     */
    public record Exchange(
            @DefaultValue("0.01") double chaosRate,
            @DefaultValue("100ms") Duration tick) {}

    /** @param refusals how many logins the venue refuses after the application starts */
    public record Gateway(@DefaultValue("3") int refusals) {}

    /**
     * @param failureRate the chance, per cycle, that reconciliation fails
     * @param interval the time between two reconciliation cycles
     */
    public record Reconciler(
            @DefaultValue("0.1") double failureRate,
            @DefaultValue("1s") Duration interval) {}
}
