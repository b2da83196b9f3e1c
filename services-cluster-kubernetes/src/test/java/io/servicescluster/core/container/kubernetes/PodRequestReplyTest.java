package io.servicescluster.core.container.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.core.manager.ServiceEvent;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.TestClusters;
import io.servicescluster.testing.services.DataClient;
import io.servicescluster.testing.services.DataServer;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests and replies between two pods: the dependent's pod reaches the dependency's data plane
 * at the address its pod was given ({@code status.podIP}), over mutual TLS with certificates of
 * the cluster's CA (R17), capabilities checked (R15). One subclass per tier.
 */
abstract class PodRequestReplyTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path state;

    abstract KubernetesUnderTest kubernetes();

    @Test
    void aDependentPodCallsItsDependencysPod() throws Exception {
        KubernetesUnderTest kubernetes = kubernetes();
        ClusterSpec cluster = ClusterSpec.builder("pods")
                .service(kubernetes.adapt(ServiceSpec.builder("server")
                        .code(CodeSpec.ofClass(DataServer.class.getName(), TestClusters.testClasses()))))
                .service(kubernetes.adapt(ServiceSpec.builder("client").dependsOn("server").setting("server", "server")
                        .setting("scenarios", "echo,failure")
                        .code(CodeSpec.ofClass(DataClient.class.getName(), TestClusters.testClasses()))))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = kubernetes.register(ServicesManager.builder(cluster).stateDir(state))
                .listener(events).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            Awaitility.await("the client's scenarios").atMost(TIMEOUT).until(() ->
                    events.lines("client", OutputStream.STDOUT).stream().filter(l -> l.startsWith("ok ")
                            || l.startsWith("FAIL ")).count() == 2);
            assertThat(events.lines("client", OutputStream.STDOUT)).as("output of the client")
                    .noneMatch(l -> l.startsWith("FAIL "))
                    .anyMatch(l -> l.startsWith("ok echo "))
                    .anyMatch(l -> l.startsWith("ok failure "));
            // SPEC §5: a service on another host says where on its created event: the API server and namespace
            assertThat(events.events()).filteredOn(e -> e.type() == ServiceEvent.Type.CREATED)
                    .extracting(e -> e.detail("host")).containsOnly(kubernetes.client().getMasterUrl() + " namespace "
                            + kubernetes.namespace());
        }
        Awaitility.await("no pod left").atMost(TIMEOUT).until(() ->
                kubernetes.client().pods().inNamespace(kubernetes.namespace()).list().getItems().isEmpty());
    }
}
