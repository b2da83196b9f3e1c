package io.servicescluster.core.container.docker;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bind mounts of one container, each host path at the same path inside: a path is bound once,
 * and read-write wins over read-only whatever the order they are asked in. Not thread-safe: one
 * launch builds its own.
 */
final class Binds {

    private final Map<String, Bind> binds = new LinkedHashMap<>();

    /** Binds {@code path} read-only at the same place, if it exists and no read-write bind has it. */
    void readOnly(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        if (Files.exists(absolute)) {
            binds.putIfAbsent(absolute.toString(), new Bind(absolute.toString(), new Volume(absolute.toString()),
                    AccessMode.ro));
        }
    }

    /** Binds {@code path} read-write at the same place, replacing a read-only bind of it. */
    void readWrite(Path path) {
        String absolute = path.toAbsolutePath().normalize().toString();
        binds.put(absolute, new Bind(absolute, new Volume(absolute), AccessMode.rw));
    }

    /** Binds the Unix socket {@code socket} read-only at the same place (connecting needs no write access to the mount). */
    void socket(Path socket) {
        binds.put(socket.toString(), new Bind(socket.toString(), new Volume(socket.toString()), AccessMode.ro));
    }

    /** The binds in the order they were first asked for. */
    List<Bind> list() {
        return List.copyOf(binds.values());
    }
}
