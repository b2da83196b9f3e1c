package io.servicescluster.core.container.process;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where the process container finds what it enforces restrictions with (R15): the bubblewrap
 * program ({@code bwrap}) for file and network permissions, and the cgroup file system for
 * memory and CPU limits; and where users keep their homes, which a sandbox hides. Immutable.
 *
 * @param searchPath the {@code PATH} that {@code bwrap} is looked up on ({@code :}-separated)
 * @param bubblewrap an explicit {@code bwrap} to use instead of searching {@code searchPath}
 * @param cgroupRoot where the cgroup file system is mounted (v2: the unified hierarchy itself;
 *     v1: the folder holding one mount per controller)
 * @param homes the folders that hold users' homes, which a sandbox covers (docs/sandbox.md):
 *     {@code /home}, {@code /root} and the manager's own home wherever it lies
 */
public record HostTools(String searchPath, Optional<Path> bubblewrap, Path cgroupRoot, List<Path> homes) {

    /** The program name that {@link #findBubblewrap()} searches for. */
    public static final String BWRAP = "bwrap";
    /** The program name that {@link #findSetpriv()} searches for. */
    public static final String SETPRIV = "setpriv";

    public HostTools {
        Objects.requireNonNull(searchPath, "searchPath");
        Objects.requireNonNull(bubblewrap, "bubblewrap");
        Objects.requireNonNull(cgroupRoot, "cgroupRoot");
        homes = List.copyOf(homes);
    }

    /**
     * This host's tools: {@code bwrap} from the system property {@code servicescluster.bwrap} or
     * the environment variable {@code SVC_BWRAP} if set, else from {@code PATH}; cgroups at the
     * system property {@code servicescluster.cgroupRoot}, else {@code /sys/fs/cgroup}; homes in
     * {@code /home}, {@code /root}, and the manager's own: its {@code user.home} (from the user
     * database) and {@code $HOME}.
     */
    public static HostTools detect() {
        String explicit = System.getProperty("servicescluster.bwrap", System.getenv("SVC_BWRAP"));
        String path = System.getenv("PATH");
        Set<Path> homes = new LinkedHashSet<>(List.of(Path.of("/home"), Path.of("/root")));
        for (String home : new String[] {System.getProperty("user.home"), System.getenv("HOME")}) {
            if (home != null && home.startsWith("/")) { // a JVM of a user without a home says "?"
                homes.add(Path.of(home).normalize());
            }
        }
        return new HostTools(path == null ? "" : path,
                explicit == null || explicit.isBlank() ? Optional.empty() : Optional.of(Path.of(explicit)),
                Path.of(System.getProperty("servicescluster.cgroupRoot", "/sys/fs/cgroup")), List.copyOf(homes));
    }

    /** A copy that looks for {@code bwrap} on {@code path} only (and not at an explicit location). */
    public HostTools withSearchPath(String path) {
        return new HostTools(path, Optional.empty(), cgroupRoot, homes);
    }

    /** A copy that uses the cgroup file system mounted at {@code root}. */
    public HostTools withCgroupRoot(Path root) {
        return new HostTools(searchPath, bubblewrap, root, homes);
    }

    /** The {@code bwrap} executable, or empty if there is none where this looks. */
    public Optional<Path> findBubblewrap() {
        if (bubblewrap.isPresent()) {
            return bubblewrap.filter(Files::isExecutable);
        }
        return onSearchPath(BWRAP);
    }

    /**
     * The {@code setpriv} executable (util-linux), with which a sandboxed JVM of a root manager
     * becomes its service's own user; or empty if there is none on {@code PATH}.
     */
    public Optional<Path> findSetpriv() {
        return onSearchPath(SETPRIV);
    }

    private Optional<Path> onSearchPath(String program) {
        for (String folder : searchPath.split(File.pathSeparator)) {
            if (!folder.isEmpty()) {
                Path candidate = Path.of(folder, program);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** Where {@link #findBubblewrap()} looked, for messages. */
    String bubblewrapLocation() {
        return bubblewrap.map(p -> "at " + p).orElse("on PATH (" + searchPath + ")");
    }
}
