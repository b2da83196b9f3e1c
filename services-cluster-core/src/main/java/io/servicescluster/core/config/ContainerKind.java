package io.servicescluster.core.config;

import java.util.Optional;

/**
 * A container kind as the cluster file knows it: the name a service gives in {@code container:}
 * and, if the kind has options of its own, the service key they are written under and how to read
 * them. Found with {@link java.util.ServiceLoader}: the module of a kind lists its implementation in
 * {@code META-INF/services/io.servicescluster.core.config.ContainerKind}, beside its
 * {@code ContainerFactory} (which the manager finds the same way), so that a new kind changes no
 * file of the core (docs/architecture.md, "Containers"). Implementations are cheap to make: the
 * parser makes one of each per read.
 *
 * <p>A kind that places services on other hosts (SPEC §6) also reads its engine's entry under the
 * cluster file's top-level {@code hosts:} ({@link #readHost}) and a service's {@code placement:}
 * ({@link #readPlacement}); both give options of the same type as {@link #readOptions}, which the
 * parser merges with {@link ContainerOptions#orElse}.
 */
public interface ContainerKind {

    /** The kind's name, as written in {@code container:}, such as {@code docker}. */
    String name();

    /**
     * The service key of this kind's options ({@code docker}), allowed in every service and in
     * {@code defaults}; empty when the kind has none. Several kinds may share a key (each reads it
     * in its own way): a service's key is read by the service's kind when it has that key.
     */
    default Optional<String> optionsKey() {
        return Optional.empty();
    }

    /**
     * Reads this kind's options from {@code value}, the value of {@link #optionsKey()}. Every
     * problem is reported through {@code value} (it names the file, the line and the key); the
     * result is empty when there was one.
     */
    default Optional<ContainerOptions> readOptions(ConfigValue value) {
        value.error("container '" + name() + "' has no options");
        return Optional.empty();
    }

    /**
     * Whether this kind places services on other hosts through an engine (SPEC §6): then it reads
     * {@code hosts.<name>} and {@code placement:}. The parser names these kinds in the message
     * about a {@code placement:} of a kind that runs its services on this machine.
     */
    default boolean placesOnHosts() {
        return false;
    }

    /**
     * Reads {@code value}, this kind's entry under the top-level {@code hosts:} (its engine: where it
     * is, how to reach it, the address remotes connect back to): options of the same type as
     * {@link #readOptions}, which a service's own fill field by field. Problems as there.
     */
    default Optional<ContainerOptions> readHost(ConfigValue value) {
        value.error("container '" + name() + "' runs its services on this machine: it has no entry under 'hosts'");
        return Optional.empty();
    }

    /**
     * Reads {@code value}, a service's {@code placement:} (where its starts may run): options of
     * the same type as {@link #readOptions} with only the placement fields set
     * ({@link ContainerOptions#placed()}). Problems as there.
     */
    default Optional<ContainerOptions> readPlacement(ConfigValue value) {
        value.error("container '" + name() + "' runs its services on this machine: it does not place them");
        return Optional.empty();
    }
}
