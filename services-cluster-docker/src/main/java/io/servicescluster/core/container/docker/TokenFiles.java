package io.servicescluster.core.container.docker;

import io.servicescluster.core.container.ContainerException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The token a remote says in its hello, handed over as a file (issue 18: nothing secret in an
 * environment or a command line): one file per launch in {@code RUN/tokens} (the run folder is
 * the manager's, mode 0700), mode 0600, bound read-only into that launch's container alone, and
 * emptied once the launch is over — through the same inode, so the container's view of it is
 * empty too.
 */
final class TokenFiles {

    private TokenFiles() {
    }

    static Path write(Path runDir, String name, String token) throws ContainerException {
        try {
            Path folder = runDir.resolve("tokens");
            if (!Files.isDirectory(folder)) {
                Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path file = Files.createFile(folder.resolve(name + ".token"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            return Files.writeString(file, token);
        } catch (IOException e) {
            throw new ContainerException("cannot write the launch's token file in " + runDir + ": " + e, e);
        }
    }

    /** Empties the file (the bind keeps its inode) and removes it; never throws. */
    static void erase(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        } catch (IOException ignored) {
            // gone already
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the run folder goes with the manager
        }
    }
}
