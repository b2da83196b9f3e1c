package io.servicescluster.cli;

import io.servicescluster.clusterfile.ClusterFileParser;
import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.ServiceSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code svc check FILE}: validates the file, the graph, each class service's classpath and class, and compiles each source service. */
@Command(name = "check", description = "Validates a cluster file, its dependency graph and its services' classpaths and classes, and compiles its source services.")
final class CheckCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "the cluster file")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Optional<ClusterSpec> cluster = ClusterFiles.read(file, ClusterFileParser.CodeChecks.CLASSES, spec.commandLine().getErr());
        if (cluster.isEmpty()) {
            return Svc.INVALID;
        }
        int count = cluster.get().services().size();
        out.println("ok: " + count + (count == 1 ? " service" : " services"));
        for (ServiceSpec service : cluster.get().services()) {
            if (!service.restrictions().isEmpty()) {
                out.println("  " + service.name() + ": " + String.join("; ", service.restrictions()));
            }
        }
        out.flush();
        return 0;
    }
}
