package io.servicescluster.core.container.swarm;

import io.servicescluster.core.config.ConfigValue;
import io.servicescluster.core.config.ContainerKind;
import io.servicescluster.core.config.ContainerOptions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The {@code swarm} kind as the cluster file knows it (docs/multi-host.md): SPEC §6's
 * {@code hosts.swarm} (the engine) and {@code placement:}, and our own per-service {@code swarm:}
 * key, which may give both.
 */
public final class SwarmKind implements ContainerKind {

    static final String NAME = "swarm";
    /** The engine's keys, in {@code hosts.swarm} and {@code swarm:}; {@code engine}: {@code docker}'s name before SPEC §6. */
    private static final List<String> HOST_KEYS = List.of("docker", "engine", "tls", "advertise", "image", "java");
    private static final List<String> KEYS = Stream.concat(HOST_KEYS.stream(), Stream.of("placement")).toList();
    private static final List<String> PLACEMENT_KEYS = List.of("node", "constraints");
    private static final List<String> TLS_KEYS = List.of("ca", "cert", "key");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<String> optionsKey() {
        return Optional.of(SwarmOptions.KEY);
    }

    @Override
    public boolean placesOnHosts() {
        return true;
    }

    /**
     * {@code swarm: { docker: URL, tls: { ca, cert, key }, advertise: ADDRESS, image: IMAGE, java: PATH,
     * placement: { node: NODE, constraints: [..] } }}, all optional.
     */
    @Override
    public Optional<ContainerOptions> readOptions(ConfigValue value) {
        return value.map(KEYS).flatMap(keys -> {
            Optional<SwarmOptions> engine = engine(keys);
            ConfigValue placement = keys.get("placement");
            Optional<SwarmOptions> placed = placement == null ? Optional.of(SwarmOptions.DEFAULT) : place(placement);
            return engine.isPresent() && placed.isPresent() ? Optional.of(placed.get().orElse(engine.get())) : Optional.empty();
        });
    }

    /** SPEC §6's {@code hosts.swarm: { docker, tls: { ca, cert, key }, advertise, image }} (and {@code java}). */
    @Override
    public Optional<ContainerOptions> readHost(ConfigValue value) {
        return value.map(HOST_KEYS).flatMap(SwarmKind::engine);
    }

    /** SPEC §6's {@code placement: { node: NODE }} or {@code { constraints: [..] }} (or both). */
    @Override
    public Optional<ContainerOptions> readPlacement(ConfigValue value) {
        return place(value).map(ContainerOptions.class::cast);
    }

    private static Optional<SwarmOptions> engine(Map<String, ConfigValue> keys) {
        ConfigValue docker = keys.get("docker");
        ConfigValue engineKey = keys.get("engine");
        boolean twice = docker != null && engineKey != null;
        if (twice) {
            engineKey.error("'engine' is the former name of 'docker', which is given too: keep 'docker'");
        }
        Optional<String> engine = text(keys, docker != null ? "docker" : "engine",
                s -> s.startsWith("unix:///") || s.startsWith("tcp://"),
                "the Engine API of a swarm manager: unix:///path/docker.sock or tcp://host:2376");
        // a host name or IPv4 address has no colon; an IPv6 address has several; host:port has one
        Optional<String> advertise = text(keys, "advertise", s -> s.chars().filter(c -> c == ':').count() != 1,
                "the manager's address as the nodes reach it (a host name or IP address, without a port)");
        Optional<String> image = text(keys, "image", s -> true, "an image name such as eclipse-temurin:21-jre");
        Optional<String> java = text(keys, "java", s -> s.startsWith("/") || !s.contains("/"),
                "the java launcher inside the image: an absolute path, or a command on the image's PATH");
        ConfigValue tlsValue = keys.get("tls");
        Optional<SwarmTls> tls = tlsValue == null ? Optional.empty() : tls(tlsValue);
        boolean valid = !twice && (docker == null && engineKey == null) == engine.isEmpty()
                && keys.containsKey("advertise") == advertise.isPresent() && keys.containsKey("image") == image.isPresent()
                && keys.containsKey("java") == java.isPresent() && (tlsValue == null) == tls.isEmpty();
        if (valid && tls.isPresent() && engine.filter(e -> !e.startsWith("tcp://")).isPresent()) {
            tlsValue.error("TLS is for a tcp:// Engine API; '" + engine.get() + "' is a local socket");
            valid = false;
        }
        return valid ? Optional.of(new SwarmOptions(engine, tls, advertise, image, java, Optional.empty(), List.of()))
                : Optional.empty();
    }

    /** {@code tls: { ca, cert, key }}: all three, each a readable PEM file. */
    private static Optional<SwarmTls> tls(ConfigValue value) {
        return value.map(TLS_KEYS).flatMap(keys -> {
            List<String> missing = TLS_KEYS.stream().filter(k -> !keys.containsKey(k)).toList();
            if (!missing.isEmpty()) {
                value.error("missing " + String.join(", ", missing) + ": TLS to the Engine API needs ca (the CA's "
                        + "certificate), cert and key (this client's certificate and key), PEM files");
            }
            Optional<java.nio.file.Path> ca = file(keys, "ca");
            Optional<java.nio.file.Path> cert = file(keys, "cert");
            Optional<java.nio.file.Path> key = file(keys, "key");
            return ca.isPresent() && cert.isPresent() && key.isPresent()
                    ? Optional.of(new SwarmTls(ca.get(), cert.get(), key.get())) : Optional.empty();
        });
    }

    private static Optional<java.nio.file.Path> file(Map<String, ConfigValue> keys, String key) {
        return Optional.ofNullable(keys.get(key)).flatMap(ConfigValue::file);
    }

    private static Optional<SwarmOptions> place(ConfigValue value) {
        return value.map(PLACEMENT_KEYS).flatMap(keys -> {
            Optional<String> node = text(keys, "node", s -> true, "the swarm node's host name or id");
            List<String> constraints = List.of();
            boolean valid = keys.containsKey("node") == node.isPresent();
            ConfigValue listed = keys.get("constraints");
            if (listed != null) {
                Optional<List<String>> read = listed.check(listed.strings(), l -> l.stream().allMatch(
                        c -> c.contains("==") || c.contains("!=")), "swarm constraints such as node.labels.disk==ssd");
                valid &= read.isPresent();
                constraints = read.orElse(List.of());
            }
            return valid ? Optional.of(SwarmOptions.placement(node, constraints)) : Optional.empty();
        });
    }

    private static Optional<String> text(Map<String, ConfigValue> keys, String key, Predicate<String> ok,
            String expected) {
        ConfigValue value = keys.get(key);
        return value == null ? Optional.empty()
                : value.check(value.string().map(String::trim), s -> !s.isEmpty() && ok.test(s), expected);
    }
}
