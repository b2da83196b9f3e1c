package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.idle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.testing.ServiceProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** R1–R3 and container kinds through the Java API: {@code build()} refuses, and starts nothing. */
class ValidationTest {

    @TempDir
    Path state;

    private InvalidClusterException refused(ClusterSpec cluster) {
        Throwable thrown = catchThrowable(
                () -> ServicesManager.builder(cluster).stateDir(state).build().close());
        assertThat(thrown).isInstanceOf(InvalidClusterException.class);
        // nothing was made: no work directory, no process
        assertThat(Files.exists(state.resolve("work"))).isFalse();
        return (InvalidClusterException) thrown;
    }

    @Test
    void badNamesAreQuotedWithTheRule() {
        InvalidClusterException e = refused(ClusterSpec.builder("names")
                .service(idle("Orders"))
                .service(idle("9lives"))
                .service(idle("trailing-"))
                .service(idle("a".repeat(64)))
                .service(idle("fine"))
                .build());
        assertThat(e.problems()).hasSize(4);
        for (String bad : new String[] {"Orders", "9lives", "trailing-", "a".repeat(64)}) {
            assertThat(e.getMessage()).contains("'" + bad + "'");
        }
        assertThat(e.problems()).allSatisfy(p -> assertThat(p)
                .contains("a-z, 0-9 and '-'").contains("starts with a letter").contains("does not end with '-'"));
        assertThat(e.getMessage()).doesNotContain("'fine'");
    }

    @Test
    void badClusterNameIsRefused() {
        InvalidClusterException e = refused(ClusterSpec.builder("My_Cluster").service(idle("a")).build());
        assertThat(e.getMessage()).contains("'My_Cluster'");
    }

    @Test
    void duplicateNameIsRefused() {
        InvalidClusterException e = refused(ClusterSpec.builder("dup")
                .service(idle("db"))
                .service(idle("db"))
                .build());
        assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p).contains("'db'").contains("2 times"));
    }

    @Test
    void unknownDependencyIsRefusedNamingIt() {
        InvalidClusterException e = refused(ClusterSpec.builder("unknown")
                .service(idle("api").dependsOn("nosuch"))
                .build());
        assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p).contains("api").contains("nosuch"));
    }

    @Test
    void cycleIsRefusedWithItsPath() {
        InvalidClusterException two = refused(ClusterSpec.builder("cycle")
                .service(idle("a").dependsOn("b"))
                .service(idle("b").dependsOn("a"))
                .build());
        assertThat(two.getMessage()).contains("a -> b -> a");

        InvalidClusterException three = refused(ClusterSpec.builder("cycle")
                .service(idle("a").dependsOn("b"))
                .service(idle("b").dependsOn("c"))
                .service(idle("c").dependsOn("a"))
                .service(idle("d").dependsOn("a"))
                .build());
        assertThat(three.getMessage()).contains("a -> b -> c -> a");
    }

    @Test
    void everyProblemIsListedAtOnce() {
        InvalidClusterException e = refused(ClusterSpec.builder("many")
                .service(idle("Bad"))
                .service(idle("x").dependsOn("missing"))
                .service(idle("y").dependsOn("y"))
                .build());
        assertThat(e.getMessage()).contains("'Bad'").contains("missing").contains("'y'");
        assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void unknownContainerKindIsRefused() {
        InvalidClusterException e = refused(ClusterSpec.builder("kinds")
                .service(idle("boxed").container("docker"))
                .build());
        assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p)
                .contains("boxed").contains("'docker'").contains("not available").contains("process"));
    }

    @Test
    void validClusterBuildsWithoutStartingAnything() {
        try (ServicesManager manager = ServicesManager.builder(ClusterSpec.builder("ok")
                .service(idle("a")).service(idle("b").dependsOn("a")).build()).stateDir(state).build()) {
            assertThat(manager.status()).extracting(ServiceStatus::state)
                    .containsExactly(ServiceState.NEW, ServiceState.NEW);
        }
        assertThat(ServiceProcesses.remotesOf("a", "b")).isEmpty();
    }
}
