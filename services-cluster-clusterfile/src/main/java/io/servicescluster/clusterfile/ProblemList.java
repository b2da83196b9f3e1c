package io.servicescluster.clusterfile;

import io.servicescluster.core.config.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The problems found in one cluster file so far. Not thread-safe. */
final class ProblemList {

    private final Path file;
    private final List<Problem> problems = new ArrayList<>();

    ProblemList(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    void add(int line, String key, String message) {
        problems.add(new Problem(file, line, key, message));
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    /** Throws the problems found, ordered by line (stable), if there are any. */
    void throwIfAny() throws ClusterFileException {
        if (!problems.isEmpty()) {
            var sorted = new ArrayList<>(problems);
            sorted.sort(Comparator.comparingInt(Problem::line));
            throw new ClusterFileException(file, sorted);
        }
    }
}
