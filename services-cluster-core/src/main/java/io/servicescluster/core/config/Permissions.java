package io.servicescluster.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a service may do (SPEC §4, R15). The container enforces it, or refuses to start the service.
 *
 * @param readPaths if present, the only paths the service may see (besides what its runtime needs)
 * @param writePaths paths it may write besides its work directory
 * @param network whether it may use the network
 * @param spawn whether it may spawn child services (R8)
 */
public record Permissions(Optional<List<Path>> readPaths, List<Path> writePaths, boolean network, boolean spawn) {

    /** The defaults: every file readable, network allowed, no spawning. */
    public static final Permissions DEFAULT = new Permissions(Optional.empty(), List.of(), true, false);

    public Permissions {
        readPaths = readPaths.map(List::copyOf);
        writePaths = List.copyOf(writePaths);
    }

    /** Whether enforcing this needs a sandbox: anything stricter than the default file and network access. */
    public boolean needsSandbox() {
        return readPaths.isPresent() || !writePaths.isEmpty() || !network;
    }

    /** The restrictions in words, for {@code svc check} and error messages; empty when there are none. */
    public List<String> describeRestrictions() {
        var out = new java.util.ArrayList<String>();
        readPaths.ifPresent(paths -> out.add("files.read " + paths));
        if (!writePaths.isEmpty()) {
            out.add("files.write " + writePaths);
        }
        if (!network) {
            out.add("network: false");
        }
        return out;
    }
}
