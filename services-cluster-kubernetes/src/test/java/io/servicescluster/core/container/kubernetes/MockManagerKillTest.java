package io.servicescluster.core.container.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;

/** Tier 1: the manager in its own JVM talks to the mock API server through a kubeconfig; the pod is a local JVM. */
class MockManagerKillTest extends ManagerKillTest {

    @Override
    KubernetesUnderTest kubernetes() {
        return MockKubernetesUnderTest.INSTANCE;
    }

    /** The mock API server has no garbage collector: the ended pod stays; delete it (its process ended already). */
    @Override
    void awaitOwnedDeleted(KubernetesClient client, String namespace, String pod) {
        client.pods().inNamespace(namespace).withName(pod).delete();
        client.secrets().inNamespace(namespace).delete();
    }
}
