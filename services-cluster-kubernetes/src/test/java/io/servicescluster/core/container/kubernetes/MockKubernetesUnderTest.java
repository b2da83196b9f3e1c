package io.servicescluster.core.container.kubernetes;

import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ServicesManager;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * The kubernetes kind for the conformance suite, tier 1: fabric8's mock API server, pods run by
 * {@link LocalKubelet} as local JVMs (so a remote's pid is a host pid, and the work directory is
 * the manager's folder). One cluster for every test, as one manager process would have.
 */
final class MockKubernetesUnderTest implements KubernetesUnderTest {

    static final MockKubernetesUnderTest INSTANCE = new MockKubernetesUnderTest();
    private static MockCluster cluster;

    private MockKubernetesUnderTest() {
    }

    static synchronized MockCluster cluster() {
        if (cluster == null) {
            cluster = new MockCluster();
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
        }
        return cluster;
    }

    @Override
    public String kind() {
        return "kubernetes";
    }

    @Override
    public ServiceSpec.Builder adapt(ServiceSpec.Builder service) {
        return service.container("kubernetes").options(MockCluster.options());
    }

    @Override
    public ServicesManager.Builder register(ServicesManager.Builder manager) {
        return manager.containerFactory(cluster().factory);
    }

    @Override
    public List<Long> liveRemotes(String... services) {
        return cluster().kubelet.live(services);
    }

    @Override
    public KubernetesClient client() {
        return cluster().client;
    }

    @Override
    public java.nio.file.Path kubeconfig() {
        return cluster().kubeconfig();
    }

    @Override
    public KubernetesOptions options() {
        return MockCluster.options();
    }
}
