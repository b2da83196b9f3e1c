package io.servicescluster.core.container.kubernetes;

/** Tier 1: the pods are local JVMs of the mock API server's {@link LocalKubelet}. */
class MockPodRequestReplyTest extends PodRequestReplyTest {

    @Override
    KubernetesUnderTest kubernetes() {
        return MockKubernetesUnderTest.INSTANCE;
    }
}
