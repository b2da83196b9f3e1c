package io.servicescluster.core.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds one dependency cycle in each strongly connected component of more than one node, the
 * shortest through the component's earliest declared node. Iterative, so deep graphs do not
 * overflow the stack. Self-loops are not cycles here: {@link DependencyGraph} reports them itself.
 */
final class CycleFinder {

    private final int[][] edges;

    /** @param edges for each node index, the indexes of its known dependencies, without self-loops */
    CycleFinder(int[][] edges) {
        this.edges = edges;
    }

    /** The cycles as node indexes, each starting and ending at the same node, ordered by that node. */
    List<int[]> cycles() {
        int[] component = components();
        var cycles = new ArrayList<int[]>();
        var seen = new boolean[edges.length];
        for (int start = 0; start < edges.length; start++) {
            int c = component[start];
            if (seen[c]) {
                continue;
            }
            seen[c] = true;
            int[] cycle = shortestCycle(start, component);
            if (cycle != null) {
                cycles.add(cycle);
            }
        }
        return cycles;
    }

    /** Kosaraju: finish order on the graph, then components on the reversed graph. */
    private int[] components() {
        int n = edges.length;
        var order = new ArrayList<Integer>(n);
        var visited = new boolean[n];
        for (int root = 0; root < n; root++) {
            if (visited[root]) {
                continue;
            }
            var stack = new ArrayDeque<int[]>();   // {node, next edge}
            stack.push(new int[] {root, 0});
            visited[root] = true;
            while (!stack.isEmpty()) {
                int[] top = stack.peek();
                if (top[1] < edges[top[0]].length) {
                    int next = edges[top[0]][top[1]++];
                    if (!visited[next]) {
                        visited[next] = true;
                        stack.push(new int[] {next, 0});
                    }
                } else {
                    order.add(stack.pop()[0]);
                }
            }
        }
        int[][] reversed = reverse(edges);
        int[] component = new int[n];
        Arrays.fill(component, -1);
        int count = 0;
        for (int i = n - 1; i >= 0; i--) {
            int root = order.get(i);
            if (component[root] >= 0) {
                continue;
            }
            var stack = new ArrayDeque<Integer>();
            stack.push(root);
            component[root] = count;
            while (!stack.isEmpty()) {
                for (int next : reversed[stack.pop()]) {
                    if (component[next] < 0) {
                        component[next] = count;
                        stack.push(next);
                    }
                }
            }
            count++;
        }
        return component;
    }

    /** For each node, the nodes with an edge to it, in index order. */
    static int[][] reverse(int[][] edges) {
        var lists = new ArrayList<List<Integer>>();
        for (int i = 0; i < edges.length; i++) {
            lists.add(new ArrayList<>());
        }
        for (int from = 0; from < edges.length; from++) {
            for (int to : edges[from]) {
                lists.get(to).add(from);
            }
        }
        return lists.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
    }

    /** Breadth-first from {@code start} inside its component back to {@code start}; null if there is no cycle. */
    private int[] shortestCycle(int start, int[] component) {
        int[] parent = new int[edges.length];
        Arrays.fill(parent, -1);
        var queue = new ArrayDeque<Integer>();
        queue.add(start);
        while (!queue.isEmpty()) {
            int node = queue.poll();
            for (int next : edges[node]) {
                if (next == start) {
                    return path(start, node, parent);
                }
                if (component[next] == component[start] && parent[next] < 0) {
                    parent[next] = node;
                    queue.add(next);
                }
            }
        }
        return null;
    }

    private static int[] path(int start, int last, int[] parent) {
        var reversed = new ArrayList<Integer>();
        reversed.add(start);
        for (int node = last; node != start; node = parent[node]) {
            reversed.add(node);
        }
        reversed.add(start);
        int[] path = new int[reversed.size()];
        for (int i = 0; i < path.length; i++) {
            path[i] = reversed.get(path.length - 1 - i);
        }
        return path;
    }
}
