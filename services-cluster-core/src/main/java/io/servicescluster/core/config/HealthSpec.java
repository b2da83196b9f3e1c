package io.servicescluster.core.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A service's health check (R16, SPEC §4 {@code health:}): what is checked, how often, how long
 * a check may take, how many failures in a row make the service {@code crashed}, and how long
 * after a start failures do not count.
 *
 * @param probe an HTTP URL, a TCP port or a command; empty: the check the service registered
 *     with {@code ServiceContext.health}
 */
public record HealthSpec(Optional<Probe> probe, Duration interval, Duration timeout, int retries,
        Duration startPeriod) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    public static final int DEFAULT_RETRIES = 3;

    /** The service's own check with the default timing: for a service that registers one without {@code health:}. */
    public static final HealthSpec OWN_CHECK =
            new HealthSpec(Optional.empty(), DEFAULT_INTERVAL, DEFAULT_TIMEOUT, DEFAULT_RETRIES, Duration.ZERO);

    public HealthSpec {
        Objects.requireNonNull(probe, "probe");
        if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("interval and timeout must be more than 0");
        }
        if (retries < 1) {
            throw new IllegalArgumentException("retries must be 1 or more");
        }
        if (startPeriod.isNegative()) {
            throw new IllegalArgumentException("startPeriod must not be negative");
        }
    }

    /** What a check looks at, run inside the service's container. */
    public sealed interface Probe {
        /** In words, for {@code svc check} and messages. */
        String describe();
    }

    /** A GET of {@code url} answered with a 2xx status passes. */
    public record Http(URI url) implements Probe {
        @Override
        public String describe() {
            return "http " + url;
        }
    }

    /** A TCP connection to {@code host:port} passes. */
    public record Tcp(String host, int port) implements Probe {
        @Override
        public String describe() {
            return "tcp " + host + ":" + port;
        }
    }

    /** The command (run in the service's container, in its work directory) exiting with 0 passes. */
    public record Command(List<String> words) implements Probe {
        public Command {
            words = List.copyOf(words);
            if (words.isEmpty()) {
                throw new IllegalArgumentException("a health command needs at least one word");
            }
        }

        @Override
        public String describe() {
            return "command " + String.join(" ", words);
        }
    }

    /** In words: {@code http http://…/health every 1s (timeout 1s, 3 retries)}. */
    public String describe() {
        return probe.map(Probe::describe).orElse("the service's own check") + " every "
                + io.servicescluster.protocol.Durations.format(interval) + " (timeout "
                + io.servicescluster.protocol.Durations.format(timeout) + ", " + retries
                + (retries == 1 ? " retry" : " retries")
                + (startPeriod.isZero() ? "" : ", startPeriod " + io.servicescluster.protocol.Durations.format(startPeriod))
                + ")";
    }
}
