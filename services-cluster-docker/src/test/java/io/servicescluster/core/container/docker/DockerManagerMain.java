package io.servicescluster.core.container.docker;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.testing.TestClusters;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A manager in its own JVM running one docker service, for the test that kills it:
 * {@code DockerManagerMain STATE_DIR} waits until the service runs, prints {@code ready}, then
 * waits forever.
 */
public final class DockerManagerMain {

    private DockerManagerMain() {
    }

    public static void main(String[] args) throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("orphaned")
                .service(DockerUnderTest.INSTANCE.adapt(TestClusters.idle("left")))
                .build();
        ServicesManager manager = ServicesManager.builder(cluster).stateDir(Path.of(args[0]))
                .containerFactory(new DockerContainerFactory(DockerSettings.withHostJdk(DockerTests.IMAGE)))
                .build();
        manager.start();
        manager.awaitRunning(Duration.ofSeconds(60));
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
