package io.servicescluster.core.container.kubernetes;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.testing.TestClusters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A manager in its own JVM running one kubernetes service, for the test that kills it:
 * {@code -Dkubeconfig=FILE KubernetesManagerMain STATE_DIR NAMESPACE IMAGE HOST_NETWORK} waits
 * until the service runs, prints {@code ready}, then waits forever. Its factory is the one {@link
 * java.util.ServiceLoader} makes: the kubeconfig as users have it.
 */
public final class KubernetesManagerMain {

    private KubernetesManagerMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean hostNetwork = Boolean.parseBoolean(args[3]);
        KubernetesOptions options = new KubernetesOptions(Optional.empty(), Optional.of(args[1]), Optional.of(args[2]),
                Optional.empty(), Optional.empty(), Optional.of("127.0.0.1"), Optional.of(hostNetwork),
                Optional.of("Never"), OptionalLong.empty(), Optional.empty(), java.util.Map.of(), Optional.empty(),
                Optional.of(hostNetwork));
        ClusterSpec cluster = ClusterSpec.builder("orphaned")
                .service(TestClusters.idle("left").container("kubernetes").options(options))
                .build();
        ServicesManager manager = ServicesManager.builder(cluster).stateDir(Path.of(args[0]))
                .containerFactory(new KubernetesContainerFactory())
                .build();
        manager.start();
        manager.awaitRunning(Duration.ofSeconds(60));
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
