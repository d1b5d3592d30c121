package io.rustrade.supervisor.core;

import io.rustrade.supervisor.core.internal.Durations;
import java.time.Duration;

/** The value rules shared by the policies' builders, each throwing {@link InvalidSettingException}. */
final class SettingRules {

    private SettingRules() {}

    static void requirePositive(String setting, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new InvalidSettingException(setting, value, "must be greater than 0");
        }
    }

    static void requireAtLeast(String setting, Duration value, Duration least) {
        if (value.compareTo(least) < 0) {
            throw new InvalidSettingException(setting, value, "must be at least " + Durations.format(least));
        }
    }

    static void requireNotNegative(String setting, Duration value) {
        if (value.isNegative()) {
            throw new InvalidSettingException(setting, value, "must not be negative");
        }
    }

    static void requireNotNegative(String setting, int value) {
        if (value < 0) {
            throw new InvalidSettingException(setting, value, "must not be negative");
        }
    }

    static void requireAtMost(String setting, int value, int limit) {
        if (value > limit) {
            throw new InvalidSettingException(setting, value, "must be at most " + limit);
        }
    }
}
