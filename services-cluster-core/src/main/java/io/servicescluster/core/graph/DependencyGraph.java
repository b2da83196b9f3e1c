package io.servicescluster.core.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.SequencedSet;
import java.util.stream.IntStream;

/**
 * Which service depends on which (SPEC R3–R9): a small, pure, immutable value. "A depends on B"
 * means A declared B in {@code dependsOn}, or A was spawned by B (R8, see {@link #with}).
 *
 * <p>Any map makes a graph; {@link #problems()} says what is wrong with it (unknown and repeated
 * dependencies, self-dependencies, cycles). The methods that follow paths ({@code transitive…},
 * {@link #dependsOn}, {@link #topologicalOrder()}, {@link #layers()}) need a valid graph and throw
 * {@link IllegalStateException} otherwise. Methods that take a name throw
 * {@link IllegalArgumentException} for a name that is not in the graph.
 *
 * <p>"Declaration order" is the iteration order of the map given to {@link #of}; every list this
 * class returns breaks ties by it, so results are deterministic. Thread-safe.
 */
public final class DependencyGraph {

    /** What is wrong with one edge of a graph. */
    public enum IssueKind {
        /** A dependency names no service of the graph. */
        UNKNOWN_DEPENDENCY,
        /** A service depends on itself. */
        SELF_DEPENDENCY,
        /** A service lists the same dependency more than once. */
        REPEATED_DEPENDENCY,
        /** The edge from {@code service} to {@code dependency} starts a cycle. */
        CYCLE
    }

    /**
     * One problem of a graph, tied to the edge where it shows, so that a caller can point at the
     * line that declared it.
     *
     * @param kind what is wrong
     * @param service the service whose {@code dependsOn} holds the edge
     * @param dependency the dependency named by the edge; for a cycle, the next service on it
     * @param message the problem in words, as listed by {@link #problems()}
     */
    public record Issue(IssueKind kind, String service, String dependency, String message) {
    }

    private final List<String> names;
    private final SequencedSet<String> nameSet;
    private final Map<String, Integer> index;
    private final List<List<String>> dependencies;
    private final int[][] edges;          // known dependencies, without repeats and self-loops
    private final int[][] dependents;     // the reverse of edges, in declaration order
    private final List<Issue> issues;

    private DependencyGraph(Map<String, List<String>> declared) {
        names = List.copyOf(declared.keySet());
        index = new LinkedHashMap<>();
        names.forEach(name -> index.put(name, index.size()));
        nameSet = Collections.unmodifiableSequencedSet(new LinkedHashSet<>(names));
        dependencies = declared.values().stream().map(List::copyOf).toList();
        var issues = new ArrayList<Issue>();
        edges = new int[names.size()][];
        for (int i = 0; i < names.size(); i++) {
            edges[i] = knownEdges(i, issues);
        }
        dependents = CycleFinder.reverse(edges);
        for (int[] cycle : new CycleFinder(edges).cycles()) {
            issues.add(new Issue(IssueKind.CYCLE, names.get(cycle[0]), names.get(cycle[1]),
                    "dependency cycle: " + path(cycle)));
        }
        this.issues = List.copyOf(issues);
    }

    /**
     * A graph of the services in {@code dependencies}' iteration order (use a {@link LinkedHashMap}).
     *
     * @param dependencies for each service name, the names it depends on, in declaration order
     * @return the graph, valid or not: see {@link #problems()}
     * @throws NullPointerException if a name or a list is null
     */
    public static DependencyGraph of(Map<String, List<String>> dependencies) {
        dependencies.forEach((name, deps) -> {
            Objects.requireNonNull(name, "name");
            deps.forEach(dep -> Objects.requireNonNull(dep, () -> "dependency of " + name));
        });
        return new DependencyGraph(dependencies);
    }

    /**
     * This graph and one more service that depends on {@code dependencies}: a child spawned at run time
     * depends on its parent (R8). A new service has no dependents, so it cannot close a cycle.
     *
     * @param name the new service
     * @param newDependencies the services it depends on, all in this graph
     * @return a new graph; this one is unchanged
     * @throws IllegalArgumentException if {@code name} is already in the graph (R2) or a dependency is not
     */
    public DependencyGraph with(String name, List<String> newDependencies) {
        Objects.requireNonNull(name, "name");
        if (index.containsKey(name)) {
            throw new IllegalArgumentException("service '" + name + "' already exists (R2: names are unique)");
        }
        for (String dependency : newDependencies) {
            indexOf(dependency);
        }
        var declared = new LinkedHashMap<String, List<String>>();
        for (int i = 0; i < names.size(); i++) {
            declared.put(names.get(i), dependencies.get(i));
        }
        declared.put(name, newDependencies);
        return of(declared);
    }

    /**
     * What is wrong with this graph, in words: unknown dependencies
     * ({@code service 'a' depends on unknown service 'x'}), self-dependencies, repeated dependencies,
     * and each cycle as a path ({@code dependency cycle: a -> b -> c -> a}, R3).
     *
     * @return the problems, per service in declaration order and then the cycles; empty for a valid graph
     */
    public List<String> problems() {
        return issues.stream().map(Issue::message).toList();
    }

    /** The same as {@link #problems()}, with the edge each problem is about. */
    public List<Issue> issues() {
        return issues;
    }

    /** Whether {@link #problems()} is empty. */
    public boolean isValid() {
        return issues.isEmpty();
    }

    /**
     * One cycle per group of services that depend on each other, as a path that starts and ends at the
     * group's earliest declared service: {@code [a, b, a]}; a self-dependency is {@code [a, a]}.
     *
     * @return the cycles; empty if there are none
     */
    public List<List<String>> cycles() {
        var out = new ArrayList<List<String>>();
        for (int i = 0; i < names.size(); i++) {
            if (dependencies.get(i).contains(names.get(i))) {
                out.add(List.of(names.get(i), names.get(i)));
            }
        }
        for (int[] cycle : new CycleFinder(edges).cycles()) {
            out.add(Arrays.stream(cycle).mapToObj(names::get).toList());
        }
        out.sort(Comparator.comparingInt(cycle -> index.get(cycle.getFirst())));
        return out;
    }

    /** The services, in declaration order. */
    public SequencedSet<String> names() {
        return nameSet;
    }

    /** Whether {@code name} is a service of this graph. */
    public boolean contains(String name) {
        return index.containsKey(name);
    }

    /**
     * The direct dependencies of {@code name} as declared (unknown ones included).
     *
     * @throws IllegalArgumentException if {@code name} is not in the graph
     */
    public List<String> dependenciesOf(String name) {
        return dependencies.get(indexOf(name));
    }

    /**
     * The services that declared {@code name} as a dependency, in declaration order.
     *
     * @throws IllegalArgumentException if {@code name} is not in the graph
     */
    public List<String> dependentsOf(String name) {
        return names(dependents[indexOf(name)]);
    }

    /**
     * Everything that depends on {@code name}, directly or not, deepest first: a service comes before
     * every service it depends on, so closing in this order keeps R7 and R9. Precisely: ordered by the
     * longest path to {@code name}, longest first, then by declaration order. If C depends on A and A
     * on B, {@code transitiveDependents("b")} is {@code [c, a]}.
     *
     * @throws IllegalArgumentException if {@code name} is not in the graph
     * @throws IllegalStateException if the graph is not valid
     */
    public List<String> transitiveDependents(String name) {
        int start = indexOf(name);
        requireValid();
        int[] depth = new int[names.size()];
        Arrays.fill(depth, -1);
        depth[start] = 0;
        for (int node : topologicalIndexes()) {
            for (int dependency : edges[node]) {
                if (depth[dependency] >= 0) {
                    depth[node] = Math.max(depth[node], depth[dependency] + 1);
                }
            }
        }
        return names(IntStream.range(0, names.size()).filter(i -> depth[i] > 0).boxed()
                .sorted(Comparator.<Integer>comparingInt(i -> -depth[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray());
    }

    /**
     * Everything {@code name} depends on, directly or not, in {@link #topologicalOrder()}: the order
     * they must start in before it.
     *
     * @throws IllegalArgumentException if {@code name} is not in the graph
     * @throws IllegalStateException if the graph is not valid
     */
    public List<String> transitiveDependencies(String name) {
        int start = indexOf(name);
        requireValid();
        boolean[] reached = reachable(start);
        return names(Arrays.stream(topologicalIndexes()).filter(i -> reached[i] && i != start).toArray());
    }

    /**
     * Whether {@code service} depends on {@code dependency}, directly or not. A service does not depend
     * on itself.
     *
     * @throws IllegalArgumentException if a name is not in the graph
     * @throws IllegalStateException if the graph is not valid
     */
    public boolean dependsOn(String service, String dependency) {
        int from = indexOf(service);
        int to = indexOf(dependency);
        requireValid();
        return from != to && reachable(from)[to];
    }

    /**
     * Every service, dependencies before their dependents (the create and start order, R4, R6); among
     * services free to go, the earliest declared comes first, so a graph without edges keeps its
     * declaration order.
     *
     * @throws IllegalStateException if the graph is not valid
     */
    public List<String> topologicalOrder() {
        requireValid();
        return names(topologicalIndexes());
    }

    /**
     * The services in layers: layer 0 depends on nothing, and each other service is in the layer after
     * the deepest of its dependencies. Services in the same layer have no path between them, so they
     * can start in parallel (R6). Each layer is in declaration order.
     *
     * @throws IllegalStateException if the graph is not valid
     */
    public List<List<String>> layers() {
        requireValid();
        int[] layer = new int[names.size()];
        var layers = new ArrayList<List<Integer>>();
        for (int node : topologicalIndexes()) {
            for (int dependency : edges[node]) {
                layer[node] = Math.max(layer[node], layer[dependency] + 1);
            }
            while (layers.size() <= layer[node]) {
                layers.add(new ArrayList<>());
            }
            layers.get(layer[node]).add(node);
        }
        return layers.stream().map(l -> names(l.stream().sorted().mapToInt(Integer::intValue).toArray())).toList();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DependencyGraph graph && names.equals(graph.names)
                && dependencies.equals(graph.dependencies);
    }

    @Override
    public int hashCode() {
        return 31 * names.hashCode() + dependencies.hashCode();
    }

    /** The services and their dependencies, e.g. {@code {a=[], b=[a]}}. */
    @Override
    public String toString() {
        var map = new LinkedHashMap<String, List<String>>();
        IntStream.range(0, names.size()).forEach(i -> map.put(names.get(i), dependencies.get(i)));
        return map.toString();
    }

    private int[] knownEdges(int node, List<Issue> issues) {
        String name = names.get(node);
        SequencedSet<Integer> known = new LinkedHashSet<>();
        var seen = new LinkedHashSet<String>();
        for (String dependency : dependencies.get(node)) {
            Integer target = index.get(dependency);
            if (!seen.add(dependency)) {
                issues.add(new Issue(IssueKind.REPEATED_DEPENDENCY, name, dependency,
                        "service '" + name + "' lists dependency '" + dependency + "' more than once"));
            } else if (target == null) {
                issues.add(new Issue(IssueKind.UNKNOWN_DEPENDENCY, name, dependency,
                        "service '" + name + "' depends on unknown service '" + dependency + "'"));
            } else if (target == node) {
                issues.add(new Issue(IssueKind.SELF_DEPENDENCY, name, dependency,
                        "service '" + name + "' depends on itself: " + name + " -> " + name));
            } else {
                known.add(target);
            }
        }
        return known.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Kahn's algorithm, taking the earliest declared of the services whose dependencies are all placed. */
    private int[] topologicalIndexes() {
        int[] waitingFor = new int[names.size()];
        var ready = new PriorityQueue<Integer>();
        for (int i = 0; i < names.size(); i++) {
            waitingFor[i] = edges[i].length;
            if (waitingFor[i] == 0) {
                ready.add(i);
            }
        }
        int[] order = new int[names.size()];
        int placed = 0;
        while (!ready.isEmpty()) {
            int node = ready.poll();
            order[placed++] = node;
            for (int dependent : dependents[node]) {
                if (--waitingFor[dependent] == 0) {
                    ready.add(dependent);
                }
            }
        }
        return order;
    }

    private boolean[] reachable(int start) {
        boolean[] reached = new boolean[names.size()];
        var stack = new ArrayDeque<Integer>();
        stack.push(start);
        while (!stack.isEmpty()) {
            for (int next : edges[stack.pop()]) {
                if (!reached[next]) {
                    reached[next] = true;
                    stack.push(next);
                }
            }
        }
        return reached;
    }

    private int indexOf(String name) {
        Integer i = index.get(name);
        if (i == null) {
            throw new IllegalArgumentException("unknown service '" + name + "'");
        }
        return i;
    }

    private void requireValid() {
        if (!issues.isEmpty()) {
            throw new IllegalStateException("the dependency graph is not valid: " + String.join("; ", problems()));
        }
    }

    private List<String> names(int[] indexes) {
        return Arrays.stream(indexes).mapToObj(names::get).toList();
    }

    private String path(int[] cycle) {
        return String.join(" -> ", names(cycle));
    }
}
