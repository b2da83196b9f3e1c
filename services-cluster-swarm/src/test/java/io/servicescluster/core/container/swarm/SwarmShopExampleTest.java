package io.servicescluster.core.container.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.clusterfile.ClusterFileParser;
import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.testing.RecordingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example cluster (examples/shop/cluster.yaml) spread over the test bed's two nodes with one
 * changed file, as docs/multi-host.md tells a user, in SPEC §6's syntax: a {@code hosts.swarm}
 * entry, {@code defaults} that name the swarm and place services on the manager node, and two
 * services placed on the worker. Its source service (audit) is compiled by the manager and
 * travels as classes over the control connection; the others' classes travel as swarm configs.
 */
class SwarmShopExampleTest {

    /** The lines docs/multi-host.md shows, added above {@code defaults:} of the example's file. */
    static final String SWARM_HOSTS = """
            hosts:
              swarm:
                docker: unix:///run/svc-swarm/a.sock
                advertise: 10.77.0.1
                image: svc-swarm-runtime:local
                java: /opt/java/bin/java
            """;

    /** And under {@code defaults:}. */
    static final String SWARM_DEFAULTS = """
              container: swarm
              placement: { constraints: ["node.role==manager"] }
            """;

    @TempDir
    Path state;

    @AfterEach
    void nothingLeft() {
        Awaitility.await("nothing of this manager left on the swarm").atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(SwarmTests.leftBy(ProcessHandle.current().pid())).isEmpty());
        SwarmTests.removeVolumes();
    }

    @Test
    void theExampleClusterRunsSpreadOverTwoNodes() throws Exception {
        SwarmTests.requireTestBed();
        Path file = Path.of("../examples/shop/cluster.yaml").toAbsolutePath().normalize();
        String yaml = Files.readString(file)
                .replace("defaults:\n", SWARM_HOSTS + "defaults:\n" + SWARM_DEFAULTS)
                // orders and audit on the worker: the same key, per service
                .replace("  orders:\n", "  orders:\n    placement: { constraints: [\"node.role==worker\"] }\n")
                .replace("  audit:\n", "  audit:\n    placement: { constraints: [\"node.role==worker\"] }\n");
        ClusterSpec cluster = ClusterFileParser.parse(yaml, file);
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events)
                .containerFactory(SwarmUnderTest.FACTORY).build()) {
            manager.start();
            manager.awaitRunning(Duration.ofSeconds(90));
            assertThat(SwarmTests.runningContainersOf("catalog", "inventory")).hasSize(2);
            assertThat(SwarmTests.runningContainersOf("orders", "audit")).hasSize(2)
                    .allSatisfy(c -> assertThat(SwarmTests.client("b").listContainersCmd()
                            .withIdFilter(java.util.List.of(c.getId())).exec()).hasSize(1));
            // audit (node b) asks orders (node b), which asks catalog and inventory (node a)
            Awaitility.await("the audit's first report").atMost(Duration.ofSeconds(30))
                    .until(() -> events.lines("audit", OutputStream.STDOUT).stream().anyMatch(l -> l.startsWith("audit: ")));
        }
    }
}
