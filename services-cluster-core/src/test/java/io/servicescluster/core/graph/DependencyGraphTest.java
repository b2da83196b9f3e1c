package io.servicescluster.core.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DependencyGraphTest {

    /** A graph from pairs: name, comma-separated dependencies ("" for none), in declaration order. */
    private static DependencyGraph graph(String... pairs) {
        var map = new LinkedHashMap<String, List<String>>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1].isEmpty() ? List.of() : List.of(pairs[i + 1].split(",")));
        }
        return DependencyGraph.of(map);
    }

    /** d depends on b and c, which both depend on a. */
    private static DependencyGraph diamond() {
        return graph("d", "b,c", "b", "a", "c", "a", "a", "");
    }

    @Test
    void aValidGraphHasNoProblems() {
        assertThat(diamond().problems()).isEmpty();
        assertThat(diamond().isValid()).isTrue();
        assertThat(diamond().cycles()).isEmpty();
        assertThat(DependencyGraph.of(Map.of()).topologicalOrder()).isEmpty();
    }

    @Test
    void reportsUnknownDependencies() {
        DependencyGraph graph = graph("a", "x,b", "b", "");

        assertThat(graph.problems()).containsExactly("service 'a' depends on unknown service 'x'");
        assertThat(graph.issues()).containsExactly(new DependencyGraph.Issue(
                DependencyGraph.IssueKind.UNKNOWN_DEPENDENCY, "a", "x", "service 'a' depends on unknown service 'x'"));
    }

    @Test
    void reportsASelfDependencyAsAOneCycle() {
        DependencyGraph graph = graph("a", "a");

        assertThat(graph.problems()).containsExactly("service 'a' depends on itself: a -> a");
        assertThat(graph.cycles()).containsExactly(List.of("a", "a"));
    }

    @Test
    void reportsATwoCycle() {
        DependencyGraph graph = graph("a", "b", "b", "a");

        assertThat(graph.problems()).containsExactly("dependency cycle: a -> b -> a");
        assertThat(graph.issues().getFirst().service()).isEqualTo("a");
        assertThat(graph.issues().getFirst().dependency()).isEqualTo("b");
    }

    @Test
    void reportsAThreeCycleFromItsEarliestDeclaredService() {
        DependencyGraph graph = graph("x", "", "c", "a", "a", "b", "b", "c,x");

        assertThat(graph.problems()).containsExactly("dependency cycle: c -> a -> b -> c");
        assertThat(graph.cycles()).containsExactly(List.of("c", "a", "b", "c"));
    }

    @Test
    void reportsOneCyclePerGroupAndTheShortestThroughItsFirstService() {
        // a -> b -> c -> a and a -> c -> a are one group: the shortest path through a is printed.
        DependencyGraph graph = graph("a", "b,c", "b", "c", "c", "a", "d", "e,a", "e", "d");

        assertThat(graph.problems()).containsExactly(
                "dependency cycle: a -> c -> a",
                "dependency cycle: d -> e -> d");
    }

    @Test
    void reportsRepeatedDependencies() {
        assertThat(graph("a", "", "b", "a,a").problems())
                .containsExactly("service 'b' lists dependency 'a' more than once");
    }

    @Test
    void reportsEveryKindOfProblemTogether() {
        DependencyGraph graph = graph("a", "a,ghost", "b", "c", "c", "b");

        assertThat(graph.problems()).containsExactly(
                "service 'a' depends on itself: a -> a",
                "service 'a' depends on unknown service 'ghost'",
                "dependency cycle: b -> c -> b");
    }

    @Test
    void methodsThatFollowPathsNeedAValidGraph() {
        DependencyGraph graph = graph("a", "b", "b", "a");

        assertThatThrownBy(graph::topologicalOrder)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("a -> b -> a");
        assertThatThrownBy(graph::layers).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> graph.transitiveDependents("a")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> graph.transitiveDependencies("a")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> graph.dependsOn("a", "b")).isInstanceOf(IllegalStateException.class);
        assertThat(graph.dependenciesOf("a")).containsExactly("b");
        assertThat(graph.dependentsOf("a")).containsExactly("b");
    }

    @Test
    void unknownNamesAreRefused() {
        assertThatThrownBy(() -> diamond().dependentsOf("z"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown service 'z'");
        assertThatThrownBy(() -> diamond().dependsOn("a", "z")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesAndDirectEdges() {
        DependencyGraph graph = diamond();

        assertThat(graph.names()).containsExactly("d", "b", "c", "a");
        assertThat(graph.contains("b")).isTrue();
        assertThat(graph.contains("z")).isFalse();
        assertThat(graph.dependenciesOf("d")).containsExactly("b", "c");
        assertThat(graph.dependenciesOf("a")).isEmpty();
        assertThat(graph.dependentsOf("a")).containsExactly("b", "c");
        assertThat(graph.dependentsOf("d")).isEmpty();
    }

    @Test
    void topologicalOrderPutsDependenciesFirstAndKeepsDeclarationOrderOtherwise() {
        assertThat(diamond().topologicalOrder()).containsExactly("a", "b", "c", "d");
        assertThat(graph("z", "", "y", "", "x", "").topologicalOrder()).containsExactly("z", "y", "x");
        assertThat(graph("web", "api", "db", "", "api", "db", "cache", "").topologicalOrder())
                .containsExactly("db", "api", "web", "cache");
    }

    @Test
    void layersHoldServicesWithoutPathsBetweenThem() {
        assertThat(diamond().layers()).containsExactly(List.of("a"), List.of("b", "c"), List.of("d"));
        assertThat(graph("a", "", "b", "a", "c", "", "d", "b,c").layers())
                .containsExactly(List.of("a", "c"), List.of("b"), List.of("d"));
    }

    @Test
    void transitiveDependentsComeDeepestFirst() {
        // C depends on A and A on B: if B crashes, C closes before A (R9).
        DependencyGraph graph = graph("b", "", "a", "b", "c", "a");
        assertThat(graph.transitiveDependents("b")).containsExactly("c", "a");

        assertThat(diamond().transitiveDependents("a")).containsExactly("d", "b", "c");
        assertThat(diamond().transitiveDependents("b")).containsExactly("d");
        assertThat(diamond().transitiveDependents("d")).isEmpty();
    }

    @Test
    void transitiveDependentsPutADependentBeforeEverythingItDependsOn() {
        // e depends on a directly and through b -> c: it must still come before c and b.
        DependencyGraph graph = graph("a", "", "e", "a,c", "b", "a", "c", "b");

        assertThat(graph.transitiveDependents("a")).containsExactly("e", "c", "b");
    }

    @Test
    void transitiveDependenciesComeInStartOrder() {
        assertThat(diamond().transitiveDependencies("d")).containsExactly("a", "b", "c");
        assertThat(diamond().transitiveDependencies("b")).containsExactly("a");
        assertThat(diamond().transitiveDependencies("a")).isEmpty();
    }

    @Test
    void dependsOnIsTransitive() {
        DependencyGraph graph = diamond();

        assertThat(graph.dependsOn("d", "a")).isTrue();
        assertThat(graph.dependsOn("b", "a")).isTrue();
        assertThat(graph.dependsOn("a", "d")).isFalse();
        assertThat(graph.dependsOn("b", "c")).isFalse();
        assertThat(graph.dependsOn("a", "a")).isFalse();
    }

    @Test
    void withAddsAChildAndLeavesTheGraphAsItWas() {
        DependencyGraph graph = diamond();

        DependencyGraph grown = graph.with("worker", List.of("b"));

        assertThat(grown.names()).containsExactly("d", "b", "c", "a", "worker");
        assertThat(grown.dependentsOf("b")).containsExactly("d", "worker");
        assertThat(grown.transitiveDependents("a")).containsExactly("d", "worker", "b", "c");
        assertThat(grown.dependsOn("worker", "a")).isTrue();
        assertThat(graph.names()).containsExactly("d", "b", "c", "a");
        assertThat(graph.dependentsOf("b")).containsExactly("d");
    }

    @Test
    void withRefusesAnExistingNameOrAnUnknownDependency() {
        assertThatThrownBy(() -> diamond().with("b", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'b' already exists");
        assertThatThrownBy(() -> diamond().with("w", List.of("z")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown service 'z'");
        assertThatThrownBy(() -> diamond().with("w", List.of("w")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isAValueThatCannotBeChangedFromOutside() {
        var deps = new java.util.ArrayList<>(List.of("a"));
        var map = new LinkedHashMap<String, List<String>>();
        map.put("a", List.of());
        map.put("b", deps);
        DependencyGraph graph = DependencyGraph.of(map);

        deps.add("c");
        map.put("c", List.of());

        assertThat(graph.names()).containsExactly("a", "b");
        assertThat(graph.dependenciesOf("b")).containsExactly("a");
        assertThat(graph).isEqualTo(graph("a", "", "b", "a")).hasSameHashCodeAs(graph("a", "", "b", "a"));
        assertThat(graph).hasToString("{a=[], b=[a]}");
        assertThatThrownBy(() -> graph.names().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void handlesLongChainsWithoutDeepRecursion() {
        var map = new LinkedHashMap<String, List<String>>();
        map.put("s0", List.of());
        for (int i = 1; i < 20_000; i++) {
            map.put("s" + i, List.of("s" + (i - 1)));
        }
        map.put("s0", List.of("s19999"));  // closes one long cycle

        assertThat(DependencyGraph.of(map).problems()).singleElement().asString()
                .startsWith("dependency cycle: s0 -> s19999 -> s19998");
    }
}
