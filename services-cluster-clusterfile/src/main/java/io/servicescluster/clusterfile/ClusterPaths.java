package io.servicescluster.clusterfile;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Paths in a cluster file: relative to the file's folder, made absolute and normalized. */
final class ClusterPaths {

    private final Fields fields;
    private final Path baseDir;
    private final boolean checkFiles;

    /** {@code checkFiles}: whether the files the cluster names must be readable on this machine now. */
    ClusterPaths(Fields fields, Path baseDir, boolean checkFiles) {
        this.fields = fields;
        this.baseDir = baseDir;
        this.checkFiles = checkFiles;
    }

    /** A file this machine reads ({@link io.servicescluster.core.config.ConfigValue#file()}). */
    Optional<Path> file(Field field) {
        Optional<Path> path = fields.string(field).flatMap(text -> resolve(field, text));
        if (path.isEmpty() || !checkFiles) {
            return path;
        }
        Path file = path.get();
        String problem = !Files.exists(file) ? "no such file: " + file
                : !Files.isRegularFile(file) ? "not a file: " + file
                : !Files.isReadable(file) ? "cannot read " + file + ": permission denied" : null;
        return fields.check(field, path, p -> problem == null, problem);
    }

    /**
     * Why a file could not be read, in the JDK's plain words ("Is a directory"), without the
     * exception's class (messages showed "java.io.IOException: Is a directory").
     */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";   // its message is only the path
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    Optional<Path> resolve(Field field, String text) {
        if (text.isBlank()) {
            fields.error(field, "a path cannot be empty");
            return Optional.empty();
        }
        try {
            return Optional.of(baseDir.resolve(text).normalize());
        } catch (InvalidPathException e) {
            fields.error(field, "invalid path '" + text + "': " + e.getReason());
            return Optional.empty();
        }
    }

    /** A list of paths, or empty if the field or any item is not one. */
    Optional<List<Path>> list(Field field) {
        return fields.list(field).flatMap(items -> {
            var out = new ArrayList<Path>();
            items.forEach(item -> fields.string(item).flatMap(text -> resolve(item, text)).ifPresent(out::add));
            return out.size() == items.size() ? Optional.of(List.copyOf(out)) : Optional.empty();
        });
    }
}
