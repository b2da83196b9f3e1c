package io.servicescluster.core.container.swarm;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.dockerjava.api.model.ContainerSpec;
import java.util.List;

/**
 * A swarm task's {@link ContainerSpec} with the capabilities it drops, which docker-java (3.4.1,
 * and still 3.7.1) does not model although the Engine API has taken them since 1.41 (Docker
 * 20.10): {@code ContainerSpec.CapabilityDrop}. docker-java serialises the spec with Jackson by
 * its runtime type, so the field goes out with the rest; an engine older than 1.41 would ignore
 * it, which is why {@link TaskRecipe} makes the swarm check the version first
 * ({@link SwarmEngine#requireApi}).
 */
final class CappedContainerSpec extends ContainerSpec {

    private static final long serialVersionUID = 1L;

    /** Every capability: a service needs none (it binds no port below 1024, owns its files). */
    static final List<String> ALL = List.of("ALL");

    @JsonProperty("CapabilityDrop")
    private final List<String> capabilityDrop;

    CappedContainerSpec(List<String> capabilityDrop) {
        this.capabilityDrop = List.copyOf(capabilityDrop);
    }

    /** The capabilities dropped, as sent. */
    List<String> getCapabilityDrop() {
        return capabilityDrop;
    }
}
