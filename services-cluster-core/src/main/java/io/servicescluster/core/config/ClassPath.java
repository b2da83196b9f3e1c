package io.servicescluster.core.config;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A service's {@code classpath} as {@code java -cp} reads it: jars and class folders, and entries
 * {@code folder/*} that stand for every jar directly in that folder ({@code .jar} or {@code .JAR},
 * not in sub-folders, not class folders), in the order of their names. A wildcard stays a
 * wildcard in the {@link ServiceSpec} and is expanded each time the service starts (as
 * {@code java -cp} expands it at each launch), so a jar added to the folder between two starts is
 * on the next one's classpath. Stateless.
 */
public final class ClassPath {

    private static final String WILDCARD = "*";

    private ClassPath() {
    }

    /** Whether {@code entry} is {@code folder/*}. */
    public static boolean isWildcard(Path entry) {
        return entry.getFileName() != null && entry.getFileName().toString().equals(WILDCARD);
    }

    /** The path to make visible to a confined service for {@code entry}: the folder of a wildcard, else the entry. */
    public static Path visiblePath(Path entry) {
        return isWildcard(entry) ? entry.getParent() : entry;
    }

    /**
     * What is wrong with {@code entry} on this machine, as the end of a sentence that begins with the
     * entry ({@code does not exist}, {@code matches no jar: …}); empty when it is usable.
     */
    public static Optional<String> problem(Path entry) {
        return paths(entry).problem();
    }

    /**
     * The classpath with each wildcard replaced by its jars.
     *
     * @throws FileNotFoundException naming the first entry that does not exist or matches nothing
     */
    public static List<Path> expand(List<Path> classpath) throws FileNotFoundException {
        List<Path> out = new ArrayList<>();
        for (Path entry : classpath) {
            Expansion expansion = paths(entry);
            if (expansion.problem().isPresent()) {
                throw new FileNotFoundException("classpath entry " + entry + " " + expansion.problem().get());
            }
            out.addAll(expansion.paths());
        }
        return List.copyOf(out);
    }

    /** What one entry stands for now: its paths (the jars of a wildcard), or what is wrong with it. */
    private record Expansion(List<Path> paths, Optional<String> problem) {

        static Expansion of(List<Path> paths) {
            return new Expansion(paths, Optional.empty());
        }

        static Expansion failed(String problem) {
            return new Expansion(List.of(), Optional.of(problem));
        }
    }

    /** One entry, its folder listed once: the same listing decides both the problem and the jars. */
    private static Expansion paths(Path entry) {
        if (!isWildcard(entry)) {
            return Files.exists(entry) ? Expansion.of(List.of(entry)) : Expansion.failed("does not exist");
        }
        Path folder = entry.getParent();
        if (!Files.exists(folder)) {
            return Expansion.failed("names a folder that does not exist");
        }
        if (!Files.isDirectory(folder)) {
            return Expansion.failed("names " + folder + ", which is not a folder");
        }
        try {
            List<Path> jars = jars(folder);
            return jars.isEmpty() ? Expansion.failed("matches no jar: " + folder + " has no .jar file")
                    : Expansion.of(jars);
        } catch (IOException e) {
            return Expansion.failed("cannot be listed: " + e.getMessage());
        }
    }

    /** The jars directly in {@code folder}, sorted by name (a directory's own order is arbitrary). */
    private static List<Path> jars(Path folder) throws IOException {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder,
                p -> (p.toString().endsWith(".jar") || p.toString().endsWith(".JAR")) && Files.isRegularFile(p))) {
            files.forEach(jars::add);
        }
        jars.sort(null);
        return jars;
    }
}
