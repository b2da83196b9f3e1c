package io.servicescluster.core.manager;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A snapshot of one service, for {@link ServicesManager#status()}. Immutable.
 *
 * @param name the service
 * @param container the container kind
 * @param state where it is
 * @param problem why it last failed or crashed, if it did and has not run since
 * @param pid the process id of its current remote, if any
 * @param runningSince when it last reached {@code running}, while it is running
 * @param starts how many times it was started
 * @param stats the last resource sample of its current remote, if any
 * @param exceptions the most recent uncaught exceptions (oldest first, bounded)
 * @param restrictions what its container enforces on it, in words ({@code network: false},
 *     {@code files.read [...]}, {@code memory: 128m}, {@code cpus: 0.5}; R15); empty if nothing
 * @param totalCpuTimeNanos CPU time of all its runs since the manager started: the ended runs'
 *     (as last sampled) plus the current run's last sample; it never goes down
 * @param health its health check's state while it is active (R16): {@code starting} (no check passed
 *     yet), {@code healthy}, {@code unhealthy (1/3)}; empty without a check
 * @param readyRssBytes the resident memory of the remote kept ready for its next start (a spare of
 *     the warm pool, or one launched ahead while it waits), as that remote last reported it; 0
 *     without one
 */
public record ServiceStatus(String name, String container, ServiceState state, Optional<String> problem,
        OptionalLong pid, Optional<Instant> runningSince, int starts, Optional<ResourceStats> stats,
        List<ExceptionReport> exceptions, List<String> restrictions, long totalCpuTimeNanos, Optional<String> health,
        long readyRssBytes) {

    public ServiceStatus {
        exceptions = List.copyOf(exceptions);
        restrictions = List.copyOf(restrictions);
        java.util.Objects.requireNonNull(health, "health");
    }

    /** A status without a remote kept ready. */
    public ServiceStatus(String name, String container, ServiceState state, Optional<String> problem,
            OptionalLong pid, Optional<Instant> runningSince, int starts, Optional<ResourceStats> stats,
            List<ExceptionReport> exceptions, List<String> restrictions, long totalCpuTimeNanos, Optional<String> health) {
        this(name, container, state, problem, pid, runningSince, starts, stats, exceptions, restrictions,
                totalCpuTimeNanos, health, 0);
    }

    /** A status of a service without a health check. */
    public ServiceStatus(String name, String container, ServiceState state, Optional<String> problem,
            OptionalLong pid, Optional<Instant> runningSince, int starts, Optional<ResourceStats> stats,
            List<ExceptionReport> exceptions, List<String> restrictions, long totalCpuTimeNanos) {
        this(name, container, state, problem, pid, runningSince, starts, stats, exceptions, restrictions,
                totalCpuTimeNanos, Optional.empty());
    }

    /** A status whose CPU total is the current run's (a source that keeps no history). */
    public ServiceStatus(String name, String container, ServiceState state, Optional<String> problem,
            OptionalLong pid, Optional<Instant> runningSince, int starts, Optional<ResourceStats> stats,
            List<ExceptionReport> exceptions, List<String> restrictions) {
        this(name, container, state, problem, pid, runningSince, starts, stats, exceptions, restrictions,
                stats.map(ResourceStats::cpuTimeNanos).orElse(0L));
    }

    /** A status without restrictions (a service that has none, or a source that does not say). */
    public ServiceStatus(String name, String container, ServiceState state, Optional<String> problem,
            OptionalLong pid, Optional<Instant> runningSince, int starts, Optional<ResourceStats> stats,
            List<ExceptionReport> exceptions) {
        this(name, container, state, problem, pid, runningSince, starts, stats, exceptions, List.of());
    }
}
