package io.servicescluster.core.container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A service's scratch space: the folder {@value #NAME} of its work directory, handed to its JVM as
 * {@code java.io.tmpdir} and to its process as {@code TMPDIR}, and emptied at each launch as
 * {@code /tmp} is at a boot. A container gives a service its own scratch space rather than a
 * private {@code /tmp}: a write to a path that looks like the host's must never land somewhere
 * that vanishes at the close without a word (docs/sandbox.md).
 */
public final class ScratchFolder {

    /** The folder's name in the work directory. */
    public static final String NAME = "tmp";

    private ScratchFolder() {
    }

    /** The JVM option and the environment entry that point a service's JVM at {@code scratch}. */
    public static String jvmOption(Path scratch) {
        return "-Djava.io.tmpdir=" + scratch;
    }

    /**
     * The scratch folder of {@code workDir}, made or emptied. Emptying is thorough but forgiving:
     * links are removed, never followed; an entry that vanished meanwhile, or a folder that
     * could not be emptied, is skipped (a left-over temporary file must not fail a start). The
     * caller makes sure no earlier process of the service still writes there.
     *
     * @throws ContainerException if the folder cannot be made
     */
    public static Path empty(String service, Path workDir) throws ContainerException {
        Path scratch = workDir.resolve(NAME);
        try {
            if (Files.isDirectory(scratch, LinkOption.NOFOLLOW_LINKS)) {
                Files.walkFileTree(scratch, new SimpleFileVisitor<>() { // does not follow links
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                        deleteQuietly(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        return FileVisitResult.CONTINUE; // vanished or unreadable: skipped
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                        if (!dir.equals(scratch)) {
                            deleteQuietly(dir);
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
            } else {
                Files.deleteIfExists(scratch); // a file or a link where the folder belongs
            }
            return Files.createDirectories(scratch);
        } catch (IOException | UncheckedIOException e) {
            throw new ContainerException("cannot make the scratch folder " + scratch + " of '" + service + "': "
                    + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // a folder not empty, a file not ours to delete: left for the next start
        }
    }
}
