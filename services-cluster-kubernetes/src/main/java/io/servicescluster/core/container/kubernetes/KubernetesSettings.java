package io.servicescluster.core.container.kubernetes;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The manager-wide defaults of the kubernetes kind (docs/kubernetes.md): what a service's
 * {@code kubernetes:} key leaves out. From the environment, a system property of the same meaning
 * winning: {@code SVC_K8S_CONTEXT}, {@code SVC_K8S_NAMESPACE}, {@code SVC_K8S_IMAGE},
 * {@code SVC_K8S_ADVERTISE}, {@code SVC_K8S_HOST_NETWORK}, {@code SVC_K8S_PULL_POLICY}
 * ({@code servicescluster.k8s.context}, …). Which cluster, and as whom, is the kubeconfig's
 * ({@code KUBECONFIG}, else {@code ~/.kube/config}), read by fabric8 as {@code kubectl} reads it.
 */
final class KubernetesSettings {

    /** The launcher used when nothing names one. */
    static final String DEFAULT_JAVA = "java";
    /** Where the runtime image keeps the remote runtime's jars (docs/kubernetes.md, "The image"). */
    static final String DEFAULT_RUNTIME = "/opt/services-cluster/lib/*";
    /** {@code nobody} on Debian: a user that owns nothing in the image. */
    static final long DEFAULT_UID = 65534;

    private KubernetesSettings() {
    }

    /** {@code options}, completed from the environment and then the built-in defaults. */
    static KubernetesOptions complete(KubernetesOptions options) {
        return options.orElse(fromEnvironment()).orElse(new KubernetesOptions(Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(DEFAULT_JAVA), Optional.of(DEFAULT_RUNTIME), Optional.empty(),
                Optional.of(false), Optional.of("IfNotPresent"), OptionalLong.of(DEFAULT_UID), Optional.of(false),
                Map.of(), Optional.empty(), Optional.of(false)));
    }

    static KubernetesOptions fromEnvironment() {
        return new KubernetesOptions(setting("context", "SVC_K8S_CONTEXT"), setting("namespace", "SVC_K8S_NAMESPACE"),
                setting("image", "SVC_K8S_IMAGE"), setting("java", "SVC_K8S_JAVA"),
                setting("runtime", "SVC_K8S_RUNTIME"), setting("advertise", "SVC_K8S_ADVERTISE"),
                setting("hostNetwork", "SVC_K8S_HOST_NETWORK").map(Boolean::parseBoolean),
                setting("pullPolicy", "SVC_K8S_PULL_POLICY"), OptionalLong.empty(),
                setting("networkPolicies", "SVC_K8S_NETWORK_POLICIES").map(Boolean::parseBoolean), Map.of(),
                Optional.empty(), setting("hostWorkDir", "SVC_K8S_HOST_WORK_DIR").map(Boolean::parseBoolean));
    }

    /** Whether a kubeconfig is there to read: {@code KUBECONFIG}, the {@code kubeconfig} property, or {@code ~/.kube/config}. */
    static boolean kubeconfigExists() {
        return System.getenv("KUBECONFIG") != null || System.getProperty("kubeconfig") != null
                || java.nio.file.Files.isRegularFile(java.nio.file.Path.of(System.getProperty("user.home"), ".kube", "config"));
    }

    private static Optional<String> setting(String property, String variable) {
        String value = System.getProperty("servicescluster.k8s." + property);
        if (value == null || value.isBlank()) {
            value = System.getenv(variable);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
