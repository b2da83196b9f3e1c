package io.servicescluster.core.container.process;

import io.servicescluster.core.config.ClassPath;
import io.servicescluster.core.config.Permissions;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.support.RemoteRuntime;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The bubblewrap command line that confines one service (R15; docs/sandbox.md). The order of
 * the mounts matters, bubblewrap applies them in turn:
 * <ol>
 *   <li>the base: the whole host file system read-only, or, with {@code files.read}, only what
 *       the JVM needs ({@code /usr}, the {@code /lib…} links, a few {@code /etc} files, the JDK);
 *   <li>a fresh {@code /proc} (own pid namespace), a minimal {@code /dev}, an empty {@code /tmp}
 *       that ends read-only (the service's scratch space is its {@link
 *       io.servicescluster.core.container.ScratchFolder});
 *   <li>read-only: the remote runtime's and the service's class path, the class-data archive,
 *       the {@code files.read} paths; read-write: the {@code files.write} paths;
 *   <li>empty tmpfs over the cluster's work folder and over the folder of every manager's run
 *       folder, after the binds above so that none of them uncovers another service's work
 *       directory or socket;
 *   <li>read-only: its dependencies' data socket folders (a Unix socket on a read-only mount can
 *       still be connected to); read-write: the work directory and the
 *       service's own data socket folder — after the dependencies' because a child's folder lies
 *       inside its parent's (R8);
 *   <li>the tmpfs scaffolding (and with {@code files.read} the empty root) remounted read-only.
 * </ol>
 * Namespaces: own user, pid, IPC and UTS namespaces always, own network namespace with
 * {@code network: false}; every capability dropped; a new session; killed with its parent. Under
 * a manager running as root the service is an unprivileged user of its own user namespace
 * ({@code --uid}/{@code --gid}; docs/security.md says what that does and does not give).
 * The state folder ({@code .svc/CLUSTER}: logs, events, every work directory) and the cluster
 * file are hidden whatever the service may read.
 */
final class Sandbox {

    /** Files of {@code /etc} a JVM may read (users, name service, time zone, TLS roots, dynamic linker). */
    private static final List<String> ETC_FILES = List.of("passwd", "group", "nsswitch.conf", "hosts", "host.conf",
            "resolv.conf", "gai.conf", "localtime", "timezone", "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "ssl",
            "ca-certificates", "pki", "alternatives");
    /** Top-level folders that merged-/usr systems turn into links into {@code /usr}. */
    private static final List<String> ROOT_LINKS = List.of("bin", "sbin", "lib", "lib32", "lib64", "libx32");

    /** Whether this manager runs as root, whose services then run as another user of their own namespace. */
    private static final boolean MANAGER_IS_ROOT = processUid() == 0;

    private final List<String> args = new ArrayList<>();

    private Sandbox(Path bwrap) {
        args.add(bwrap.toString());
    }

    /**
     * The {@code bwrap …} prefix for {@code service}'s JVM.
     *
     * @param runtime the remote runtime (its JDK, class path and class-data archive must be visible)
     * @param workDir the service's work directory, which exists
     * @param runDir the manager's run folder, which holds the data socket folders
     * @param dataFolder the service's own data socket folder
     * @param dependencyFolders the data socket folders of the services it depends on
     * @param clusterFile the cluster file, hidden from the service
     * @param serviceUid the user and group id the service has in its user namespace under a root manager
     * @throws IOException if a {@code files.write} path cannot be made
     */
    static List<String> command(Path bwrap, ServiceSpec service, RemoteRuntime runtime, Path workDir,
            Path runDir, Path dataFolder, List<Path> dependencyFolders, Optional<Path> clusterFile, int serviceUid)
            throws IOException {
        Permissions permissions = service.permissions();
        Sandbox sandbox = new Sandbox(bwrap);
        sandbox.add("--die-with-parent", "--new-session", "--unshare-user", "--unshare-pid", "--unshare-ipc",
                "--unshare-uts", "--cap-drop", "ALL");
        if (MANAGER_IS_ROOT) {
            sandbox.add("--uid", Integer.toString(serviceUid), "--gid", Integer.toString(serviceUid));
        }
        if (!permissions.network()) {
            sandbox.add("--unshare-net");
        }
        if (permissions.readPaths().isEmpty()) {
            sandbox.add("--ro-bind", "/", "/");
        } else {
            sandbox.jvmEssentials(runtime.javaExecutable());
        }
        // /tmp: empty (the host's holds other users' files and sockets — a tmux or X server socket
        // can be connected to through a read-only mount, network namespace or not) and, once the
        // binds below are made, read-only: a writable private /tmp would swallow a write to a
        // host-looking path and lose it at the close without a word. The service's scratch space
        // is its own java.io.tmpdir and TMPDIR (ScratchFolder).
        sandbox.add("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp");
        for (Path path : runtimeFiles(service, runtime)) {
            sandbox.bind("--ro-bind-try", path);
        }
        permissions.readPaths().ifPresent(paths -> paths.forEach(p -> sandbox.bind("--ro-bind-try", p)));
        for (Path path : permissions.writePaths()) {
            Files.createDirectories(path); // bubblewrap binds only what exists
            sandbox.bind("--bind", path);
        }
        // after every bind the cluster file asked for, so that none of them can uncover these: the
        // run folders (control socket, other services' data sockets), the state folder (logs,
        // events, other work directories: .svc/CLUSTER, the work folder's parent), the cluster file
        Path stateDir = workDir.getParent().getParent();
        sandbox.add("--tmpfs", runDir.getParent().toString(), "--tmpfs", stateDir.toString());
        clusterFile.ifPresent(file -> sandbox.add("--ro-bind", "/dev/null", file.toAbsolutePath().toString()));
        for (Path dependency : dependencyFolders) {
            sandbox.bind("--ro-bind-try", dependency);
        }
        sandbox.bind("--bind", workDir);
        sandbox.bind("--bind", dataFolder);
        // the scaffolding that holds the mounts (an empty root, the tmpfs over the run and work
        // folders) becomes read-only too: nothing is writable but the work directory, the write
        // paths and the data socket folder
        if (permissions.readPaths().isPresent()) {
            sandbox.add("--remount-ro", "/");
        }
        sandbox.add("--remount-ro", runDir.getParent().toString(), "--remount-ro", stateDir.toString(),
                "--remount-ro", "/tmp");
        sandbox.add("--chdir", workDir.toString());
        return List.copyOf(sandbox.args);
    }

    /** What the JVM needs when the base is empty: {@code /usr}, the root links, some of {@code /etc}, the JDK. */
    private void jvmEssentials(Path java) {
        bind("--ro-bind", Path.of("/usr"));
        for (String name : ROOT_LINKS) {
            Path path = Path.of("/", name);
            if (Files.isSymbolicLink(path)) {
                try {
                    add("--symlink", Files.readSymbolicLink(path).toString(), path.toString());
                } catch (IOException e) {
                    bind("--ro-bind-try", path);
                }
            } else {
                bind("--ro-bind-try", path);
            }
        }
        for (String name : ETC_FILES) {
            bind("--ro-bind-try", Path.of("/etc", name));
        }
        // Debian's JDKs keep their configuration in /etc/java-N-openjdk, linked from the JDK's conf
        try (DirectoryStream<Path> javaConfigs = Files.newDirectoryStream(Path.of("/etc"), "java*")) {
            javaConfigs.forEach(p -> bind("--ro-bind-try", p));
        } catch (IOException e) {
            // no such folders
        }
        Path javaHome = realPath(java).getParent().getParent();
        if (!javaHome.startsWith("/usr")) {
            bind("--ro-bind", javaHome);
        }
    }

    /**
     * The remote runtime's and the service's class path (for {@code lib/*}, the folder: the jars it
     * holds at each start), and the runtime's class-data archive.
     */
    private static Set<Path> runtimeFiles(ServiceSpec service, RemoteRuntime runtime) {
        Set<Path> files = new LinkedHashSet<>(runtime.classpath());
        service.code().classpath().forEach(entry -> files.add(ClassPath.visiblePath(entry)));
        runtime.sharedArchive().ifPresent(files::add);
        return files;
    }

    private void bind(String how, Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        add(how, absolute.toString(), absolute.toString());
    }

    private void add(String... values) {
        args.addAll(List.of(values));
    }

    /** This JVM's user id: the owner of {@code /proc/self}; -1 if unknown. */
    static int processUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath();
        }
    }
}
