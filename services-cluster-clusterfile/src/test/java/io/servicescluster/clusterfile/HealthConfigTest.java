package io.servicescluster.clusterfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.HealthSpec;
import io.servicescluster.core.config.Problem;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** SPEC §4 {@code health:} (R16): what it reads, how defaults merge, and each bad input's message. */
class HealthConfigTest {

    private static final Path FILE = Path.of("cluster.yaml");

    @Test
    void aProbeAndItsTimingAreRead() throws Exception {
        ClusterSpec cluster = ClusterFileParser.parse("""
                name: shop
                services:
                  web:
                    code: { class: x.Web }
                    health:
                      http: http://127.0.0.1:8080/health
                      interval: 2s
                      timeout: 500ms
                      retries: 5
                      startPeriod: 10s
                  db:
                    code: { class: x.Db }
                    health: { tcp: "127.0.0.1:5432" }
                  cache:
                    code: { class: x.Cache }
                    health: { command: [sh, -c, "test -f ready"] }
                  worker:
                    code: { class: x.Worker }
                    health: { retries: 1 }
                  plain:
                    code: { class: x.Plain }
                """, FILE);
        assertThat(cluster.service("web").orElseThrow().health()).hasValue(new HealthSpec(
                Optional.of(new HealthSpec.Http(URI.create("http://127.0.0.1:8080/health"))), Duration.ofSeconds(2),
                Duration.ofMillis(500), 5, Duration.ofSeconds(10)));
        assertThat(cluster.service("db").orElseThrow().health().orElseThrow().probe())
                .hasValue(new HealthSpec.Tcp("127.0.0.1", 5432));
        assertThat(cluster.service("cache").orElseThrow().health().orElseThrow().probe())
                .hasValue(new HealthSpec.Command(List.of("sh", "-c", "test -f ready")));
        // no probe: the service's own check (ServiceContext.health), with the default timing
        assertThat(cluster.service("worker").orElseThrow().health()).hasValue(new HealthSpec(Optional.empty(),
                HealthSpec.DEFAULT_INTERVAL, HealthSpec.DEFAULT_TIMEOUT, 1, Duration.ZERO));
        assertThat(cluster.service("plain").orElseThrow().health()).isEmpty();
    }

    @Test
    void defaultsGiveTimingKeyByKeyAndAProbeOnlyIfTheyNameOne() throws Exception {
        ClusterSpec cluster = ClusterFileParser.parse("""
                name: shop
                defaults:
                  health: { interval: 5s, retries: 2 }
                services:
                  web:
                    code: { class: x.Web }
                    health: { http: "http://127.0.0.1:8080/", retries: 4 }
                  plain:
                    code: { class: x.Plain }
                """, FILE);
        HealthSpec web = cluster.service("web").orElseThrow().health().orElseThrow();
        assertThat(web.interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(web.retries()).isEqualTo(4);
        // timing in defaults alone checks nothing: a service without a check of its own is not held back
        assertThat(cluster.service("plain").orElseThrow().health()).isEmpty();
    }

    @Test
    void twoProbeKindsAreRefused() {
        assertThat(problems("""
                    health:
                      http: http://127.0.0.1:8080/health
                      tcp: "127.0.0.1:8080"
                """)).containsExactly("cluster.yaml:7: services.web.health.tcp: health has both 'http' and 'tcp':"
                + " a check is one of http, tcp or command (or none of them: the service's own check)");
    }

    @Test
    void badTimingIsRefused() {
        assertThat(problems("""
                    health: { interval: -1s, timeout: 0s, retries: 0 }
                """)).hasSize(3).anyMatch(p -> p.startsWith("cluster.yaml:5: services.web.health.interval: "))
                .contains("cluster.yaml:5: services.web.health.timeout: must be more than 0",
                        "cluster.yaml:5: services.web.health.retries: must be 1 or more");
    }

    @Test
    void badProbesAreRefused() {
        assertThat(problems("""
                    health: { http: "ftp://host/x" }
                """)).containsExactly("cluster.yaml:5: services.web.health.http: 'ftp://host/x' is not an http:// or"
                + " https:// URL with a host, such as http://127.0.0.1:8080/health");
        assertThat(problems("""
                    health: { tcp: "127.0.0.1:99999" }
                """)).containsExactly("cluster.yaml:5: services.web.health.tcp: '127.0.0.1:99999' is not host:port"
                + " with a port from 1 to 65535, such as 127.0.0.1:8080");
        assertThat(problems("""
                    health: { command: [] }
                """)).containsExactly("cluster.yaml:5: services.web.health.command: a health command needs at least"
                + " one word, such as [sh, -c, \"test -f ready\"]");
        // the list hint for other keys, [test -f ready], would run one word named "test -f ready"
        assertThat(problems("""
                    health: { command: "test -f ready" }
                """)).containsExactly("cluster.yaml:5: services.web.health.command: expected a list of words, got a"
                + " string ('test -f ready'): write [sh, -c, \"test -f ready\"] to run it through a shell");
        assertThat(problems("""
                    health: { htp: "http://127.0.0.1/" }
                """)).hasSize(1).allMatch(p -> p.contains("htp") && p.contains("http"));
    }

    /** The problems of a service {@code web} whose last lines are {@code lines}. */
    private static List<String> problems(String lines) {
        String yaml = "name: shop\nservices:\n  web:\n    code: { class: x.Web }\n" + lines;
        var exception = catchThrowableOfType(ClusterFileException.class, () -> ClusterFileParser.parse(yaml, FILE));
        assertThat(exception).as("a ClusterFileException").isNotNull();
        return exception.problems().stream().map(Problem::toString).toList();
    }
}
