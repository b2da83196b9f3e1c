package io.servicescluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.core.ops.ManagerInfo;
import io.servicescluster.core.ops.ManagerRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Prometheus endpoint of {@code svc run --metrics-port}, scraped over HTTP and parsed. */
class MetricsEndpointTest {

    private static final Pattern SAMPLE = Pattern.compile("([a-z_]+)\\{([^}]*)} (\\S+)");

    @TempDir
    Path dir;

    @Test
    void servesStateRestartsCpuMemoryAndExceptionsForEachService() throws Exception {
        Path file = TestFiles.write(dir, "name: measured\nservices:\n"
                + "  db:\n" + TestFiles.code("Greeter")
                + "  web:\n    dependsOn: [db]\n" + TestFiles.code("Thrower"));
        try (SvcRun run = SvcRun.start(dir, file.toString(), "--metrics-port", "0")) {
            run.awaitAllRunning(file.toString());
            ManagerInfo manager = ManagerRegistry.running().getFirst();
            assertThat(manager.metricsPort()).isPresent();
            assertThat(run.stderr()).contains("svc: metrics at http://127.0.0.1:" + manager.metricsPort().getAsInt() + "/metrics");
            URI uri = URI.create("http://127.0.0.1:" + manager.metricsPort().getAsInt() + "/metrics");

            await().atMost(SvcRun.WAIT).untilAsserted(() -> {
                Map<String, Double> metrics = scrape(uri);
                for (String service : new String[] {"db", "web"}) {
                    String tag = "service=\"" + service + "\"";
                    assertThat(metrics).containsEntry("svc_service_up{" + tag + "}", 1.0);
                    assertThat(metrics).containsEntry("svc_service_state{" + tag + ",state=\"running\"}", 1.0);
                    assertThat(metrics).containsEntry("svc_service_state{" + tag + ",state=\"closed\"}", 0.0);
                    assertThat(metrics).containsEntry("svc_service_restarts_total{" + tag + "}", 0.0);
                    assertThat(metrics.get("svc_service_rss_bytes{" + tag + "}")).isGreaterThan(1e6);
                    assertThat(metrics.get("svc_service_heap_used_bytes{" + tag + "}")).isGreaterThan(0);
                    assertThat(metrics.get("svc_service_heap_max_bytes{" + tag + "}")).isGreaterThan(0);
                    assertThat(metrics.get("svc_service_cpu_seconds{" + tag + "}")).isGreaterThan(0);
                    assertThat(metrics.get("svc_service_cpu_percent{" + tag + "}")).isGreaterThanOrEqualTo(0);
                }
                assertThat(metrics).containsEntry("svc_service_exceptions_total{service=\"web\"}", 1.0);
                assertThat(metrics).containsEntry("svc_service_exceptions_total{service=\"db\"}", 0.0);
            });

            assertThat(SvcRun.Result.of("restart", "web", "--cluster", file.toString()).status()).isZero();
            await().atMost(SvcRun.WAIT).untilAsserted(() -> assertThat(scrape(uri))
                    .containsEntry("svc_service_restarts_total{service=\"web\"}", 1.0)
                    .containsEntry("svc_service_restarts_total{service=\"db\"}", 0.0));
        }
    }

    /** Every sample with labels, keyed by {@code name{labels}} as the endpoint wrote them. */
    private static Map<String, Double> scrape(URI uri) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        Map<String, Double> samples = new HashMap<>();
        for (String line : response.body().lines().toList()) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            samples.put(m.group(1) + "{" + m.group(2) + "}", Double.parseDouble(m.group(3)));
        }
        return samples;
    }
}
