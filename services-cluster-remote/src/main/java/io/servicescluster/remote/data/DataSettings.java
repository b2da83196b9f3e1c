package io.servicescluster.remote.data;

import io.servicescluster.protocol.Durations;
import java.time.Duration;
import java.util.Map;

/**
 * The data plane's timeouts, read from the service's {@code settings}: {@code requestTimeout}
 * (default 30s), {@code sendTimeout} (how long a send waits for a peer that reads nothing,
 * default 30s) and {@code spawnTimeout} (how long {@code spawn} waits for the manager's answer,
 * default 2m), each a positive duration ({@link Durations}), here in nanoseconds.
 */
record DataSettings(long requestTimeoutNanos, long sendWaitNanos, long spawnTimeoutNanos) {

    private static final long DEFAULT_TIMEOUT_NANOS = 30_000_000_000L;
    private static final long DEFAULT_SPAWN_TIMEOUT_NANOS = 120_000_000_000L;

    /** The defaults: what a plane uses before the service's settings are read. */
    static final DataSettings DEFAULTS =
            new DataSettings(DEFAULT_TIMEOUT_NANOS, DEFAULT_TIMEOUT_NANOS, DEFAULT_SPAWN_TIMEOUT_NANOS);

    /**
     * The timeouts of {@code settings}, defaults for those not set.
     *
     * @throws IllegalArgumentException naming the setting, if one is not a positive duration
     */
    static DataSettings from(Map<String, String> settings) {
        return new DataSettings(
                timeoutNanos(settings, "requestTimeout", DEFAULT_TIMEOUT_NANOS),
                timeoutNanos(settings, "sendTimeout", DEFAULT_TIMEOUT_NANOS),
                timeoutNanos(settings, "spawnTimeout", DEFAULT_SPAWN_TIMEOUT_NANOS));
    }

    /** The setting {@code name} as a positive duration, or {@code defaultNanos} if it is not set. */
    private static long timeoutNanos(Map<String, String> settings, String name, long defaultNanos) {
        String text = settings.get(name);
        if (text == null) {
            return defaultNanos;
        }
        Duration timeout;
        try {
            timeout = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("setting " + name + ": " + e.getMessage());
        }
        if (timeout.isZero()) {
            throw new IllegalArgumentException("setting " + name + ": invalid duration '" + text
                    + "': a timeout must be more than zero");
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE; // beyond 292 years: never
        }
    }
}
