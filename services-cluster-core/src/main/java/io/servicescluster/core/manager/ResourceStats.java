package io.servicescluster.core.manager;

import java.time.Instant;

/**
 * A service's resource use, as its remote last reported it (about once a second).
 *
 * @param at when the manager received it
 * @param cpuTimeNanos CPU time used by the service's process so far
 * @param cpuPercent CPU use over the last interval, in percent of one core
 * @param heapUsedBytes Java heap in use
 * @param heapMaxBytes the heap's limit
 * @param rssBytes resident set size of the process
 */
public record ResourceStats(Instant at, long cpuTimeNanos, double cpuPercent, long heapUsedBytes, long heapMaxBytes,
        long rssBytes) {
}
