package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.idle;
import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.testing.RecordingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** R4–R7 on a diamond: api -> (orders, stock) -> db, plus an independent service. */
class LifecycleOrderTest {

    @TempDir
    Path state;

    @Test
    void createsStartsClosesAndDestroysInDependencyOrder() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("diamond")
                .service(idle("db"))
                .service(idle("orders").dependsOn("db"))
                .service(idle("stock").dependsOn("db"))
                .service(idle("api").dependsOn("orders", "stock"))
                .service(idle("lonely"))
                .build();
        RecordingListener events = new RecordingListener();
        Path log = state.resolve("events.jsonl");
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).eventLog(log)
                .listener(events).build()) {
            manager.start();
            manager.awaitRunning(Duration.ofSeconds(60));
            assertThat(manager.status()).allSatisfy(s -> assertThat(s.state()).isEqualTo(ServiceState.RUNNING));
        }
        List<List<String>> edges = List.of(List.of("orders", "db"), List.of("stock", "db"), List.of("api", "orders"),
                List.of("api", "stock"));
        for (List<String> edge : edges) {
            String dependent = edge.get(0);
            String dependency = edge.get(1);
            // R4: the dependency's container is created before the dependent's
            assertThat(events.seqOf(dependency, Type.CREATED)).isLessThan(events.seqOf(dependent, Type.CREATED));
            // R6: the dependent starts only after the dependency runs
            assertThat(events.seqOf(dependency, Type.RUNNING)).isLessThan(events.seqOf(dependent, Type.STARTING));
            // R7: the dependent is closed before the dependency begins closing
            assertThat(events.seqOf(dependent, Type.CLOSED)).isLessThan(events.seqOf(dependency, Type.CLOSING));
            // R5: the dependent's container is destroyed before the dependency's
            assertThat(events.seqOf(dependent, Type.DESTROYED)).isLessThan(events.seqOf(dependency, Type.DESTROYED));
        }
        // R6: services with no path between them start in parallel: lonely and db both start
        // before either is running
        assertThat(events.seqOf("lonely", Type.STARTING)).isLessThan(events.seqOf("db", Type.RUNNING));
        assertThat(events.seqOf("db", Type.STARTING)).isLessThan(events.seqOf("lonely", Type.RUNNING));
        // the event log has the same history, seq strictly increasing from 1
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(events.events().size());
        for (int i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i)).startsWith("{\"seq\":" + (i + 1) + ",\"time\":\"");
        }
        assertThat(lines.getFirst()).contains("\"event\":\"created\"");
    }
}
