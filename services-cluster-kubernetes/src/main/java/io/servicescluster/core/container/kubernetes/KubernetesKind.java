package io.servicescluster.core.container.kubernetes;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.servicescluster.core.config.ConfigValue;
import io.servicescluster.core.config.ContainerKind;
import io.servicescluster.core.config.ContainerOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code kubernetes} kind as the cluster file knows it (docs/kubernetes.md): SPEC §6's
 * {@code hosts.kubernetes} (the cluster) and {@code placement:}, and our own per-service
 * {@code kubernetes:} key, which may give both.
 */
public final class KubernetesKind implements ContainerKind {

    static final String NAME = "kubernetes";
    /** The cluster's keys, in {@code hosts.kubernetes} and {@code kubernetes:}. */
    private static final List<String> HOST_KEYS = List.of("context", "namespace", "image", "java", "runtime",
            "advertise", "hostNetwork", "pullPolicy", "runAsUser", "networkPolicies", "hostWorkDir");
    private static final List<String> KEYS = Stream.concat(HOST_KEYS.stream(), Stream.of("placement")).toList();
    private static final List<String> PLACEMENT_KEYS = List.of("nodeSelector", "affinity");
    private static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
    /** A DNS-1123 label: what Kubernetes accepts as a namespace name. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** A label key ({@code prefix/name}) or value, loosely: Kubernetes itself says exactly what is wrong. */
    private static final Pattern LABEL_PART = Pattern.compile("([A-Za-z0-9.-]+/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<String> optionsKey() {
        return Optional.of(KubernetesOptions.KEY);
    }

    @Override
    public boolean placesOnHosts() {
        return true;
    }

    @Override
    public Optional<ContainerOptions> readOptions(ConfigValue value) {
        return value.map(KEYS).flatMap(keys -> {
            ConfigValue placement = keys.get("placement");
            Optional<KubernetesOptions> cluster = cluster(keys);
            Optional<KubernetesOptions> placed = placement == null ? Optional.of(KubernetesOptions.DEFAULT) : place(placement);
            return cluster.isPresent() && placed.isPresent() ? Optional.of(placed.get().orElse(cluster.get()))
                    : Optional.empty();
        });
    }

    /** SPEC §6's {@code hosts.kubernetes: { context, namespace, advertise, image, hostNetwork }} (and the others of {@code kubernetes:}). */
    @Override
    public Optional<ContainerOptions> readHost(ConfigValue value) {
        return value.map(HOST_KEYS).flatMap(KubernetesKind::cluster);
    }

    /** SPEC §6's {@code placement: { nodeSelector: {..} }}, and our {@code affinity}. */
    @Override
    public Optional<ContainerOptions> readPlacement(ConfigValue value) {
        return place(value).map(ContainerOptions.class::cast);
    }

    private static Optional<KubernetesOptions> place(ConfigValue value) {
        return value.map(PLACEMENT_KEYS).flatMap(keys -> {
            boolean[] bad = {false};
            Map<String, String> nodeSelector = nodeSelector(keys.get("nodeSelector"), bad);
            Optional<String> affinity = affinity(keys.get("affinity"), bad);
            return bad[0] ? Optional.empty()
                    : Optional.of(KubernetesOptions.DEFAULT.withNodeSelector(nodeSelector).withAffinity(affinity));
        });
    }

    private static Optional<KubernetesOptions> cluster(Map<String, ConfigValue> keys) {
        boolean[] bad = {false};
        Optional<String> context = text(keys.get("context"), s -> !s.isBlank(), "a context of your kubeconfig", bad);
        Optional<String> namespace = text(keys.get("namespace"), s -> DNS_LABEL.matcher(s).matches(),
                "a namespace name: lower-case letters, digits and '-', at most 63", bad);
        Optional<String> image = text(keys.get("image"), s -> !s.isBlank(), "an image name such as svc-runtime:local", bad);
        Optional<String> java = text(keys.get("java"), s -> s.startsWith("/") || !s.contains("/"),
                "the java launcher inside the image: an absolute path, or a command on the image's PATH", bad);
        Optional<String> runtime = text(keys.get("runtime"), s -> s.startsWith("/"),
                "the remote runtime's class path inside the image, such as /opt/services-cluster/lib/*", bad);
        Optional<String> advertise = text(keys.get("advertise"), s -> !s.isBlank() && !s.contains(":")
                && !s.contains("/"), "an address of this machine that pods reach, such as 10.20.0.9", bad);
        Optional<Boolean> hostNetwork = flag(keys.get("hostNetwork"), bad);
        Optional<String> pullPolicy = text(keys.get("pullPolicy"), PULL_POLICIES::contains,
                "one of " + String.join(", ", PULL_POLICIES), bad);
        OptionalLong runAsUser = OptionalLong.empty();
        if (keys.get("runAsUser") != null) {
            ConfigValue v = keys.get("runAsUser");
            Optional<Integer> uid = v.check(v.integer(), n -> n > 0, "a user id other than root's (0)");
            if (uid.isPresent()) {
                runAsUser = OptionalLong.of(uid.get());
            } else {
                bad[0] = true;
            }
        }
        Optional<Boolean> networkPolicies = flag(keys.get("networkPolicies"), bad);
        Optional<Boolean> hostWorkDir = flag(keys.get("hostWorkDir"), bad);
        return bad[0] ? Optional.empty() : Optional.of(new KubernetesOptions(context, namespace, image, java,
                runtime, advertise, hostNetwork, pullPolicy, runAsUser, networkPolicies, Map.of(), Optional.empty(),
                hostWorkDir));
    }

    private static Optional<String> text(ConfigValue v, java.util.function.Predicate<String> ok, String what,
            boolean[] bad) {
        if (v == null) {
            return Optional.empty();
        }
        Optional<String> read = v.check(v.string(), ok, what);
        bad[0] |= read.isEmpty();
        return read;
    }

    private static Optional<Boolean> flag(ConfigValue v, boolean[] bad) {
        if (v == null) {
            return Optional.empty();
        }
        Optional<Boolean> read = v.bool();
        bad[0] |= read.isEmpty();
        return read;
    }

    private static Map<String, String> nodeSelector(ConfigValue v, boolean[] bad) {
        if (v == null) {
            return Map.of();
        }
        Optional<Map<String, ConfigValue>> entries = v.anyMap();
        if (entries.isEmpty()) {
            bad[0] = true;
            return Map.of();
        }
        Map<String, String> selector = new LinkedHashMap<>();
        entries.get().forEach((label, valueOf) -> {
            if (!LABEL_PART.matcher(label).matches()) {
                valueOf.error("'" + label + "' is not a node label name");
                bad[0] = true;
                return;
            }
            Optional<String> labelValue = valueOf.check(valueOf.string(), s -> s.isEmpty()
                    || LABEL_PART.matcher(s).matches(), "a label value: letters, digits, '-', '_', '.', at most 63");
            labelValue.ifPresentOrElse(s -> selector.put(label, s), () -> bad[0] = true);
        });
        return selector;
    }

    /** A pod {@code affinity} written as YAML or JSON text, checked here so that a mistake names its line. */
    private static Optional<String> affinity(ConfigValue v, boolean[] bad) {
        if (v == null) {
            return Optional.empty();
        }
        Optional<String> text = v.string();
        if (text.isEmpty()) {
            v.error("a pod affinity as YAML text (a block: 'affinity: |' and the object below it)");
            bad[0] = true;
            return Optional.empty();
        }
        try {
            Affinity parsed = Serialization.unmarshal(text.get(), Affinity.class);
            if (parsed == null || (parsed.getNodeAffinity() == null && parsed.getPodAffinity() == null
                    && parsed.getPodAntiAffinity() == null)) {
                v.error("a pod affinity with nodeAffinity, podAffinity or podAntiAffinity");
                bad[0] = true;
                return Optional.empty();
            }
            return text;
        } catch (RuntimeException e) {
            v.error("not a pod affinity: " + e.getMessage());
            bad[0] = true;
            return Optional.empty();
        }
    }
}
