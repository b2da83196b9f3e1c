package io.servicescluster.core.container.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ServicesManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The kubernetes kind for the shared tests, tier 2: real pods on the local node of {@link
 * RealCluster}; a remote's host pid comes from the node's dockerd, and its work directory is the
 * manager's folder (hostWorkDir), so that the suite can look into it.
 */
final class RealKubernetesUnderTest implements KubernetesUnderTest {

    static final RealKubernetesUnderTest INSTANCE = new RealKubernetesUnderTest();

    private static KubernetesContainerFactory factory;

    private RealKubernetesUnderTest() {
    }

    static synchronized KubernetesContainerFactory factory() {
        KubernetesClient client = RealCluster.require();
        if (factory == null) {
            factory = new KubernetesContainerFactory(context -> client,
                    (namespace, pod, pidInPod) -> RealCluster.hostPid(pod));
        }
        return factory;
    }

    @Override
    public String kind() {
        return "kubernetes";
    }

    @Override
    public ServiceSpec.Builder adapt(ServiceSpec.Builder service) {
        return service.container("kubernetes").options(options());
    }

    @Override
    public ServicesManager.Builder register(ServicesManager.Builder manager) {
        return manager.containerFactory(factory());
    }

    @Override
    public List<Long> liveRemotes(String... services) {
        List<Long> pids = new ArrayList<>();
        for (String service : services) {
            client().pods().inNamespace(RealCluster.NAMESPACE).withLabel(RunOwner.SERVICE, service).list().getItems()
                    .forEach(pod -> RealCluster.hostPid(pod.getMetadata().getName()).ifPresent(pids::add));
        }
        return pids;
    }

    /** In its own pid namespace, a service sees itself as pid 1. */
    @Override
    public boolean servicesSeeHostPids() {
        return false;
    }

    @Override
    public KubernetesClient client() {
        return RealCluster.require();
    }

    @Override
    public Path kubeconfig() {
        return RealCluster.KUBECONFIG;
    }

    @Override
    public KubernetesOptions options() {
        return RealCluster.options();
    }
}
