package io.servicescluster.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClusterValidatorTest {

    private static ServiceSpec.Builder service(String name) {
        return ServiceSpec.builder(name).code(CodeSpec.ofClass("x.Service"));
    }

    @Test
    void aValidClusterHasNoProblems() {
        ClusterSpec cluster = ClusterSpec.builder("shop")
                .service(service("store"))
                .service(service("orders").dependsOn("store"))
                .build();

        assertThat(ClusterValidator.problems(cluster)).isEmpty();
        assertThat(ClusterValidator.requireValid(cluster)).isSameAs(cluster);
    }

    @Test
    void checksTheClusterNameAndEveryServiceName() {
        ClusterSpec cluster = ClusterSpec.builder("Shop").service(service("ok")).service(service("not_ok")).build();

        assertThat(ClusterValidator.problems(cluster)).containsExactly(
                "cluster name: invalid name 'Shop': " + ServiceNames.RULE,
                "service name: invalid name 'not_ok': " + ServiceNames.RULE);
    }

    @Test
    void refusesDuplicateNames() {
        ClusterSpec cluster = ClusterSpec.builder("shop")
                .service(service("a")).service(service("a")).service(service("a")).build();

        assertThat(ClusterValidator.problems(cluster))
                .containsExactly("service 'a' is declared 3 times (R2: names are unique)");
    }

    @Test
    void checksTheGraph() {
        ClusterSpec cluster = ClusterSpec.builder("shop")
                .service(service("a").dependsOn("b"))
                .service(service("b").dependsOn("c"))
                .service(service("c").dependsOn("a", "ghost"))
                .build();

        assertThat(ClusterValidator.problems(cluster)).containsExactly(
                "service 'c' depends on unknown service 'ghost'",
                "dependency cycle: a -> b -> c -> a");
    }

    @Test
    void checksRestartPolicies() {
        ClusterSpec cluster = ClusterSpec.builder("shop")
                .service(service("a").restart(new RestartPolicy(RestartPolicy.Policy.ALWAYS, -1,
                        Duration.ZERO, Duration.ofMillis(-1))))
                .build();

        assertThat(ClusterValidator.problems(cluster)).containsExactly(
                "service 'a': restart.maxRestarts must be 0 or more, not -1",
                "service 'a': restart.within must be a positive duration, not PT0S",
                "service 'a': restart.backoff must be zero or positive, not PT-0.001S");
    }

    @Test
    void requireValidListsEveryProblem() {
        ClusterSpec cluster = ClusterSpec.builder("Shop").service(service("a").dependsOn("a")).build();

        assertThatThrownBy(() -> ClusterValidator.requireValid(cluster))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cluster 'Shop' is not valid:\n  cluster name: invalid name 'Shop': " + ServiceNames.RULE
                        + "\n  service 'a' depends on itself: a -> a");
    }
}
