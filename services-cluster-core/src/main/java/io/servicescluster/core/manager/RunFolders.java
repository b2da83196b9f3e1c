package io.servicescluster.core.manager;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where managers of this user keep their private run folders: {@code $XDG_RUNTIME_DIR/services-cluster/},
 * else {@code /tmp/services-cluster-USER/}. The system property {@code services-cluster.run-dir}
 * overrides both (tests use it to keep their clusters apart from others).
 */
public final class RunFolders {

    /** The system property that overrides the base folder. */
    public static final String PROPERTY = "services-cluster.run-dir";

    private RunFolders() {
    }

    /** The base folder of this user's managers; it may not exist yet. */
    public static Path base() {
        String override = System.getProperty(PROPERTY);
        if (override != null && !override.isBlank()) {
            return Path.of(override).toAbsolutePath();
        }
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        return xdg != null && !xdg.isBlank() && Files.isDirectory(Path.of(xdg))
                ? Path.of(xdg, "services-cluster")
                : Path.of(System.getProperty("java.io.tmpdir"), "services-cluster-" + System.getProperty("user.name"));
    }
}
