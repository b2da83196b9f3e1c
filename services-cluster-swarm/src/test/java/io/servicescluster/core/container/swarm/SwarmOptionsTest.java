package io.servicescluster.core.container.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.servicescluster.clusterfile.ClusterFileException;
import io.servicescluster.clusterfile.ClusterFileParser;
import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.Problem;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.ContainerException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §6's {@code hosts.swarm} and {@code placement:}, our {@code swarm} key (docs/multi-host.md), and what a swarm cannot enforce, refused (R15); no swarm needed. */
class SwarmOptionsTest {

    @Test
    void readsSpecSyntaxHostsAndPlacement() throws Exception {
        ClusterSpec cluster = ClusterFileParser.parse("""
                name: spread
                hosts:
                  swarm:
                    docker: tcp://10.20.0.1:2376
                    tls: { ca: certs/ca.pem, cert: certs/cert.pem, key: /etc/svc/key.pem }
                    advertise: 10.20.0.9
                    image: svc-runtime:local
                defaults: { container: swarm }
                services:
                  db:
                    code: { class: a.Db }
                    placement: { node: node-1 }
                  api:
                    code: { class: a.Api }
                    placement: { constraints: ["node.labels.disk==ssd"] }
                  local:
                    code: { class: a.Local }
                    container: process
                """, Path.of("/work/spread/cluster.yaml"));

        SwarmTls tls = new SwarmTls(Path.of("/work/spread/certs/ca.pem"), Path.of("/work/spread/certs/cert.pem"),
                Path.of("/etc/svc/key.pem"));
        assertThat(options(cluster, "db")).isEqualTo(new SwarmOptions(Optional.of("tcp://10.20.0.1:2376"),
                Optional.of(tls), Optional.of("10.20.0.9"), Optional.of("svc-runtime:local"), Optional.empty(),
                Optional.of("node-1"), List.of()));
        assertThat(options(cluster, "api").placement()).containsExactly("node.labels.disk==ssd");
        assertThat(options(cluster, "api").engine()).contains("tcp://10.20.0.1:2376");
        // hosts.swarm is the swarm services' engine: a process service carries none of it
        assertThat(cluster.service("local").orElseThrow().options()).isEmpty();
    }

    @Test
    void aServicesOwnKeyFillsFromHostsFieldByFieldAndPlacementFromDefaults() throws Exception {
        ClusterSpec cluster = ClusterFileParser.parse("""
                name: layered
                hosts:
                  swarm: { docker: "unix:///run/a.sock", advertise: 10.20.0.9, image: base:1 }
                defaults:
                  container: swarm
                  placement: { constraints: ["node.role==worker"] }
                services:
                  plain:
                    code: { class: a.One }
                  own:
                    code: { class: a.Two }
                    swarm: { image: own:2, engine: "unix:///run/b.sock" }
                  pinned:
                    code: { class: a.Three }
                    swarm: { placement: { node: node-2 } }
                  moved:
                    code: { class: a.Four }
                    placement: { node: node-3 }
                """, Path.of("layered.yaml"));

        assertThat(options(cluster, "plain")).isEqualTo(new SwarmOptions(Optional.of("unix:///run/a.sock"),
                Optional.empty(), Optional.of("10.20.0.9"), Optional.of("base:1"), Optional.empty(), Optional.empty(),
                List.of("node.role==worker")));
        // 'engine', the name before SPEC's 'docker', still reads; the service's own wins over hosts
        assertThat(options(cluster, "own")).isEqualTo(new SwarmOptions(Optional.of("unix:///run/b.sock"),
                Optional.empty(), Optional.of("10.20.0.9"), Optional.of("own:2"), Optional.empty(), Optional.empty(),
                List.of("node.role==worker")));
        // a service that places itself (either way) is not also placed by defaults
        assertThat(options(cluster, "pinned").placement()).containsExactly("node.hostname==node-2");
        assertThat(options(cluster, "moved").placement()).containsExactly("node.hostname==node-3");
        assertThat(options(cluster, "moved").image()).contains("base:1");
    }

    /** The TLS files of hosts.swarm belong to its engine: a service naming another engine does not take them. */
    @Test
    void anotherEngineDoesNotTakeTheHostsTlsFiles(@TempDir Path dir) throws Exception {
        for (String name : List.of("ca.pem", "cert.pem", "key.pem")) {
            Files.writeString(dir.resolve(name), "not read while parsing");
        }
        ClusterSpec cluster = ClusterFileParser.parse("""
                name: engines
                hosts:
                  swarm: { docker: "tcp://10.20.0.1:2376", tls: { ca: ca.pem, cert: cert.pem, key: key.pem } }
                defaults:
                  container: swarm
                services:
                  same:
                    code: { class: a.One }
                  elsewhere:
                    code: { class: a.Two }
                    swarm: { docker: "tcp://10.30.0.1:2376" }
                """, dir.resolve("engines.yaml"));
        assertThat(options(cluster, "same").tls()).isPresent();
        assertThat(options(cluster, "elsewhere").engine()).contains("tcp://10.30.0.1:2376");
        assertThat(options(cluster, "elsewhere").tls()).isEmpty();
    }

    @Test
    void everyBadHostOrPlacementIsAnErrorWithItsLineAndKey(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("ca.pem"), "not used");
        Files.createDirectory(dir.resolve("keys"));
        List<String> problems = problems("""
                name: bad
                hosts:
                  swarn: { docker: "tcp://h:2376" }
                  swarm:
                    docker: tcp://h:2376
                    engine: tcp://h:2376
                    tls: { ca: ca.pem, cert: missing.pem }
                    placement: { node: a }
                  process: { image: x }
                defaults:
                  placement: { node: a }
                services:
                  twice:
                    code: { class: a.One }
                    container: swarm
                    swarm: { placement: { node: a } }
                    placement: { node: b }
                  local:
                    code: { class: a.Two }
                    placement: { node: a }
                  constrained:
                    code: { class: a.Three }
                    container: swarm
                    placement: { constraints: [ssd], zone: eu }
                  socket:
                    code: { class: a.Four }
                    container: swarm
                    swarm: { docker: "unix:///var/run/docker.sock", tls: { ca: ca.pem, cert: ca.pem, key: ca.pem } }
                  folder:
                    code: { class: a.Five }
                    container: swarm
                    swarm: { docker: "tcp://h:2376", tls: { ca: ca.pem, cert: ca.pem, key: keys } }
                """, dir.resolve("cluster.yaml")).stream().map(p -> p.replace(dir + "/", "")).toList();

        assertThat(problems).containsExactlyInAnyOrder(
                "cluster.yaml:3: hosts.swarn: unknown key 'swarn'; did you mean 'swarm'? (expected one of: process, swarm)",
                "cluster.yaml:6: hosts.swarm.engine: 'engine' is the former name of 'docker', which is given too: keep 'docker'",
                "cluster.yaml:7: hosts.swarm.tls: missing key: TLS to the Engine API needs ca (the CA's certificate), cert "
                        + "and key (this client's certificate and key), PEM files",
                "cluster.yaml:7: hosts.swarm.tls.cert: no such file: missing.pem",
                "cluster.yaml:8: hosts.swarm.placement: unknown key 'placement' (expected one of: docker, engine, tls, "
                        + "advertise, image, java)",
                "cluster.yaml:9: hosts.process: container 'process' runs its services on this machine: it has no entry "
                        + "under 'hosts'",
                "cluster.yaml:11: defaults.placement: a 'placement' in defaults needs 'container' in defaults too (such "
                        + "as 'container: swarm'): it is read by that kind",
                "cluster.yaml:17: services.twice.placement: the placement is given twice: here and under 'swarm'; keep one "
                        + "(SPEC's 'placement:' is the one to keep)",
                "cluster.yaml:20: services.local.placement: container 'process' runs its services on this machine: "
                        + "'placement' is for the kinds that place them on other hosts (swarm)",
                "cluster.yaml:24: services.constrained.placement.constraints: swarm constraints such as node.labels.disk==ssd",
                "cluster.yaml:24: services.constrained.placement.zone: unknown key 'zone'; did you mean 'node'? (expected one of: node, constraints)",
                "cluster.yaml:28: services.socket.swarm.tls: TLS is for a tcp:// Engine API; 'unix:///var/run/docker.sock' "
                        + "is a local socket",
                "cluster.yaml:32: services.folder.swarm.tls.key: not a file: keys");
    }

    @Test
    void hostsIsAMapOfKinds() {
        assertThat(problems("""
                name: bad
                hosts: [swarm]
                services:
                  one: { code: { class: a.One } }
                """, Path.of("cluster.yaml"))).singleElement().asString()
                .startsWith("cluster.yaml:2: hosts: expected a map");
    }

    private static List<String> problems(String yaml, Path file) {
        return catchThrowableOfType(ClusterFileException.class,
                () -> ClusterFileParser.parse(yaml, file, ClusterFileParser.CodeChecks.ENTRIES))
                .problems().stream().map(Problem::toString).toList();
    }

    private static SwarmOptions options(ClusterSpec cluster, String service) {
        return cluster.service(service).orElseThrow().options(SwarmOptions.class).orElseThrow();
    }

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
                Optional.of("tcp://10.20.0.1:2376"), Optional.empty(), Optional.of("10.20.0.9"),
                Optional.of("svc-runtime:local"), Optional.empty(), Optional.empty(), List.of()));
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
