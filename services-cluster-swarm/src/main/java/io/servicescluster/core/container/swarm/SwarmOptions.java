package io.servicescluster.core.container.swarm;

import io.servicescluster.core.config.ContainerOptions;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The swarm kind's options (docs/multi-host.md), read by {@link SwarmKind} from SPEC §6's
 * {@code hosts.swarm} and {@code placement:}, and from a service's (or {@code defaults}') own
 * {@code swarm:} key. Every field is optional: an empty one is the manager's default
 * ({@link SwarmSettings}).
 *
 * @param engine {@code docker}: the Engine API of a swarm manager node, {@code unix:///…} or {@code tcp://host:2376}
 * @param tls {@code tls}: the PEM files for a {@code tcp://} engine started with {@code --tlsverify}
 * @param advertise the address of the manager that the nodes reach (its control sockets listen there)
 * @param image an image with a JDK 21+, present on every node that may run the service
 * @param java the {@code java} launcher inside the image: an absolute path or a command on its PATH
 * @param node {@code placement.node}: the swarm node (its host name or id) the service must run on
 * @param constraints {@code placement.constraints}: swarm placement constraints, e.g. {@code node.labels.disk==ssd}
 */
public record SwarmOptions(Optional<String> engine, Optional<SwarmTls> tls, Optional<String> advertise,
        Optional<String> image, Optional<String> java, Optional<String> node, List<String> constraints)
        implements ContainerOptions {

    /** The service key of these options. */
    public static final String KEY = "swarm";

    /** Nothing chosen: the manager's defaults, anywhere in the swarm. */
    public static final SwarmOptions DEFAULT = new SwarmOptions(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), List.of());

    public SwarmOptions {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(advertise, "advertise");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(java, "java");
        Objects.requireNonNull(node, "node");
        constraints = List.copyOf(constraints);
    }

    /** Only a placement: SPEC's {@code placement: { node, constraints }}. */
    static SwarmOptions placement(Optional<String> node, List<String> constraints) {
        return new SwarmOptions(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), node, constraints);
    }

    @Override
    public String key() {
        return KEY;
    }

    /** Field by field: each one these leave out, from {@code fallback}; the placement ({@code node} and {@code constraints}) as one. */
    @Override
    public SwarmOptions orElse(ContainerOptions fallback) {
        if (!(fallback instanceof SwarmOptions other)) {
            return this;
        }
        boolean placed = placed();
        // an engine and its TLS files go together: another engine must not be shown (nor judged
        // by) the credentials of the fallback's
        Optional<SwarmTls> engineTls = engine.isPresent() ? tls : tls.or(other::tls);
        return new SwarmOptions(engine.or(other::engine), engineTls, advertise.or(other::advertise),
                image.or(other::image), java.or(other::java), placed ? node : other.node,
                placed ? constraints : other.constraints);
    }

    @Override
    public boolean placed() {
        return node.isPresent() || !constraints.isEmpty();
    }

    /** These options on the node named {@code node}. */
    public SwarmOptions onNode(String node) {
        return new SwarmOptions(engine, tls, advertise, image, java, Optional.of(node), constraints);
    }

    /** The swarm's placement constraints: {@code constraints}, and {@code node.hostname==NODE}. */
    List<String> placement() {
        List<String> all = new java.util.ArrayList<>(constraints);
        node.ifPresent(n -> all.add("node.hostname==" + n));
        return all;
    }
}
