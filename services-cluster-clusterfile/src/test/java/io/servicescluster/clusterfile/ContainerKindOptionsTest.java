package io.servicescluster.clusterfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.servicescluster.clusterfile.TestKinds.Box;
import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.Problem;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The container-kind SPI: the kinds found on the class path name the valid {@code container}
 * values, and each reads its own options key, with the file, line and key in every problem.
 */
class ContainerKindOptionsTest {

    private static final Path FILE = Path.of("cluster.yaml");

    private static List<String> problems(String yaml) {
        return catchThrowableOfType(ClusterFileException.class, () -> ClusterFileParser.parse(yaml, FILE))
                .problems().stream().map(Problem::toString).toList();
    }

    @Test
    void aKindReadsItsOwnKeyAndAServiceInheritsItFromDefaults() throws Exception {
        ClusterSpec cluster = ClusterFileParser.parse("""
                name: boxes
                defaults:
                  container: boxed
                  box: { image: small }
                services:
                  one:
                    code: { class: a.One }
                  two:
                    code: { class: a.Two }
                    box: { slots: 3 }
                  three:
                    code: { class: a.Three }
                    container: process
                """, FILE);

        assertThat(cluster.service("one").orElseThrow().options(Box.class))
                .contains(new Box(Optional.of("small"), Optional.empty()));
        // the service's own options replace those of defaults as a whole, as every key does
        assertThat(cluster.service("two").orElseThrow().options(Box.class))
                .contains(new Box(Optional.empty(), Optional.of(3)));
        assertThat(cluster.service("three").orElseThrow().container()).isEqualTo("process");
    }

    @Test
    void aServiceWithoutTheKeyHasNoOptionsOfThatKind() throws Exception {
        ClusterSpec cluster = ClusterFileParser.parse("""
                name: plain
                services:
                  one:
                    code: { class: a.One }
                    container: boxed
                """, FILE);

        assertThat(cluster.service("one").orElseThrow().options(Box.class)).isEmpty();
        assertThat(cluster.service("one").orElseThrow().options()).isEmpty();
    }

    @Test
    void theKindsProblemsNameTheLineAndTheKey() {
        assertThat(problems("""
                name: bad
                services:
                  one:
                    code: { class: a.One }
                    box:
                      slots: 0
                      colour: red
                """)).containsExactly(
                        "cluster.yaml:6: services.one.box.slots: must be more than 0",
                        "cluster.yaml:7: services.one.box.colour: unknown key 'colour' (expected one of: image, slots)");
    }

    @Test
    void anUnknownKindNamesTheKindsFoundAndTheClosestOne() {
        assertThat(problems("""
                name: bad
                services:
                  one:
                    code: { class: a.One }
                    container: boxd
                """)).containsExactly("cluster.yaml:5: services.one.container: unknown container 'boxd'; did you mean"
                        + " 'boxed'? (expected one of: boxed, process)");
    }

    @Test
    void hostsAndPlacementAreForKindsThatPlaceServicesOnOtherHosts() {
        assertThat(problems("""
                name: bad
                hosts:
                  boxd: {}
                  boxed: { image: small }
                services:
                  one:
                    code: { class: a.One }
                    placement: { node: a }
                """)).containsExactly(
                        "cluster.yaml:3: hosts.boxd: unknown key 'boxd'; did you mean 'boxed'? (expected one of: boxed, process)",
                        "cluster.yaml:4: hosts.boxed: container 'boxed' runs its services on this machine: it has no entry "
                                + "under 'hosts'",
                        "cluster.yaml:8: services.one.placement: container 'process' runs its services on this machine: "
                                + "'placement' is for the kinds that place them on other hosts, and none is on the class path");
        assertThat(problems("""
                name: bad
                hosts: swarm
                services:
                  one: { code: { class: a.One } }
                """)).singleElement().asString().startsWith("cluster.yaml:2: hosts: expected a map");
    }
}
