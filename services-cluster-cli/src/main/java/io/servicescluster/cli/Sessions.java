package io.servicescluster.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code setsid} (util-linux, or busybox), which runs a command in a session of its own: the JDK
 * cannot start a process that way, and a detached manager must have no controlling terminal.
 */
final class Sessions {

    private Sessions() {
    }

    /** The {@code setsid} on {@code PATH} (or in the usual system folders), if there is one. */
    static Optional<Path> setsid() {
        List<String> folders = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            folders.addAll(List.of(path.split(File.pathSeparator)));
        }
        folders.addAll(List.of("/usr/bin", "/bin"));
        return folders.stream().filter(f -> !f.isEmpty()).map(f -> Path.of(f, "setsid"))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }
}
