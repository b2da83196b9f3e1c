package io.servicescluster.core.manager;

import java.time.Duration;

/**
 * How controllers and remotes watch each other: the controller sends a heartbeat every
 * {@code interval} and declares a remote {@code unresponsive} when no answer came for
 * {@code timeout}; a remote ends itself when its controller was silent for {@code timeout} (R11).
 */
record Liveness(Duration interval, Duration timeout) {

    static final Liveness DEFAULT = new Liveness(Duration.ofSeconds(1), Duration.ofSeconds(10));

    Liveness {
        if (timeout.compareTo(interval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("the heartbeat timeout (" + timeout
                    + ") must be at least twice the interval (" + interval + ")");
        }
    }
}
