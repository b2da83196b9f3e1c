package io.servicescluster.core.container.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.core.manager.ContainerConformanceTest;
import io.servicescluster.testing.ContainerUnderTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The lifecycle rules (R4–R13) on the kubernetes kind, tier 2: real pods of a real API server and kubelet. */
class RealKubernetesConformanceTest extends ContainerConformanceTest {

    @BeforeEach
    void cluster() {
        RealCluster.require();
    }

    @Override
    protected ContainerUnderTest container() {
        return RealKubernetesUnderTest.INSTANCE;
    }

    /** Whatever a test did, its manager deleted every pod and object it made. */
    @AfterEach
    void noPodLeft() {
        var client = RealCluster.require();
        Awaitility.await("no pod left").atMost(ContainerConformanceTest.TIMEOUT).untilAsserted(() ->
                assertThat(client.pods().inNamespace(RealCluster.NAMESPACE).list().getItems()).isEmpty());
        assertThat(client.secrets().inNamespace(RealCluster.NAMESPACE).withLabel(RunOwner.MANAGED_BY, RunOwner.MANAGER)
                .list().getItems()).isEmpty();
    }
}
