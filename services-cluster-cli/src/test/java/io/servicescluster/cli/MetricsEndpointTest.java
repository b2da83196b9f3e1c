package io.servicescluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.cli.SvcRun.Result;
import io.servicescluster.core.ops.ManagerRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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
    void servesStateCountersCpuMemoryAndExceptionsForEachService() throws Exception {
        // a warm pool of one: web, which may restart, gets a spare
        Path file = TestFiles.write(dir, "name: measured\ndefaults: { pool: 1 }\nservices:\n"
                + "  db:\n" + TestFiles.code("Greeter")
                + "  web:\n    dependsOn: [db]\n    restart: { policy: on-failure, backoff: 100ms }\n"
                + TestFiles.code("Thrower"));
        try (SvcRun run = SvcRun.start(dir, file.toString(), "--metrics-port", "0")) {
            run.awaitAllRunning(file.toString());
            URI uri = PrometheusTools.endpoint("/metrics");
            assertThat(run.stderr()).contains("svc: metrics at " + uri);

            await().atMost(SvcRun.WAIT).untilAsserted(() -> {
                Map<String, Double> metrics = scrape(uri);
                for (String service : new String[] {"db", "web"}) {
                    assertThat(metrics).containsEntry(key("svc_service_up", service), 1.0);
                    assertThat(metrics).containsEntry(key("svc_service_state", service, "state=\"running\""), 1.0);
                    assertThat(metrics).containsEntry(key("svc_service_state", service, "state=\"closed\""), 0.0);
                    assertThat(metrics).containsEntry(key("svc_service_restarts_total", service), 0.0);
                    assertThat(metrics).containsEntry(key("svc_service_crashes_total", service), 0.0);
                    assertThat(metrics).containsEntry(key("svc_service_failures_total", service), 0.0);
                    assertThat(metrics).containsEntry(key("svc_service_unhealthy_total", service), 0.0);
                    assertThat(metrics).containsEntry(key("svc_service_healthy", service), -1.0); // no check
                    assertThat(metrics.get(key("svc_service_rss_bytes", service))).isGreaterThan(1e6);
                    assertThat(metrics.get(key("svc_service_heap_used_bytes", service))).isGreaterThan(0);
                    assertThat(metrics.get(key("svc_service_heap_max_bytes", service))).isGreaterThan(0);
                    assertThat(metrics.get(key("svc_service_cpu_seconds_total", service))).isGreaterThan(0);
                }
                assertThat(metrics.get(key("svc_service_ready_rss_bytes", "web"))).isGreaterThan(1e6);
                assertThat(metrics).containsEntry(key("svc_service_ready_rss_bytes", "db"), 0.0);
                assertThat(metrics).containsEntry(key("svc_service_exceptions_total", "web"), 1.0);
                assertThat(metrics).containsEntry(key("svc_service_exceptions_total", "db"), 0.0);
            });
            assertThat(scrape(uri).keySet()).noneMatch(k -> k.startsWith("svc_service_cpu_seconds{")
                    || k.startsWith("svc_service_cpu_percent{"));

            // web crashes (killed) and its policy starts it again: the counters go on from where they were
            String cpu = key("svc_service_cpu_seconds_total", "web");
            double beforeCrash = scrape(uri).get(cpu);
            List<Double> seen = new CopyOnWriteArrayList<>();
            Thread scraper = Thread.ofVirtual().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        seen.add(scrape(uri).get(cpu));
                        Thread.sleep(20);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            long pid = Long.parseLong(webRow(file).get(4));
            ProcessHandle web = ProcessHandle.of(pid).orElseThrow();
            web.destroyForcibly();
            web.onExit().get(30, TimeUnit.SECONDS);
            await().atMost(SvcRun.WAIT).untilAsserted(() -> {
                Map<String, Double> metrics = scrape(uri);
                assertThat(metrics).containsEntry(key("svc_service_crashes_total", "web"), 1.0)
                        .containsEntry(key("svc_service_restarts_total", "web"), 1.0)
                        .containsEntry(key("svc_service_restarts_total", "db"), 0.0)
                        .containsEntry(key("svc_service_up", "web"), 1.0)
                        .containsEntry(key("svc_service_exceptions_total", "web"), 2.0);
                assertThat(webRow(file).get(4)).isNotEqualTo(Long.toString(pid));
                // the new process's first sample is added to the old one's last
                assertThat(metrics.get(cpu)).isGreaterThan(beforeCrash);
            });
            scraper.interrupt();
            scraper.join();
            assertThat(seen).as("CPU seconds of web, scraped every 20 ms across the crash").hasSizeGreaterThan(5)
                    .isSorted();
        }
    }

    @Test
    void slashLinksToTheMetricsAndOtherPathsAreNotFound() throws Exception {
        Path file = TestFiles.write(dir, "name: linked\nservices:\n  db:\n" + TestFiles.code("Greeter"));
        try (SvcRun run = SvcRun.start(dir, file.toString(), "--metrics-port", "0")) {
            run.awaitAllRunning(file.toString());
            HttpResponse<String> index = PrometheusTools.get(PrometheusTools.endpoint("/"));
            assertThat(index.statusCode()).isEqualTo(200);
            assertThat(index.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(index.body()).contains("<a href=\"/metrics\">").contains("linked");

            HttpResponse<String> missing = PrometheusTools.get(PrometheusTools.endpoint("/metricz"));
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).contains("/metrics");
            assertThat(PrometheusTools.get(PrometheusTools.endpoint("/metrics/x")).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aBusyPortIsNamedWithItsOptionBeforeAnyServiceStarts() throws Exception {
        Path file = TestFiles.write(dir, "name: blocked\nservices:\n  db:\n" + TestFiles.code("Greeter"));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                SvcRun run = SvcRun.start(dir, file.toString(), "--metrics-port", Integer.toString(taken.getLocalPort()))) {
            assertThat(run.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            int port = taken.getLocalPort();
            assertThat(run.process().exitValue()).as(run.stderr()).isEqualTo(Svc.INVALID);
            assertThat(run.stderr().strip()).isEqualTo(
                    "svc run: --metrics-port " + port + ": port " + port + " on 127.0.0.1 is already in use");
            assertThat(run.stdout()).noneMatch(line -> line.contains("starting"));
            assertThat(ManagerRegistry.running()).isEmpty();
        }
    }

    @Test
    void aPortOutOfRangeIsRefused() {
        Path file = TestFiles.write(dir, "name: odd\nservices:\n  db:\n" + TestFiles.code("Greeter"));
        Result run = Result.of("run", file.toString(), "--metrics-port", "70000");
        assertThat(run.status()).isEqualTo(Svc.INVALID);
        assertThat(run.err()).isEqualTo("svc run: --metrics-port 70000: not a port (0 to 65535; 0 takes a free one)\n");
    }

    private static List<String> webRow(Path file) {
        Result ps = Result.of("ps", "--cluster", file.toString());
        assertThat(ps.status()).as(ps.err()).isZero();
        return ps.rows().stream().filter(r -> r.getFirst().equals("web")).findFirst().orElseThrow();
    }

    /** {@code name{labels}} of a service of cluster {@code measured}, as the endpoint writes it: labels sorted. */
    private static String key(String metric, String service, String... more) {
        return metric + "{cluster=\"measured\",service=\"" + service + "\""
                + (more.length == 0 ? "" : "," + String.join(",", more)) + "}";
    }

    /** Every sample with labels, keyed by {@code name{labels}} as the endpoint wrote them. */
    private static Map<String, Double> scrape(URI uri) throws Exception {
        HttpResponse<String> response = PrometheusTools.get(uri);
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
