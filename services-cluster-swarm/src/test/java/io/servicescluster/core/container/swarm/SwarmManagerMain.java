package io.servicescluster.core.container.swarm;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.testing.TestClusters;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A manager in its own JVM (in the test bed's namespace, as its parent) running one service on
 * the swarm's worker, for the test that kills it: {@code SwarmManagerMain STATE_DIR} waits until
 * the service runs, prints {@code ready}, then waits forever.
 */
public final class SwarmManagerMain {

    private SwarmManagerMain() {
    }

    public static void main(String[] args) throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("orphaned")
                .service(SwarmUnderTest.INSTANCE.adapt(TestClusters.idle("left")))
                .build();
        ServicesManager manager = ServicesManager.builder(cluster).stateDir(Path.of(args[0]))
                .containerFactory(new SwarmContainerFactory(SwarmUnderTest.FACTORY.settings()))
                .build();
        manager.start();
        manager.awaitRunning(Duration.ofSeconds(60));
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
