package io.rustrade.supervisor;

import java.util.Locale;

/**
 * What a failure of one member of a group ({@code groups.<name>.strategy}) does to the other members, as
 * Erlang/OTP's supervisor strategies do. Members are listed in start order; the members taken down are
 * {@link ServiceState#WAITING} until the member they wait for runs again, then come back in member order.
 */
public enum GroupStrategy {

    /** Every other member is stopped, last member first; the whole group then starts again from its first member. */
    ONE_FOR_ALL,

    /** The members listed after the one that went down are stopped, last first, and come back after it, in order. */
    REST_FOR_ONE;

    private final String value = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** As configuration and the endpoint write it: {@code one-for-all}, {@code rest-for-one}. */
    public String value() {
        return this.value;
    }
}
