package io.servicescluster.core.ops;

import io.servicescluster.core.manager.RunFolders;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds the managers running for this user: every {@code manager.json} in the run folders under
 * {@link RunFolders#base()} whose process is alive. Entries of dead managers are ignored.
 */
public final class ManagerRegistry {

    private ManagerRegistry() {
    }

    /** Writes {@code info} to {@code runDirectory/manager.json}, atomically and readable by this user only. */
    public static Path write(Path runDirectory, ManagerInfo info) throws IOException {
        Path target = runDirectory.resolve(ManagerInfo.FILE_NAME);
        Path temporary = Files.createTempFile(runDirectory, "manager", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temporary, info.toJson() + "\n");
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /** The live managers of this user, by cluster name then pid. */
    public static List<ManagerInfo> running() {
        return running(RunFolders.base());
    }

    /** The live managers whose run folders are in {@code base}. */
    public static List<ManagerInfo> running(Path base) {
        List<ManagerInfo> found = new ArrayList<>();
        if (!Files.isDirectory(base)) {
            return found;
        }
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(base)) {
            for (Path folder : folders) {
                Path file = folder.resolve(ManagerInfo.FILE_NAME);
                try {
                    ManagerInfo info = ManagerInfo.fromJson(Files.readString(file));
                    if (info.alive()) {
                        found.add(info);
                    }
                } catch (IOException | RuntimeException ignored) {
                    // not a manager's folder, a manager still starting, or a stale one
                }
            }
        } catch (IOException ignored) {
            // the base folder vanished: nothing runs
        }
        found.sort(Comparator.comparing(ManagerInfo::cluster).thenComparingLong(ManagerInfo::pid));
        return found;
    }
}
