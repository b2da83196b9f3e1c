package io.servicescluster.clusterfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.Problem;
import io.servicescluster.core.config.Resources;
import io.servicescluster.core.config.ServiceSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Issue 18: {@code unconfined: true} (items 1) and {@code resources: { pids, disk }} (item 5). */
class ConfinementConfigTest {

    private static final Path FILE = Path.of("cluster.yaml");

    @Test
    void unconfinedIsReadFromTheServiceOrItsDefaultsAndShownFirstAmongTheRestrictions() throws Exception {
        ClusterSpec cluster = ClusterFileParser.parse("""
                name: shop
                defaults:
                  unconfined: true
                services:
                  legacy:
                    code: { class: x.Legacy }
                    permissions: { network: false }
                  boxed:
                    code: { class: x.Boxed }
                    unconfined: false
                """, FILE);
        ServiceSpec legacy = cluster.service("legacy").orElseThrow();
        assertThat(legacy.unconfined()).isTrue();
        assertThat(legacy.restrictions()).containsExactly("unconfined", "network: false");
        assertThat(cluster.service("boxed").orElseThrow().unconfined()).isFalse();
        assertThat(cluster.service("boxed").orElseThrow().restrictions()).isEmpty();
    }

    @Test
    void aServiceIsConfinedByDefault() throws Exception {
        ClusterSpec cluster = ClusterFileParser.parse("name: shop\nservices:\n  one:\n    code: { class: x.One }\n", FILE);
        assertThat(cluster.service("one").orElseThrow().unconfined()).isFalse();
    }

    @Test
    void pidsAndDiskAreReadAndShown() throws Exception {
        ClusterSpec cluster = ClusterFileParser.parse("""
                name: shop
                services:
                  db:
                    code: { class: x.Db }
                    resources: { memory: 128m, pids: 200, disk: 1g }
                """, FILE);
        ServiceSpec db = cluster.service("db").orElseThrow();
        assertThat(db.resources()).isEqualTo(new Resources(OptionalLong.of(128L << 20), OptionalDouble.empty(),
                OptionalLong.of(200), OptionalLong.of(1L << 30)));
        assertThat(db.restrictions()).containsExactly("memory: 128m", "pids: 200", "disk: 1g");
    }

    @Test
    void badValuesAreProblemsWithTheirLineAndKey() {
        assertThat(problems("""
                name: shop
                services:
                  db:
                    code: { class: x.Db }
                    unconfined: yes please
                    resources: { pids: 3, disk: 1k }
                """)).containsExactly(
                        "cluster.yaml:5: services.db.unconfined: expected true or false, got a string ('yes please')",
                        "cluster.yaml:6: services.db.resources.pids: must be 16 or more: a JVM alone runs a few dozen threads",
                        "cluster.yaml:6: services.db.resources.disk: must be 8m or more");
    }

    private static List<String> problems(String yaml) {
        var exception = catchThrowableOfType(ClusterFileException.class, () -> ClusterFileParser.parse(yaml, FILE));
        assertThat(exception).as("a ClusterFileException").isNotNull();
        return exception.problems().stream().map(Problem::toString).toList();
    }
}
