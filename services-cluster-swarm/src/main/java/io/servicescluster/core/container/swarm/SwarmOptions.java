package io.servicescluster.core.container.swarm;

import io.servicescluster.core.config.ContainerOptions;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code swarm} key of a service (docs/multi-host.md), read by {@link SwarmKind}; also allowed
 * in {@code defaults}. Every field is optional: an empty one is the manager's default
 * ({@link SwarmSettings}).
 *
 * @param engine the Engine API of a swarm manager node: {@code unix:///…} or {@code tcp://host:2376}
 * @param advertise the address of the manager that the nodes reach (its control sockets listen there)
 * @param image an image with a JDK 21+, present on every node that may run the service
 * @param java the {@code java} launcher inside the image: an absolute path or a command on its PATH
 * @param node {@code placement.node}: the swarm node (its host name or id) the service must run on
 * @param constraints {@code placement.constraints}: swarm placement constraints, e.g. {@code node.labels.disk==ssd}
 */
public record SwarmOptions(Optional<String> engine, Optional<String> advertise, Optional<String> image,
        Optional<String> java, Optional<String> node, List<String> constraints) implements ContainerOptions {

    /** The service key of these options. */
    public static final String KEY = "swarm";

    /** Nothing chosen: the manager's defaults, anywhere in the swarm. */
    public static final SwarmOptions DEFAULT = new SwarmOptions(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), List.of());

    public SwarmOptions {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(advertise, "advertise");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(java, "java");
        Objects.requireNonNull(node, "node");
        constraints = List.copyOf(constraints);
    }

    @Override
    public String key() {
        return KEY;
    }

    /** These options on the node named {@code node}. */
    public SwarmOptions onNode(String node) {
        return new SwarmOptions(engine, advertise, image, java, Optional.of(node), constraints);
    }

    /** The swarm's placement constraints: {@code constraints}, and {@code node.hostname==NODE}. */
    List<String> placement() {
        List<String> all = new java.util.ArrayList<>(constraints);
        node.ifPresent(n -> all.add("node.hostname==" + n));
        return all;
    }
}
