package io.servicescluster.core.container.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servicescluster.clusterfile.ClusterFileException;
import io.servicescluster.clusterfile.ClusterFileParser;
import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.ContainerException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code swarm} key (docs/multi-host.md), and what a swarm cannot enforce, refused (R15); no swarm needed. */
class SwarmOptionsTest {

    @Test
    void readsEveryKeyAndInheritsThemFromDefaults() throws Exception {
        ClusterSpec cluster = ClusterFileParser.parse("""
                name: spread
                defaults:
                  container: swarm
                  swarm: { engine: "tcp://10.20.0.1:2376", advertise: 10.20.0.9, image: "svc-runtime:local" }
                services:
                  one:
                    code: { class: a.One }
                  two:
                    code: { class: a.Two }
                    swarm:
                      java: /opt/java/bin/java
                      placement: { node: node-2, constraints: ["node.labels.disk==ssd"] }
                """, Path.of("spread.yaml"));

        assertThat(cluster.service("one").orElseThrow().container()).isEqualTo("swarm");
        assertThat(cluster.service("one").orElseThrow().options(SwarmOptions.class)).contains(new SwarmOptions(
                Optional.of("tcp://10.20.0.1:2376"), Optional.of("10.20.0.9"), Optional.of("svc-runtime:local"),
                Optional.empty(), Optional.empty(), List.of()));
        SwarmOptions two = cluster.service("two").orElseThrow().options(SwarmOptions.class).orElseThrow();
        assertThat(two.java()).contains("/opt/java/bin/java");
        assertThat(two.placement()).containsExactly("node.labels.disk==ssd", "node.hostname==node-2");
    }

    @Test
    void unknownKeysAndBadValuesAreErrorsWithTheirLine() {
        assertThatThrownBy(() -> ClusterFileParser.parse("""
                name: bad
                services:
                  one:
                    code: { class: a.One }
                    swarm:
                      engine: http://nowhere
                      advertise: "10.0.0.1:9000"
                      placement: { constraints: ["ssd"], zone: x }
                      replicas: 2
                """, Path.of("bad.yaml")))
                .isInstanceOf(ClusterFileException.class)
                .hasMessageContaining("bad.yaml:6").hasMessageContaining("swarm manager")
                .hasMessageContaining("bad.yaml:7").hasMessageContaining("without a port")
                .hasMessageContaining("bad.yaml:8").hasMessageContaining("unknown key 'zone'")
                .hasMessageContaining("bad.yaml:9").hasMessageContaining("unknown key 'replicas'");
    }

    @Test
    void whatASwarmCannotEnforceIsRefusedNamingIt() throws Exception {
        ClusterSpec cluster = ClusterFileParser.parse("""
                name: strict
                defaults: { container: swarm }
                services:
                  offline:
                    code: { class: a.One }
                    permissions: { network: false }
                  reader:
                    code: { class: a.One }
                    permissions: { files: { read: [data] } }
                  writer:
                    code: { class: a.One }
                    permissions: { files: { write: [out] } }
                  bounded:
                    code: { class: a.One }
                    resources: { disk: 1g }
                  fine:
                    code: { class: a.One }
                    resources: { memory: 256m, cpus: 0.5 }
                """, Path.of("strict.yaml"));

        assertThatThrownBy(() -> TaskRecipe.refuseUnenforceable(service(cluster, "offline")))
                .isInstanceOf(ContainerException.class).hasMessageContaining("'network: false'")
                .hasMessageContaining("'offline'");
        assertThatThrownBy(() -> TaskRecipe.refuseUnenforceable(service(cluster, "reader")))
                .hasMessageContaining("'files.read'/'files.write'").hasMessageContaining("shares no file system");
        assertThatThrownBy(() -> TaskRecipe.refuseUnenforceable(service(cluster, "writer")))
                .hasMessageContaining("'files.read'/'files.write'");
        assertThatThrownBy(() -> TaskRecipe.refuseUnenforceable(service(cluster, "bounded")))
                .hasMessageContaining("'resources.disk'");
        TaskRecipe.refuseUnenforceable(service(cluster, "fine"));
    }

    private static ServiceSpec service(ClusterSpec cluster, String name) {
        return cluster.service(name).orElseThrow();
    }
}
