package io.servicescluster.cli;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.ServiceSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code svc graph FILE [--svg]}: the dependency graph as Graphviz DOT, or SVG through {@code dot}. */
@Command(name = "graph", description = "Prints the dependency graph as Graphviz DOT (or SVG with --svg).")
final class GraphCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "the cluster file")
    Path file;

    @Option(names = "--svg", description = "render SVG through Graphviz's dot")
    boolean svg;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Optional<ClusterSpec> cluster = ClusterFiles.read(file, spec.commandLine().getErr());
        if (cluster.isEmpty()) {
            return Svc.INVALID;
        }
        String dot = toDot(cluster.get());
        if (!svg) {
            out.print(dot);
            out.flush();
            return 0;
        }
        Process process;
        try {
            process = new ProcessBuilder("dot", "-Tsvg").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            spec.commandLine().getErr().println("svc graph --svg needs Graphviz's dot on PATH "
                    + "(for example: apt-get install graphviz); without --svg it prints DOT");
            return 1;
        }
        try (var stdin = process.getOutputStream()) {
            stdin.write(dot.getBytes(StandardCharsets.UTF_8));
        }
        out.print(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        out.flush();
        return process.waitFor() == 0 ? 0 : 1;
    }

    /** Edges point from a service to what it depends on, as in {@code dependsOn}. */
    static String toDot(ClusterSpec cluster) {
        StringBuilder dot = new StringBuilder("digraph \"").append(cluster.name()).append("\" {\n");
        dot.append("  rankdir=LR;\n  node [shape=box, style=rounded];\n");
        for (ServiceSpec service : cluster.services()) {
            dot.append("  \"").append(service.name()).append("\";\n");
        }
        for (ServiceSpec service : cluster.services()) {
            for (String dependency : service.dependsOn()) {
                dot.append("  \"").append(service.name()).append("\" -> \"").append(dependency).append("\";\n");
            }
        }
        return dot.append("}\n").toString();
    }
}
