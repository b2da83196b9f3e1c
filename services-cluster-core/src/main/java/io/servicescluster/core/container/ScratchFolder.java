package io.servicescluster.core.container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

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
     * The scratch folder of {@code workDir}, made or emptied (links are removed, never followed).
     *
     * @throws ContainerException if it cannot be emptied or made
     */
    public static Path empty(String service, Path workDir) throws ContainerException {
        Path scratch = workDir.resolve(NAME);
        try {
            if (Files.isDirectory(scratch, LinkOption.NOFOLLOW_LINKS)) {
                List<Path> entries;
                try (Stream<Path> walk = Files.walk(scratch)) { // does not follow links
                    entries = walk.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(scratch)).toList();
                }
                for (Path entry : entries) {
                    Files.deleteIfExists(entry);
                }
            } else {
                Files.deleteIfExists(scratch); // a file or a link where the folder belongs
            }
            return Files.createDirectories(scratch);
        } catch (IOException | UncheckedIOException e) {
            throw new ContainerException("cannot empty the scratch folder " + scratch + " of '" + service + "': "
                    + e.getMessage(), e);
        }
    }
}
