package io.servicescluster.dashboard;

import static io.servicescluster.testing.TestClusters.idle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.dashboard.services.Ticker;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A running six-service cluster with its dashboard, its services real child JVMs:
 * {@code db}, {@code cache}; {@code auth <- db}; {@code orders <- db, cache};
 * {@code web <- auth, orders}; {@code ticker <- cache} (prints a line every 100 ms, and one of its
 * threads died of an uncaught exception). Its event log is {@link #events}.
 */
final class ShopCluster implements AutoCloseable {

    static final List<String> SERVICES = List.of("db", "cache", "auth", "orders", "web", "ticker");
    private static final ObjectMapper JSON = new ObjectMapper();

    final ServicesManager manager;
    final Dashboard dashboard;
    final Path events;

    private ShopCluster(ServicesManager manager, Dashboard dashboard, Path events) {
        this.manager = manager;
        this.dashboard = dashboard;
        this.events = events;
    }

    static ShopCluster start(Path dir) throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("shop")
                .service(idle("db")).service(idle("cache"))
                .service(idle("auth").dependsOn("db"))
                .service(idle("orders").dependsOn("db", "cache"))
                .service(idle("web").dependsOn("auth", "orders"))
                .service(ticker("ticker").dependsOn("cache").setting("throw", "no configuration for region eu-west"))
                .build();
        Dashboard dashboard = Dashboard.onPort(0);
        Path events = dir.resolve("events.jsonl");
        ServicesManager manager = ServicesManager.builder(cluster).stateDir(dir.resolve("state")).eventLog(events)
                .extension(dashboard).build();
        manager.start();
        manager.awaitRunning(Duration.ofSeconds(60));
        return new ShopCluster(manager, dashboard, events);
    }

    static ServiceSpec.Builder ticker(String name) {
        try {
            Path classes = Path.of(Ticker.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return ServiceSpec.builder(name).code(CodeSpec.ofClass(Ticker.class.getName(), classes));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The event log so far, one JSON object per event. */
    List<JsonNode> eventLog() throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(events)) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    @Override
    public void close() {
        manager.close();
    }
}
