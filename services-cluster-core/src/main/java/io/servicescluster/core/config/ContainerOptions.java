package io.servicescluster.core.config;

/**
 * The options a container kind reads from its own key of a service ({@code docker:} for the
 * docker kind), as a value the kind defines: an immutable record, opaque to the cluster file and
 * the manager, which only carry it to the kind's containers ({@link ServiceSpec#options(Class)}).
 */
public interface ContainerOptions {

    /** The service key these options are written under in the cluster file, such as {@code docker}. */
    String key();

    /**
     * These options with each field they leave out taken from {@code fallback} (options of the same
     * kind), field by field: how a service's options fill from the kind's {@code hosts:} entry and
     * how a {@code placement:} lands in them. The default, for options without optional fields,
     * keeps these whole.
     */
    default ContainerOptions orElse(ContainerOptions fallback) {
        return this;
    }

    /** Whether these options say where the service runs (its placement fields): then a {@code placement:} beside them is given twice. */
    default boolean placed() {
        return false;
    }
}
