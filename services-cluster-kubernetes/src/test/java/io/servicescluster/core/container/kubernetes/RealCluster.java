package io.servicescluster.core.container.kubernetes;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Tier 2 (docs/kubernetes.md, "Tests"): a real Kubernetes, by default the one {@code bin/k8s-local
 * up} runs on this machine (its admin kubeconfig, its dockerd of its own, the image {@code
 * svc-runtime:k8s-local} from {@code bin/k8s-local runtime-image}). Without one the tests are
 * skipped, saying why; with {@code SVC_K8S_REQUIRED=1} (CI) they fail instead.
 */
final class RealCluster {

    static final Path KUBECONFIG = Path.of(env("SVC_K8S_KUBECONFIG", "/var/cache/k8s-local/kubeconfig/admin.kubeconfig"));
    static final String IMAGE = env("SVC_K8S_TEST_IMAGE", "svc-runtime:k8s-local");
    static final String DOCKER_HOST = env("SVC_K8S_DOCKER_HOST", "unix:///run/k8s-local/docker.sock");
    static final String NAMESPACE = "svc-test";

    private static KubernetesClient client;
    private static String problem;

    private RealCluster() {
    }

    /** The cluster's client; skips (or fails, under {@code SVC_K8S_REQUIRED=1}) the test when there is none. */
    static synchronized KubernetesClient require() {
        if (client == null && problem == null) {
            connect();
        }
        if (problem != null) {
            String message = "no real Kubernetes for tier 2: " + problem + " (sudo bin/k8s-local up, bin/mvnw package "
                    + "-DskipTests, sudo bin/k8s-local runtime-image; docs/kubernetes.md)";
            if ("1".equals(System.getenv("SVC_K8S_REQUIRED"))) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
        return client;
    }

    private static void connect() {
        if (!Files.isReadable(KUBECONFIG)) {
            problem = "no kubeconfig at " + KUBECONFIG;
            return;
        }
        try {
            Config config = Config.fromKubeconfig(null, Files.readString(KUBECONFIG), KUBECONFIG.toString());
            // asked once, quickly: a cluster that is down is not worth fabric8's retries
            Config probe = new io.fabric8.kubernetes.client.ConfigBuilder(config).withRequestRetryBackoffLimit(0)
                    .withConnectionTimeout(3_000).build();
            try (KubernetesClient quick = new KubernetesClientBuilder().withConfig(probe).build()) {
                quick.getKubernetesVersion();
            }
            KubernetesClient made = new KubernetesClientBuilder().withConfig(config).build();
            if (made.namespaces().withName(NAMESPACE).get() == null) {
                made.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
                        .build()).create();
            }
            // pods need the namespace's default service account, which the controller manager makes
            made.serviceAccounts().inNamespace(NAMESPACE).withName("default")
                    .waitUntilCondition(java.util.Objects::nonNull, 60, TimeUnit.SECONDS);
            if (docker("image", "inspect", "-f", "{{.Id}}", IMAGE).isEmpty()) {
                problem = "no image " + IMAGE + " in the dockerd at " + DOCKER_HOST;
                made.close();
                return;
            }
            client = made;
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            problem = "the API server of " + KUBECONFIG + " does not answer: " + Api.describe(e);
        } catch (RuntimeException | IOException e) {
            problem = "the API server of " + KUBECONFIG + " does not answer: " + e;
        }
    }

    /** Options of a service on the local node: hostNetwork (no pod network there), the manager on 127.0.0.1. */
    static KubernetesOptions options() {
        return new KubernetesOptions(Optional.empty(), Optional.of(NAMESPACE), Optional.of(IMAGE), Optional.empty(),
                Optional.empty(), Optional.of("127.0.0.1"), Optional.of(true), Optional.of("Never"), OptionalLong.empty(),
                Optional.empty(), java.util.Map.of(), Optional.empty(), Optional.of(true));
    }

    /** The host pid of the JVM in pod {@code pod}, from the node's dockerd (the node is this machine). */
    static OptionalLong hostPid(String pod) {
        List<String> ids = docker("ps", "-q", "--filter", "label=io.kubernetes.pod.name=" + pod,
                "--filter", "label=io.kubernetes.container.name=" + PodOutcome.CONTAINER);
        if (ids.isEmpty()) {
            return OptionalLong.empty();
        }
        List<String> pid = docker("inspect", "-f", "{{.State.Pid}}", ids.getFirst());
        return pid.isEmpty() || pid.getFirst().equals("0") ? OptionalLong.empty()
                : OptionalLong.of(Long.parseLong(pid.getFirst()));
    }

    /** {@code docker -H DOCKER_HOST ARGS}: its output lines, none if it failed. */
    static List<String> docker(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("docker", "-H", DOCKER_HOST));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return List.of();
            }
            return out.lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
