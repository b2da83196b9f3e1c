package io.servicescluster.core.container.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Tier 1 (docs/kubernetes.md, "Tests"): fabric8's mock API server in CRUD mode on 127.0.0.1, a
 * client of it, a {@link LocalKubelet} that runs its pods as local processes, and a factory of
 * containers that talks to it.
 */
final class MockCluster implements AutoCloseable {

    static final String NAMESPACE = "test";

    final KubernetesMockServer server;
    final KubernetesClient client;
    final LocalKubelet kubelet;
    final KubernetesContainerFactory factory;
    private final Path secrets;

    MockCluster() {
        // CRUD, and a test's own expectations first (an API error)
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), expectations,
                new KubernetesMixedDispatcher(expectations), false);
        try {
            server.init(InetAddress.getLoopbackAddress(), 0);
            secrets = Files.createTempDirectory("svc-kubelet");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        client = server.createClient();
        kubelet = new LocalKubelet(client, NAMESPACE, secrets);
        factory = new KubernetesContainerFactory(context -> client,
                (namespace, pod, pidInPod) -> java.util.OptionalLong.of(pidInPod)); // the local kubelet's pods are host processes
    }

    /** Options of a service on this cluster: its namespace, the kubelet's image, the manager on 127.0.0.1. */
    static KubernetesOptions options() {
        return new KubernetesOptions(Optional.empty(), Optional.of(NAMESPACE), Optional.of(LocalKubelet.IMAGE),
                Optional.empty(), Optional.empty(), Optional.of("127.0.0.1"), Optional.empty(), Optional.of("Never"),
                OptionalLong.empty(), Optional.empty(), java.util.Map.of(), Optional.empty(), Optional.empty());
    }

    /** A kubeconfig of the mock API server (plain HTTP, no user), written once into the secrets folder. */
    synchronized Path kubeconfig() {
        Path file = secrets.resolve("kubeconfig");
        if (!Files.exists(file)) {
            try {
                Files.writeString(file, """
                        apiVersion: v1
                        kind: Config
                        clusters:
                        - name: mock
                          cluster: { server: "%s" }
                        users:
                        - name: tester
                          user: {}
                        contexts:
                        - name: mock
                          context: { cluster: mock, user: tester, namespace: %s }
                        current-context: mock
                        """.formatted(server.url("/").replaceAll("/$", ""), NAMESPACE));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return file;
    }

    @Override
    public void close() {
        kubelet.close();
        client.close();
        server.destroy();
        try (var files = Files.walk(secrets)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder
        }
    }
}
