package io.servicescluster.core.config;

import java.time.Duration;

/**
 * When and how often a service is started again (SPEC §4).
 *
 * @param policy when to restart
 * @param maxRestarts more restarts than this within {@code within} give up
 * @param within the window that {@code maxRestarts} counts in
 * @param backoff the first delay before a restart
 */
public record RestartPolicy(Policy policy, int maxRestarts, Duration within, Duration backoff) {

    /** When a service is started again. */
    public enum Policy {
        /** Never (the default). */
        NEVER,
        /** After a crash or a failed start. */
        ON_FAILURE,
        /** Also after the service ended of its own accord. */
        ALWAYS
    }

    public static final RestartPolicy NEVER =
            new RestartPolicy(Policy.NEVER, 0, Duration.ofSeconds(60), Duration.ofMillis(200));
}
