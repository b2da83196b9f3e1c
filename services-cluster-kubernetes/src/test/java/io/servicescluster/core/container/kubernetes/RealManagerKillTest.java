package io.servicescluster.core.container.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.awaitility.Awaitility;

/** Tier 2: real pods; the controller manager's garbage collector deletes what the owner owned. */
class RealManagerKillTest extends ManagerKillTest {

    @Override
    KubernetesUnderTest kubernetes() {
        RealCluster.require();
        return RealKubernetesUnderTest.INSTANCE;
    }

    @Override
    void awaitOwnedDeleted(KubernetesClient client, String namespace, String pod) {
        Awaitility.await("the garbage collector deletes the pod").atMost(Duration.ofSeconds(60))
                .until(() -> client.pods().inNamespace(namespace).withName(pod).get() == null);
    }
}
