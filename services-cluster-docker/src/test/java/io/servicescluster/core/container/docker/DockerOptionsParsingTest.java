package io.servicescluster.core.container.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.servicescluster.clusterfile.ClusterFileException;
import io.servicescluster.clusterfile.ClusterFileParser;
import io.servicescluster.core.config.ClusterSpec;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code docker} key of a service (docs/docker.md), read through the container-kind SPI. */
class DockerOptionsParsingTest {

    @Test
    void readsImageAndJavaAndInheritsThemFromDefaults() throws Exception {
        ClusterSpec cluster = ClusterFileParser.parse("""
                name: boxed
                defaults:
                  container: docker
                  docker: { image: "eclipse-temurin:21-jre" }
                services:
                  one:
                    code: { class: a.One }
                  two:
                    code: { class: a.Two }
                    docker:
                      image: registry.example/jdk:21
                      java: /opt/java/openjdk/bin/java
                """, Path.of("boxed.yaml"));

        assertThat(cluster.service("one").orElseThrow().container()).isEqualTo("docker");
        assertThat(cluster.service("one").orElseThrow().options(DockerOptions.class))
                .contains(new DockerOptions(Optional.of("eclipse-temurin:21-jre"), Optional.empty()));
        assertThat(cluster.service("two").orElseThrow().options(DockerOptions.class))
                .contains(new DockerOptions(Optional.of("registry.example/jdk:21"),
                        Optional.of("/opt/java/openjdk/bin/java")));
    }

    @Test
    void withoutTheKeyTheManagersDefaultsApply() throws Exception {
        ClusterSpec cluster = ClusterFileParser.parse("""
                name: plain
                services:
                  one:
                    code: { class: a.One }
                    container: docker
                """, Path.of("plain.yaml"));

        assertThat(cluster.service("one").orElseThrow().options(DockerOptions.class)).isEmpty();
    }

    @Test
    void unknownKeysAndBadValuesAreErrorsWithTheirLine() {
        assertThatThrownBy(() -> ClusterFileParser.parse("""
                name: bad
                services:
                  one:
                    code: { class: a.One }
                    docker:
                      image: ""
                      java: bin/java
                      network: host
                """, Path.of("bad.yaml")))
                .isInstanceOf(ClusterFileException.class)
                .hasMessageContaining("bad.yaml:6")
                .hasMessageContaining("image")
                .hasMessageContaining("bad.yaml:7")
                .hasMessageContaining("java launcher")
                .hasMessageContaining("bad.yaml:8")
                .hasMessageContaining("unknown key 'network'");
    }
}
