package io.servicescluster.core.container.docker;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.testing.ContainerUnderTest;
import io.servicescluster.testing.TestClusters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Not an assertion: prints how long one service takes to run in a process and in a container, here. */
class StartTimeTest {

    private static final int RUNS = 5;

    @TempDir
    Path state;

    @Test
    void printsStartTimes() throws Exception {
        DockerTests.requireEngine();
        for (ContainerUnderTest kind : List.of(ContainerUnderTest.PROCESS, DockerUnderTest.INSTANCE)) {
            List<Long> millis = new ArrayList<>();
            for (int i = 0; i <= RUNS; i++) {
                ClusterSpec cluster = ClusterSpec.builder("timed").service(kind.adapt(TestClusters.idle("timed"))).build();
                long begin = System.nanoTime();
                try (ServicesManager manager = kind.register(ServicesManager.builder(cluster)
                        .stateDir(state.resolve(kind.kind() + i))).build()) {
                    manager.start();
                    manager.awaitRunning(Duration.ofSeconds(60));
                    if (i > 0) { // the first one warms up caches
                        millis.add((System.nanoTime() - begin) / 1_000_000);
                    }
                }
            }
            Collections.sort(millis);
            System.out.println("start time (manager start to running) " + kind.kind() + ": median "
                    + millis.get(millis.size() / 2) + " ms, all " + millis);
        }
    }
}
