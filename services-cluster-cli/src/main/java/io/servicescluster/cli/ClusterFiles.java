package io.servicescluster.cli;

import io.servicescluster.clusterfile.ClusterFileException;
import io.servicescluster.clusterfile.ClusterFileParser;
import io.servicescluster.clusterfile.ClusterFileParser.CodeChecks;
import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.Problem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/** Reads a cluster file for a command, printing every problem on failure. */
final class ClusterFiles {

    private ClusterFiles() {
    }

    /** The parsed and validated cluster, or empty after printing each problem to {@code err}. */
    static Optional<ClusterSpec> read(Path file, PrintWriter err) {
        return read(file, CodeChecks.NONE, err);
    }

    /** As {@link #read(Path, PrintWriter)}, checking the services' code as {@code checks} says too. */
    static Optional<ClusterSpec> read(Path file, CodeChecks checks, PrintWriter err) {
        try {
            return Optional.of(ClusterFileParser.parse(file, checks));
        } catch (ClusterFileException e) {
            for (Problem problem : e.problems()) {
                err.println(problem);
            }
            err.println(e.problems().size() == 1 ? "1 error" : e.problems().size() + " errors");
            err.flush();
            return Optional.empty();
        }
    }
}
