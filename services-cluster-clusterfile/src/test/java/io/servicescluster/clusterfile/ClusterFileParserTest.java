package io.servicescluster.clusterfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.ClusterValidator;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.Permissions;
import io.servicescluster.core.config.Resources;
import io.servicescluster.core.config.RestartPolicy;
import io.servicescluster.core.config.ServiceSpec;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterFileParserTest {

    private static Path fullFile() throws URISyntaxException {
        return Path.of(ClusterFileParserTest.class.getResource("/config/full/cluster.yaml").toURI());
    }

    @Test
    void readsEveryKeyIntoTheExactRecords() throws Exception {
        Path file = fullFile();
        Path dir = file.getParent();

        ClusterSpec cluster = ClusterFileParser.parse(file);

        assertThat(cluster.name()).isEqualTo("shop");
        assertThat(cluster.baseDir()).isEqualTo(dir);
        assertThat(cluster.sourceFile()).contains(file);
        assertThat(cluster.services()).extracting(ServiceSpec::name).containsExactly("store", "orders", "billing");

        ServiceSpec store = new ServiceSpec("store", List.of(),
                new CodeSpec.ClassCode("com.example.shop.Store",
                        List.of(dir.resolve("store/target/classes"), dir.resolve("lib/extra.jar"))),
                "process",
                Map.of("region", "eu", "level", "debug", "dataDir", "data", "port", "8080", "ratio", "0.50",
                        "debug", "true"),
                new Permissions(Optional.of(List.of(dir.resolve("data"), Path.of("/etc/hosts"))),
                        List.of(dir.resolve("out")), false, true),
                new Resources(OptionalLong.of(1L << 30), OptionalDouble.of(2)),
                new RestartPolicy(RestartPolicy.Policy.ALWAYS, 0, Duration.ofMinutes(5), Duration.ofMillis(250)),
                Duration.ofSeconds(20), Duration.ofSeconds(5));
        assertThat(cluster.services().get(0)).isEqualTo(store);

        ServiceSpec orders = new ServiceSpec("orders", List.of("store"),
                new CodeSpec.SourceCode("""
                        import io.servicescluster.api.*;
                        public class Orders implements Service {
                          public void start(ServiceContext ctx) { }
                        }
                        """, "cluster.yaml[services.orders.code.source]"),
                "boxed", Map.of("region", "eu", "level", "info"), Permissions.DEFAULT,
                new Resources(OptionalLong.of(128L << 20), OptionalDouble.of(0.5)),
                new RestartPolicy(RestartPolicy.Policy.ON_FAILURE, 5, Duration.ofSeconds(60), Duration.ofMillis(200)),
                Duration.ofHours(2), Duration.ofSeconds(5));
        assertThat(cluster.services().get(1)).isEqualTo(orders);

        ServiceSpec billing = new ServiceSpec("billing", List.of("store", "orders"),
                new CodeSpec.SourceCode(Files.readString(dir.resolve("src/Billing.java")), "Billing.java"),
                "process", Map.of("region", "eu", "level", "info"), Permissions.DEFAULT,
                new Resources(OptionalLong.of(128L << 20), OptionalDouble.empty()),
                RestartPolicy.NEVER, Duration.ofSeconds(20), Duration.ofSeconds(5));
        assertThat(cluster.services().get(2)).isEqualTo(billing);
        assertThat(ClusterValidator.problems(cluster)).isEmpty();
    }

    @Test
    void appliesTheDefaultsOfServiceSpecToAMinimalFile() throws Exception {
        ClusterSpec cluster = ClusterFileParser.parse("""
                name: tiny
                services:
                  one:
                    code: { class: a.One }
                """, Path.of("tiny.yaml"));

        assertThat(cluster.baseDir()).isEqualTo(Path.of("").toAbsolutePath());
        assertThat(cluster.sourceFile()).contains(Path.of("tiny.yaml").toAbsolutePath());
        assertThat(cluster.services()).containsExactly(
                ServiceSpec.builder("one").code(CodeSpec.ofClass("a.One")).build());
    }

    /**
     * A service's resources, permissions and restart merge key by key over those of defaults, as
     * settings, env and health do: a service that gave cpus lost the defaults' memory limit, and
     * one that allowed spawn got the network the defaults had closed.
     */
    @Test
    void limitsMergeWithTheDefaultsKeyByKeyTheServicesOwnWinning() throws Exception {
        ClusterSpec cluster = ClusterFileParser.parse("""
                name: merged
                defaults:
                  resources: { memory: 256m, cpus: 1 }
                  permissions: { network: false, files: { read: [data] } }
                  restart: { policy: on-failure, maxRestarts: 2, backoff: 1s }
                services:
                  own:
                    code: { class: a.One }
                    resources: { cpus: 2 }
                    permissions: { spawn: true, files: { write: [out] } }
                    restart: { maxRestarts: 7 }
                  plain:
                    code: { class: a.One }
                  never:
                    code: { class: a.One }
                    restart: { policy: never }
                """, Path.of("merged.yaml"));

        Path dir = Path.of("").toAbsolutePath();
        ServiceSpec own = cluster.services().get(0);
        assertThat(own.resources()).isEqualTo(new Resources(OptionalLong.of(256L << 20), OptionalDouble.of(2)));
        assertThat(own.permissions()).isEqualTo(new Permissions(Optional.of(List.of(dir.resolve("data"))),
                List.of(dir.resolve("out")), false, true));
        assertThat(own.restart()).isEqualTo(
                new RestartPolicy(RestartPolicy.Policy.ON_FAILURE, 7, Duration.ofSeconds(60), Duration.ofSeconds(1)));
        ServiceSpec plain = cluster.services().get(1);
        assertThat(plain.resources()).isEqualTo(new Resources(OptionalLong.of(256L << 20), OptionalDouble.of(1)));
        assertThat(plain.permissions()).isEqualTo(new Permissions(Optional.of(List.of(dir.resolve("data"))),
                List.of(), false, false));
        assertThat(plain.restart()).isEqualTo(
                new RestartPolicy(RestartPolicy.Policy.ON_FAILURE, 2, Duration.ofSeconds(60), Duration.ofSeconds(1)));
        assertThat(cluster.services().get(2).restart()).isEqualTo(RestartPolicy.NEVER);
    }

    @Test
    void readsThePoolFromTheDefaults() throws Exception {
        ClusterSpec cluster = ClusterFileParser.parse("""
                name: warm
                defaults: { pool: 2, startTimeout: 5s }
                services:
                  one:
                    code: { class: a.One }
                """, Path.of("warm.yaml"));

        assertThat(cluster.pool()).isEqualTo(2);
        assertThat(cluster.services().getFirst().startTimeout()).hasSeconds(5);
    }

    @Test
    void readsApplicationsAndMergesTheEnvironmentTheServicesOwnWinning() throws Exception {
        ClusterSpec cluster = ClusterFileParser.parse("""
                name: apps
                defaults:
                  env: { LOG_LEVEL: info, REGION: eu }
                services:
                  web:
                    code: { main: com.example.App, classpath: [app.jar, "lib/*"], args: [--port, 8080, "", x y] }
                    env: { LOG_LEVEL: debug, _private1: "" }
                  db:
                    code: { jar: db/h2.jar, args: [-tcp] }
                """, Path.of("apps.yaml"));

        Path dir = Path.of("").toAbsolutePath();
        ServiceSpec web = cluster.services().get(0);
        assertThat(web.code()).isEqualTo(new CodeSpec.MainCode(Optional.of("com.example.App"),
                List.of(dir.resolve("app.jar"), dir.resolve("lib/*")), List.of("--port", "8080", "", "x y")));
        assertThat(web.env()).containsExactlyInAnyOrderEntriesOf(
                Map.of("LOG_LEVEL", "debug", "REGION", "eu", "_private1", ""));
        ServiceSpec db = cluster.services().get(1);
        assertThat(db.code()).isEqualTo(CodeSpec.ofJar(dir.resolve("db/h2.jar"), List.of("-tcp")));
        assertThat(db.env()).isEqualTo(Map.of("LOG_LEVEL", "info", "REGION", "eu"));
    }

    @Test
    void readsAFileFromDisk(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, "name: disk\nservices:\n  one:\n    code: { class: a.One }\n");

        assertThat(ClusterFileParser.parse(file).name()).isEqualTo("disk");
    }

    @Test
    void aMissingClusterFileIsOneProblemWithoutALine(@TempDir Path dir) {
        Path file = dir.resolve("nothing.yaml");

        assertThatThrownBy(() -> ClusterFileParser.parse(file))
                .isInstanceOf(ClusterFileException.class)
                .hasMessage(file + ": no such file");
    }

    @Test
    void aFolderGivenAsTheFileIsAProblemInPlainWords(@TempDir Path dir) {
        assertThatThrownBy(() -> ClusterFileParser.parse(dir))
                .isInstanceOf(ClusterFileException.class)
                .hasMessage(dir + ": cannot read the file: Is a directory");
    }

    @Test
    void aFolderGivenAsACodeFileIsAProblemInPlainWords(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("Orders.java"));
        assertThatThrownBy(() -> ClusterFileParser.parse("name: shop\nservices:\n  a: { code: { file: Orders.java } }\n",
                dir.resolve("cluster.yaml")))
                .isInstanceOf(ClusterFileException.class)
                .hasMessage(dir.resolve("cluster.yaml") + ":3: services.a.code.file: "
                        + "cannot read '" + dir.resolve("Orders.java") + "': Is a directory");
    }

    @Test
    void aFileThatIsNotUtf8IsAProblem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xe9});

        assertThatThrownBy(() -> ClusterFileParser.parse(file))
                .hasMessage(file + ": cannot read the file: it is not UTF-8 text");
    }
}
