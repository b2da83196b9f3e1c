package io.servicescluster.clusterfile;

import io.servicescluster.core.config.Problem;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A cluster file that cannot be used, with every problem found in it (not only the first), in the
 * order of their lines. The message is the problems, one a line, as {@code svc check} prints them.
 */
public final class ClusterFileException extends Exception {

    private static final long serialVersionUID = 1L;

    private final Path file;
    private final List<Problem> problems;

    /**
     * An exception listing {@code problems}.
     *
     * @param file the cluster file
     * @param problems what is wrong with it; not empty
     * @throws IllegalArgumentException if {@code problems} is empty
     */
    public ClusterFileException(Path file, List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ClusterFileException needs at least one problem");
        }
        this.file = Objects.requireNonNull(file, "file");
        this.problems = List.copyOf(problems);
    }

    /** The cluster file, as it was named to the parser. */
    public Path file() {
        return file;
    }

    /** Every problem found, ordered by line; never empty. */
    public List<Problem> problems() {
        return problems;
    }
}
