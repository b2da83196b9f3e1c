package io.servicescluster.core.config;

/**
 * The options a container kind reads from its own key of a service ({@code docker:} for the
 * docker kind), as a value the kind defines: an immutable record, opaque to the cluster file and
 * the manager, which only carry it to the kind's containers ({@link ServiceSpec#options(Class)}).
 */
public interface ContainerOptions {

    /** The service key these options are written under in the cluster file, such as {@code docker}. */
    String key();
}
