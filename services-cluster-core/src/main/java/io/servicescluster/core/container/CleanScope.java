package io.servicescluster.core.container;

import io.servicescluster.core.config.ServiceSpec;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code svc clean} asks a container kind to clean up ({@link ContainerFactory#clean}): the
 * leftovers of dead managers of one cluster, or of every cluster, on the engines the cluster's
 * services name in their options and on the kind's manager-wide default engine.
 *
 * @param cluster the cluster's name; empty: every cluster's
 * @param services the services of the cluster's file, as far as it is known (their options name
 *     the engines); empty when no file is known
 * @param grace how long ago something of a manager on another host must have ended before it
 *     counts as left behind (docs/operations.md, "Cleaning up after a dead manager")
 */
public record CleanScope(Optional<String> cluster, List<ServiceSpec> services, Duration grace) {

    /** The grace {@code svc clean} uses: far beyond the seconds in which a live manager removes what ended. */
    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(1);

    public CleanScope {
        Objects.requireNonNull(cluster, "cluster");
        services = List.copyOf(services);
        Objects.requireNonNull(grace, "grace");
    }

    /** Whether something of cluster {@code name} is in scope. */
    public boolean includes(String name) {
        return cluster.isEmpty() || cluster.get().equals(name);
    }

    /** The services of {@code kind} among {@link #services()}. */
    public List<ServiceSpec> servicesOf(String kind) {
        return services.stream().filter(s -> s.container().equals(kind)).toList();
    }
}
