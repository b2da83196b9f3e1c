package io.servicescluster.core.container.swarm;

import io.servicescluster.core.config.ConfigValue;
import io.servicescluster.core.config.ContainerKind;
import io.servicescluster.core.config.ContainerOptions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code swarm} kind as the cluster file knows it: its {@code swarm:} key (docs/multi-host.md). */
public final class SwarmKind implements ContainerKind {

    static final String NAME = "swarm";
    private static final List<String> KEYS = List.of("engine", "advertise", "image", "java", "placement");
    private static final List<String> PLACEMENT_KEYS = List.of("node", "constraints");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<String> optionsKey() {
        return Optional.of(SwarmOptions.KEY);
    }

    /**
     * {@code swarm: { engine: URL, advertise: ADDRESS, image: IMAGE, java: PATH, placement: { node: NODE,
     * constraints: [..] } }}, all optional.
     */
    @Override
    public Optional<ContainerOptions> readOptions(ConfigValue value) {
        return value.map(KEYS).flatMap(keys -> {
            boolean valid = true;
            Optional<String> engine = text(keys, "engine", s -> s.startsWith("unix:///") || s.startsWith("tcp://"),
                    "the Engine API of a swarm manager: unix:///path/docker.sock or tcp://host:2376");
            // a host name or IPv4 address has no colon; an IPv6 address has several; host:port has one
            Optional<String> advertise = text(keys, "advertise", s -> s.chars().filter(c -> c == ':').count() != 1,
                    "the manager's address as the nodes reach it (a host name or IP address, without a port)");
            Optional<String> image = text(keys, "image", s -> true, "an image name such as eclipse-temurin:21-jre");
            Optional<String> java = text(keys, "java", s -> s.startsWith("/") || !s.contains("/"),
                    "the java launcher inside the image: an absolute path, or a command on the image's PATH");
            valid &= keys.containsKey("engine") == engine.isPresent() && keys.containsKey("advertise") == advertise.isPresent()
                    && keys.containsKey("image") == image.isPresent() && keys.containsKey("java") == java.isPresent();
            Optional<String> node = Optional.empty();
            List<String> constraints = List.of();
            ConfigValue placement = keys.get("placement");
            if (placement != null) {
                Optional<Map<String, ConfigValue>> placed = placement.map(PLACEMENT_KEYS);
                if (placed.isEmpty()) {
                    return Optional.empty();
                }
                node = text(placed.get(), "node", s -> true, "the swarm node's host name or id");
                valid &= placed.get().containsKey("node") == node.isPresent();
                ConfigValue listed = placed.get().get("constraints");
                if (listed != null) {
                    Optional<List<String>> read = listed.check(listed.strings(), l -> l.stream().allMatch(
                            c -> c.contains("==") || c.contains("!=")), "swarm constraints such as node.labels.disk==ssd");
                    valid &= read.isPresent();
                    constraints = read.orElse(List.of());
                }
            }
            return valid ? Optional.of(new SwarmOptions(engine, advertise, image, java, node, constraints))
                    : Optional.empty();
        });
    }

    private static Optional<String> text(Map<String, ConfigValue> keys, String key,
            java.util.function.Predicate<String> ok, String expected) {
        ConfigValue value = keys.get(key);
        return value == null ? Optional.empty()
                : value.check(value.string().map(String::trim), s -> !s.isEmpty() && ok.test(s), expected);
    }
}
