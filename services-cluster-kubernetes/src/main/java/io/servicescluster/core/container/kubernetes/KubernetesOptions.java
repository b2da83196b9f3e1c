package io.servicescluster.core.container.kubernetes;

import io.servicescluster.core.config.ContainerOptions;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code kubernetes} key of a service (docs/kubernetes.md): where and how a {@code container:
 * kubernetes} service's pods are made, read by {@link KubernetesKind}. Every field is optional; an
 * empty one falls back to the manager's default ({@link KubernetesSettings}), then to the
 * kubeconfig's.
 *
 * @param context the kubeconfig context; empty: the current one
 * @param namespace the namespace of the pods; empty: the context's, else {@code default}
 * @param image an image with a JDK 21+ and the remote runtime
 * @param java the {@code java} launcher inside the image
 * @param runtime the remote runtime's class path inside the image ({@code /opt/services-cluster/lib/*})
 * @param advertise the address of this manager that pods connect back to (R17: mutual TLS)
 * @param hostNetwork whether the pods share their node's network (clusters without a pod network)
 * @param pullPolicy the pods' {@code imagePullPolicy}: {@code Always}, {@code IfNotPresent}, {@code Never}
 * @param runAsUser the user id the service runs as (never root)
 * @param networkPolicies whether the cluster's network enforces NetworkPolicy objects, which
 *     {@code network: false} needs: the API accepts them on any cluster and a network without
 *     support ignores them silently, so only the operator can say (R15: fail closed otherwise)
 * @param nodeSelector {@code placement.nodeSelector}: node labels a pod's node must have
 * @param affinity {@code placement.affinity}: a pod {@code affinity} object, as YAML or JSON text
 * @param hostWorkDir whether the work directory is the manager's folder, mounted from the node
 *     ({@code hostPath}), so that it persists across starts as with the other kinds: only for a
 *     node that is this machine or shares its file system; else an {@code emptyDir} of each pod
 */
public record KubernetesOptions(Optional<String> context, Optional<String> namespace, Optional<String> image,
        Optional<String> java, Optional<String> runtime, Optional<String> advertise, Optional<Boolean> hostNetwork,
        Optional<String> pullPolicy, OptionalLong runAsUser, Optional<Boolean> networkPolicies,
        Map<String, String> nodeSelector, Optional<String> affinity, Optional<Boolean> hostWorkDir)
        implements ContainerOptions {

    /** The service key of these options. */
    public static final String KEY = "kubernetes";

    /** Nothing chosen: the manager's defaults. */
    public static final KubernetesOptions DEFAULT = new KubernetesOptions(Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            OptionalLong.empty(), Optional.empty(), Map.of(), Optional.empty(), Optional.empty());

    public KubernetesOptions {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(java, "java");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(advertise, "advertise");
        Objects.requireNonNull(hostNetwork, "hostNetwork");
        Objects.requireNonNull(pullPolicy, "pullPolicy");
        Objects.requireNonNull(runAsUser, "runAsUser");
        Objects.requireNonNull(networkPolicies, "networkPolicies");
        nodeSelector = Map.copyOf(nodeSelector);
        Objects.requireNonNull(affinity, "affinity");
        Objects.requireNonNull(hostWorkDir, "hostWorkDir");
    }

    @Override
    public String key() {
        return KEY;
    }

    /** These options with every empty field taken from {@code fallback} (options of this kind; else these). */
    @Override
    public KubernetesOptions orElse(ContainerOptions other) {
        if (!(other instanceof KubernetesOptions fallback)) {
            return this;
        }
        return new KubernetesOptions(context.or(fallback::context), namespace.or(fallback::namespace),
                image.or(fallback::image), java.or(fallback::java), runtime.or(fallback::runtime),
                advertise.or(fallback::advertise), hostNetwork.or(fallback::hostNetwork),
                pullPolicy.or(fallback::pullPolicy), runAsUser.isPresent() ? runAsUser : fallback.runAsUser,
                networkPolicies.or(fallback::networkPolicies),
                nodeSelector.isEmpty() ? fallback.nodeSelector : nodeSelector, affinity.or(fallback::affinity),
                hostWorkDir.or(fallback::hostWorkDir));
    }

    @Override
    public boolean placed() {
        return !nodeSelector.isEmpty() || affinity.isPresent();
    }

    /** These options with {@code placement.affinity}, or none. */
    public KubernetesOptions withAffinity(Optional<String> affinity) {
        return new KubernetesOptions(context, namespace, image, java, runtime, advertise, hostNetwork,
                pullPolicy, runAsUser, networkPolicies, nodeSelector, affinity, hostWorkDir);
    }

    /** These options with {@code image}. */
    public KubernetesOptions withImage(String image) {
        return new KubernetesOptions(context, namespace, Optional.of(image), java, runtime, advertise, hostNetwork,
                pullPolicy, runAsUser, networkPolicies, nodeSelector, affinity, hostWorkDir);
    }

    /** These options with pods on their node's network, or not. */
    public KubernetesOptions withHostNetwork(boolean on) {
        return new KubernetesOptions(context, namespace, image, java, runtime, advertise, Optional.of(on),
                pullPolicy, runAsUser, networkPolicies, nodeSelector, affinity, hostWorkDir);
    }

    /** These options saying whether the cluster's network enforces NetworkPolicy. */
    public KubernetesOptions withNetworkPolicies(boolean enforced) {
        return new KubernetesOptions(context, namespace, image, java, runtime, advertise, hostNetwork,
                pullPolicy, runAsUser, Optional.of(enforced), nodeSelector, affinity, hostWorkDir);
    }

    /** These options with {@code placement.nodeSelector}. */
    public KubernetesOptions withNodeSelector(Map<String, String> labels) {
        return new KubernetesOptions(context, namespace, image, java, runtime, advertise, hostNetwork,
                pullPolicy, runAsUser, networkPolicies, labels, affinity, hostWorkDir);
    }

    /** These options with the work directory from the node ({@code hostPath}), or not. */
    public KubernetesOptions withHostWorkDir(boolean on) {
        return new KubernetesOptions(context, namespace, image, java, runtime, advertise, hostNetwork,
                pullPolicy, runAsUser, networkPolicies, nodeSelector, affinity, Optional.of(on));
    }
}
