package io.servicescluster.core.container;

import io.servicescluster.core.config.ServiceSpec;

/**
 * Makes containers of one kind. Implementations are registered with the manager's builder, or
 * found with {@link java.util.ServiceLoader}.
 */
public interface ContainerFactory {

    /** The kind this factory makes, as written in the cluster file's {@code container} key. */
    String kind();

    /** A container for {@code service}, not yet created. Cheap: no I/O. */
    ServiceContainer newContainer(ServiceSpec service, ContainerEnvironment environment);

    /**
     * Removes what managers that died ({@code kill -9}, a lost host) left on this kind's engines
     * for {@code scope}'s cluster ({@code svc clean}), reporting each thing removed and each engine
     * that could not be cleaned to {@code report}. Never removes anything of a live manager: one of
     * this host is alive while its pid runs with the start time recorded; one of another host is
     * judged by what it left having ended more than {@link CleanScope#grace()} ago. Blocking; may
     * be called without any container made. Default: nothing to clean (a kind whose containers
     * end with their manager, as the process kind's).
     */
    default void clean(CleanScope scope, CleanReport report) {
    }
}
