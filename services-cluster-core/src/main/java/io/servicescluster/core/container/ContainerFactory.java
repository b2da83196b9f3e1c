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
}
