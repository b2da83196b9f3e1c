package io.servicescluster.core.manager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The manager's private folder for control sockets: {@code $XDG_RUNTIME_DIR/services-cluster/}
 * or {@code /tmp/services-cluster-USER/}, then one folder per manager, all mode 0700 so that no
 * other user can reach a socket. Kept short: a socket path may not exceed about 100 bytes.
 */
record RunDirectory(Path path) {

    static RunDirectory create(String clusterName) throws IOException {
        Path base = RunFolders.base();
        privateFolder(base);
        Path own = base.resolve(clusterName + "-" + ProcessHandle.current().pid() + "-" + Long.toString(System.nanoTime() % 1_000_000, 36));
        privateFolder(own);
        return new RunDirectory(own.toRealPath()); // the sandboxes hide it by this path: no link on the way

    }

    private static void privateFolder(Path folder) throws IOException {
        try {
            Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
                    || !Files.getOwner(folder).getName().equals(System.getProperty("user.name"))) {
                throw new IOException(folder + " exists but is not a folder of this user");
            }
        }
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
    }

    /**
     * Deletes the folder and what it holds. Another deletion may run at the same time (a second
     * Ctrl-C kills the cluster while the first one's orderly close deletes it): a file the walk
     * saw that is gone when it is read is no error, and the walk begins again, a few times at most.
     */
    void delete() {
        for (int walk = 0; walk < 5 && Files.exists(path, LinkOption.NOFOLLOW_LINKS); walk++) {
            try (Stream<Path> files = Files.walk(path)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // something went while it was walked: walk what is left
            }
        }
    }
}
