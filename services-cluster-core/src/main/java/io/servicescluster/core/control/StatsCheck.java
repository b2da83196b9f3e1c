package io.servicescluster.core.control;

import io.servicescluster.protocol.ControlMessage.Stats;
import java.util.Optional;

/**
 * Whether a resource sample a remote sent is believable: finite, not negative, and within what a
 * process on this host can use. A sample that is not is dropped by the controller (never stored
 * or shown), so a service cannot make {@code svc ps} or the metrics say what it likes.
 */
final class StatsCheck {

    /** More than any heap or resident set a process has here: 16 TiB. */
    static final long MAX_BYTES = 1L << 44;
    /**
     * The share of one core a sample may claim, per core of the host: 100 %, with room for the
     * first sample, which counts the JVM's own start-up into its interval.
     */
    private static final double PERCENT_PER_CORE = 200;

    private final int cores;
    private long lastCpuTimeNanos;

    StatsCheck(int cores) {
        this.cores = cores;
    }

    /**
     * What is wrong with {@code sample}, or empty if it is believable; {@code sinceBeginNanos} is
     * how long this start has run. Remembers a believable sample's CPU time, which may not go back.
     */
    Optional<String> problem(Stats sample, long sinceBeginNanos) {
        Optional<String> problem = check(sample, sinceBeginNanos);
        if (problem.isEmpty()) {
            lastCpuTimeNanos = sample.cpuTimeNanos();
        }
        return problem;
    }

    private Optional<String> check(Stats s, long sinceBeginNanos) {
        if (!Double.isFinite(s.cpuPercent()) || s.cpuPercent() < 0 || s.cpuPercent() > PERCENT_PER_CORE * cores) {
            return Optional.of("cpuPercent " + s.cpuPercent() + " is not between 0 and " + PERCENT_PER_CORE * cores);
        }
        if (s.cpuTimeNanos() < lastCpuTimeNanos) {
            return Optional.of("cpuTimeNanos " + s.cpuTimeNanos() + " went back (was " + lastCpuTimeNanos + ")");
        }
        // the JVM ran a little before this controller began (its launch): a minute of slack
        long cpuBound = (sinceBeginNanos + 60_000_000_000L) * cores;
        if (s.cpuTimeNanos() > cpuBound) {
            return Optional.of("cpuTimeNanos " + s.cpuTimeNanos() + " is more than " + cores
                    + " cores could use since the start");
        }
        if (s.heapUsedBytes() < 0 || s.heapMaxBytes() < 0 || s.rssBytes() < 0) {
            return Optional.of("a negative size");
        }
        if (s.heapUsedBytes() > s.heapMaxBytes()) {
            return Optional.of("heapUsedBytes " + s.heapUsedBytes() + " is more than heapMaxBytes " + s.heapMaxBytes());
        }
        if (s.heapMaxBytes() > MAX_BYTES || s.rssBytes() > MAX_BYTES) {
            return Optional.of("a size over " + MAX_BYTES + " bytes");
        }
        return Optional.empty();
    }
}
