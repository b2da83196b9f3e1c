package io.servicescluster.core.manager;

import java.nio.file.Path;

/** Where the manager keeps what may be rebuilt at will: the remote runtime's class-data archive. */
final class Caches {

    private Caches() {
    }

    /** {@code $XDG_CACHE_HOME/services-cluster/cds}, or {@code ~/.cache/services-cluster/cds}. */
    static Path cdsDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("services-cluster").resolve("cds");
    }
}
