package io.servicescluster.core.config;

import io.servicescluster.core.graph.DependencyGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Checks a {@link ClusterSpec} built in code against the rules that the cluster file parser checks
 * as it reads: names (R1), unique names (R2), the dependency graph (R3), sane restart policies and JVM options
 * the runtime can take.
 * A spec made by {@code io.servicescluster.clusterfile.ClusterFileParser} always passes.
 */
public final class ClusterValidator {

    private ClusterValidator() {
    }

    /**
     * Everything wrong with {@code cluster}, in words that name the service concerned.
     *
     * @param cluster the cluster to check
     * @return the problems: names and restart policies in declaration order, then duplicates, then the graph; empty if the cluster is valid
     */
    public static List<String> problems(ClusterSpec cluster) {
        var problems = new ArrayList<String>();
        ServiceNames.problem(cluster.name()).ifPresent(p -> problems.add("cluster name: " + p));
        var graph = new LinkedHashMap<String, List<String>>();
        var counts = new LinkedHashMap<String, Integer>();
        for (ServiceSpec service : cluster.services()) {
            ServiceNames.problem(service.name()).ifPresent(p -> problems.add("service name: " + p));
            graph.putIfAbsent(service.name(), service.dependsOn());
            counts.merge(service.name(), 1, Integer::sum);
            restartProblems(service).forEach(problems::add);
            service.jvm().options().forEach(option -> JvmOptions.refusal(option).ifPresent(p ->
                    problems.add("service '" + service.name() + "': jvm.options: " + p)));
        }
        counts.forEach((name, count) -> {
            if (count > 1) {
                problems.add("service '" + name + "' is declared " + count + " times (R2: names are unique)");
            }
        });
        problems.addAll(DependencyGraph.of(graph).problems());
        return problems;
    }

    /**
     * Refuses an invalid cluster.
     *
     * @param cluster the cluster to check
     * @return {@code cluster}
     * @throws IllegalArgumentException listing every problem, one a line, if there are any
     */
    public static ClusterSpec requireValid(ClusterSpec cluster) {
        List<String> problems = problems(cluster);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("cluster '" + cluster.name() + "' is not valid:\n  "
                    + String.join("\n  ", problems));
        }
        return cluster;
    }

    private static List<String> restartProblems(ServiceSpec service) {
        RestartPolicy restart = service.restart();
        String prefix = "service '" + service.name() + "': restart.";
        var problems = new ArrayList<String>();
        if (restart.policy() == null) {
            problems.add(prefix + "policy is missing");
        }
        if (restart.maxRestarts() < 0) {
            problems.add(prefix + "maxRestarts must be 0 or more, not " + restart.maxRestarts());
        }
        if (restart.within() == null || restart.within().isNegative() || restart.within().isZero()) {
            problems.add(prefix + "within must be a positive duration, not " + restart.within());
        }
        if (restart.backoff() == null || restart.backoff().isNegative()) {
            problems.add(prefix + "backoff must be zero or positive, not " + restart.backoff());
        }
        return problems;
    }
}
