package io.servicescluster.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.Permissions;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ServiceState;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.testing.TestClusters;
import io.servicescluster.testing.services.SpawningParent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/** A child spawned at run time (R8): in the snapshot with its parent, and in the graph with a dashed edge. */
class SpawnedChildTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aSpawnedChildHasItsParentInTheSnapshotAndASpawnedEdgeInTheGraph() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("spawning")
                .service(ServiceSpec.builder("parent").setting("spawn", "worker:class")
                        .permissions(new Permissions(Optional.empty(), List.of(), true, true))
                        .code(CodeSpec.ofClass(SpawningParent.class.getName(), TestClusters.testClasses())))
                .build();
        Dashboard dashboard = Dashboard.onPort(0);
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(dir).extension(dashboard).build()) {
            manager.start();
            manager.awaitRunning(WAIT);
            await().atMost(WAIT).until(() -> manager.status().stream()
                    .anyMatch(s -> s.name().equals("worker") && s.state() == ServiceState.RUNNING));
            URI url = dashboard.url();
            HttpResponse<String> state = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + url.getPort() + "/api/state?" + url.getQuery())).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode worker = null;
            for (JsonNode s : new ObjectMapper().readTree(state.body()).get("services")) {
                if (s.get("name").asText().equals("worker")) {
                    worker = s;
                }
            }
            assertThat(worker).isNotNull();
            assertThat(worker.get("parent").asText()).isEqualTo("parent");

            ChromeDriver driver = Browser.open();
            try {
                driver.get(url.toString());
                await().atMost(WAIT).untilAsserted(() -> assertThat(driver.findElements(
                        By.cssSelector("#graph .edge.spawned[data-from='parent'][data-to='worker']"))).hasSize(1));
                assertThat(driver.findElement(By.cssSelector("#graph .node[data-service='worker']")).getRect().getX())
                        .isGreaterThan(driver.findElement(By.cssSelector("#graph .node[data-service='parent']")).getRect().getX());
            } finally {
                driver.quit();
            }
        }
    }
}
