package io.servicescluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.servicescluster.cli.SvcRun.Result;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics endpoint as Prometheus itself judges it: {@code promtool check metrics} on what it
 * serves, and a real {@code prometheus} server scraping it across a restart of a service. Both
 * programs come from Debian's package {@code prometheus}; without them the tests are skipped, or
 * fail under {@code SVC_PROMETHEUS_REQUIRED} (see {@link PrometheusTools#require}).
 */
class PrometheusTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void promtoolFindsNoProblemWhileServicesRunAndAfterARestart() throws Exception {
        Path promtool = PrometheusTools.require("promtool");
        Path file = cluster("linted");
        try (SvcRun run = SvcRun.start(dir, file.toString(), "--metrics-port", "0")) {
            run.awaitAllRunning(file.toString());
            URI metrics = PrometheusTools.endpoint("/metrics");
            await().atMost(WAIT).until(() -> PrometheusTools.body(metrics)
                    .contains("svc_service_exceptions_total{cluster=\"linted\",service=\"web\"} 1.0"));
            assertNoProblems(promtool, PrometheusTools.body(metrics));

            restartWeb(file);
            await().atMost(WAIT).until(() -> PrometheusTools.body(metrics)
                    .contains("svc_service_restarts_total{cluster=\"linted\",service=\"web\"} 1.0"));
            assertNoProblems(promtool, PrometheusTools.body(metrics));
        }
    }

    /**
     * Runs once per build (in CI too): a real Prometheus, its own config and storage in the test's
     * folder, scraping every second; stopped by its pid at the end. Bounded well under a minute.
     */
    @Test
    @Tag("prometheus-server")
    void aRealPrometheusScrapesTheClusterAndSeesNoCounterResetAcrossARestart() throws Exception {
        Path prometheus = PrometheusTools.require("prometheus");
        Path file = cluster("scraped");
        try (SvcRun run = SvcRun.start(dir, file.toString(), "--metrics-port", "0")) {
            run.awaitAllRunning(file.toString());
            URI metrics = PrometheusTools.endpoint("/metrics");
            int port = freePort();
            Path config = Files.writeString(dir.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 1s
                    scrape_configs:
                      - job_name: svc
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                    """.formatted(metrics.getPort()));
            Path log = dir.resolve("prometheus.log");
            Process server = new ProcessBuilder(prometheus.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port,
                    "--log.level=warn").redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                URI api = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query=");
                // prometheus listens a moment after it starts: a refused connection means not yet
                await().atMost(WAIT).pollInterval(Duration.ofMillis(250))
                        .ignoreExceptionsInstanceOf(IOException.class).untilAsserted(() -> {
                    assertThat(server.isAlive()).as("prometheus ended early:\n%s", Files.readString(log)).isTrue();
                    assertThat(value(api, "up{job=\"svc\"}")).hasValue(1.0);
                    assertThat(value(api, "svc_service_up{cluster=\"scraped\",service=\"web\"}")).hasValue(1.0);
                    assertThat(value(api, "svc_service_cpu_seconds_total{service=\"web\"}")).hasValueSatisfying(
                            cpu -> assertThat(cpu).isPositive());
                });
                double before = value(api, "svc_service_cpu_seconds_total{service=\"web\"}").orElseThrow();

                restartWeb(file);
                await().atMost(WAIT).pollInterval(Duration.ofMillis(250))
                        .ignoreExceptionsInstanceOf(IOException.class).untilAsserted(() -> {
                    assertThat(value(api, "svc_service_restarts_total{service=\"web\"}")).hasValue(1.0);
                    assertThat(value(api, "svc_service_up{service=\"web\"}")).hasValue(1.0);
                    assertThat(value(api, "svc_service_cpu_seconds_total{service=\"web\"}")).hasValueSatisfying(
                            cpu -> assertThat(cpu).isGreaterThan(before));
                });
                // Prometheus's own verdict on every sample it took: the counter never went down
                assertThat(value(api, "resets(svc_service_cpu_seconds_total{service=\"web\"}[5m])")).hasValue(0.0);
            } finally {
                server.destroy();
                if (!server.waitFor(20, TimeUnit.SECONDS)) {
                    server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** {@code db <- web}: web lets one exception escape at each start. */
    private Path cluster(String name) {
        return TestFiles.write(dir, "name: " + name + "\nservices:\n"
                + "  db:\n" + TestFiles.code("Greeter")
                + "  web:\n    dependsOn: [db]\n" + TestFiles.code("Thrower"));
    }

    private static void restartWeb(Path file) {
        Result restart = Result.of("restart", "web", "--cluster", file.toString());
        assertThat(restart.status()).as(restart.err()).isZero();
    }

    /** {@code promtool check metrics} (lint included) on {@code text}: exit 0 and not a word. */
    private static void assertNoProblems(Path promtool, String text) throws Exception {
        Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = check.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(said).as("promtool on:\n%s", text).isEmpty();
        assertThat(check.exitValue()).isZero();
    }

    /** The single value of an instant query, if it has one series. */
    private static Optional<Double> value(URI api, String query) throws IOException, InterruptedException {
        URI uri = URI.create(api + URLEncoder.encode(query, StandardCharsets.UTF_8));
        JsonNode result = JSON.readTree(PrometheusTools.body(uri)).path("data").path("result");
        assertThat(result.size()).as("series of %s: %s", query, result).isLessThanOrEqualTo(1);
        return result.isEmpty() ? Optional.empty() : Optional.of(result.get(0).path("value").get(1).asDouble());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
