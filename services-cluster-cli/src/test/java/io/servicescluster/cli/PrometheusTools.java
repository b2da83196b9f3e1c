package io.servicescluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.servicescluster.core.ops.ManagerInfo;
import io.servicescluster.core.ops.ManagerRegistry;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * What the metrics tests share: the endpoint of the running {@code svc run}, plain HTTP, and
 * Prometheus's own programs ({@code promtool}, {@code prometheus}: Debian's package
 * {@code prometheus}). A missing program skips the test with the reason, or fails it when
 * {@code SVC_PROMETHEUS_REQUIRED} is set (as {@code .ci/run} does, which installs the package).
 */
final class PrometheusTools {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private PrometheusTools() {
    }

    /** {@code http://127.0.0.1:PORT/PATH} of the metrics port of the only manager running (see {@link SvcRun#isolate}). */
    static URI endpoint(String path) {
        ManagerInfo manager = ManagerRegistry.running().getFirst();
        assertThat(manager.metricsPort()).as("the metrics port in manager.json").isPresent();
        return URI.create("http://127.0.0.1:" + manager.metricsPort().getAsInt() + path);
    }

    /** A GET of {@code uri}. */
    static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The body of a GET of {@code uri}, which must answer 200. */
    static String body(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = get(uri);
        assertThat(response.statusCode()).as("GET %s: %s", uri, response.body()).isEqualTo(200);
        return response.body();
    }

    /** The program {@code name} on the PATH; else the test is skipped, or fails when it is required. */
    static Path require(String name) {
        Optional<Path> found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
        if (found.isEmpty()) {
            String reason = name + " is not on the PATH (Debian package 'prometheus'; .ci/run installs it)";
            if (System.getenv("SVC_PROMETHEUS_REQUIRED") != null) {
                fail("SVC_PROMETHEUS_REQUIRED is set but " + reason);
            }
            Assumptions.abort(reason);
        }
        return found.get();
    }
}
