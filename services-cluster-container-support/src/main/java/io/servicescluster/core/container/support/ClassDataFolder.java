package io.servicescluster.core.container.support;

import java.nio.file.Path;

/**
 * Where the remote runtime's class-data files are kept (what may be rebuilt at will): one folder
 * for every container kind that runs this JDK, since a file fits every JVM of the same build and
 * class path.
 */
public final class ClassDataFolder {

    private ClassDataFolder() {
    }

    /** {@code $XDG_CACHE_HOME/services-cluster/cds}, or {@code ~/.cache/services-cluster/cds}. */
    public static Path path() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("services-cluster").resolve("cds");
    }
}
