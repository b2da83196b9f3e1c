package io.servicescluster.core.container.kubernetes;

/** Tier 2: real pods of {@link RealCluster}. */
class RealPodRequestReplyTest extends PodRequestReplyTest {

    @Override
    KubernetesUnderTest kubernetes() {
        RealCluster.require();
        return RealKubernetesUnderTest.INSTANCE;
    }
}
