package io.servicescluster.core.container.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.core.manager.ContainerConformanceTest;
import io.servicescluster.testing.ContainerUnderTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;

/**
 * The lifecycle rules (R4–R13) on the kubernetes kind, tier 1: every start a pod of fabric8's
 * mock API server, run as a local JVM that connects back over mutual TLS; the same suite as the
 * process container's.
 */
class MockKubernetesConformanceTest extends ContainerConformanceTest {

    @Override
    protected ContainerUnderTest container() {
        return MockKubernetesUnderTest.INSTANCE;
    }

    /** Whatever a test did, its manager deleted every pod and object it made. */
    @AfterEach
    void noPodLeft() {
        MockCluster cluster = MockKubernetesUnderTest.cluster();
        Awaitility.await("no pod left").atMost(ContainerConformanceTest.TIMEOUT).untilAsserted(() ->
                assertThat(cluster.client.pods().inNamespace(MockCluster.NAMESPACE).list().getItems()).isEmpty());
        assertThat(cluster.client.secrets().inNamespace(MockCluster.NAMESPACE).list().getItems()).isEmpty();
        assertThat(cluster.client.configMaps().inNamespace(MockCluster.NAMESPACE).list().getItems()).isEmpty();
    }
}
