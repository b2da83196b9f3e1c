package io.servicescluster.cli;

import io.servicescluster.core.ops.ManagerInfo;
import io.servicescluster.core.ops.ManagerRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Finds the running cluster a command means (SPEC §5): the one named or started from the file
 * given with {@code --cluster}; without it, the one running from {@code ./cluster.yaml}, else
 * the only one running for this user. A folder with a {@code cluster.yaml} means that cluster:
 * when it is not running, that is what the command says ({@link NotRunning}).
 */
final class ClusterLocator {

    /** Why no single cluster could be chosen, for people. */
    static class NotFound extends Exception {
        NotFound(String message) {
            super(message);
        }
    }

    /**
     * The cluster meant is the one of a cluster file, and it is not running: the command must not
     * turn to another cluster, but may read what the file's cluster left ({@code svc logs}).
     */
    static final class NotRunning extends NotFound {
        private final Path file;

        NotRunning(Path file, String message) {
            super(message);
            this.file = file;
        }

        /** The cluster file. */
        Path file() {
            return file;
        }
    }

    private ClusterLocator() {
    }

    static ManagerInfo locate(String cluster) throws NotFound {
        List<ManagerInfo> running = ManagerRegistry.running();
        if (cluster != null) {
            return looksLikeFile(cluster) ? byFile(running, Path.of(cluster)) : byName(running, cluster);
        }
        Path here = Path.of("cluster.yaml");
        if (Files.isRegularFile(here)) {
            // the folder says which cluster is meant: never another one, even the only one running
            return byFile(running, here);
        }
        if (running.size() == 1) {
            return running.getFirst();
        }
        if (running.isEmpty()) {
            throw new NotFound("no cluster is running (start one with: svc run FILE)");
        }
        throw new NotFound(running.size() + " clusters are running: " + describe(running)
                + "; choose one with --cluster NAME-OR-FILE");
    }

    /** Whether {@code --cluster} names a file rather than a cluster: a path, a YAML name, or an existing file. */
    static boolean looksLikeFile(String cluster) {
        return cluster.contains("/") || cluster.endsWith(".yaml") || cluster.endsWith(".yml")
                || Files.isRegularFile(Path.of(cluster));
    }

    private static ManagerInfo byFile(List<ManagerInfo> running, Path file) throws NotFound {
        List<ManagerInfo> matches = running.stream().filter(m -> sameFile(m, file)).toList();
        if (matches.isEmpty()) {
            if (Files.isRegularFile(file)) {
                throw new NotRunning(file, "no cluster is running from " + file + otherwise(running)
                        + (running.isEmpty() ? "" : "; choose one with --cluster NAME-OR-FILE"));
            }
            throw new NotFound("no cluster is running from " + file + otherwise(running));
        }
        return matches.getFirst();
    }

    private static ManagerInfo byName(List<ManagerInfo> running, String name) throws NotFound {
        List<ManagerInfo> matches = running.stream().filter(m -> m.cluster().equals(name)).toList();
        if (matches.isEmpty()) {
            throw new NotFound("no cluster named '" + name + "' is running" + otherwise(running));
        }
        if (matches.size() > 1) {
            throw new NotFound(matches.size() + " clusters named '" + name + "' are running: " + describe(matches)
                    + "; choose one with --cluster FILE");
        }
        return matches.getFirst();
    }

    private static boolean sameFile(ManagerInfo manager, Path file) {
        if (manager.clusterFile().isEmpty()) {
            return false;
        }
        Path theirs = manager.clusterFile().get();
        try {
            return Files.isSameFile(theirs, file);
        } catch (IOException e) {
            return theirs.equals(file.toAbsolutePath().normalize());
        }
    }

    private static String otherwise(List<ManagerInfo> running) {
        return running.isEmpty() ? "; no cluster is running at all" : " (running: " + describe(running) + ")";
    }

    private static String describe(List<ManagerInfo> managers) {
        return managers.stream()
                .map(m -> m.cluster() + m.clusterFile().map(f -> " from " + f).orElse("") + " (pid " + m.pid() + ")")
                .collect(Collectors.joining(", "));
    }
}
