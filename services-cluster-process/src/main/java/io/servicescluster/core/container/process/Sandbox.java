package io.servicescluster.core.container.process;

import io.servicescluster.core.config.ClassPath;
import io.servicescluster.core.config.Permissions;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.support.RemoteRuntime;
import io.servicescluster.core.container.support.ServiceUids;
import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The bubblewrap command line that confines one service (R15; docs/sandbox.md). The order of
 * the mounts matters, bubblewrap applies them in turn:
 * <ol>
 *   <li>the base: the whole host file system read-only, or, with {@code files.read}, only what
 *       the JVM needs ({@code /usr}, the {@code /lib…} links, a few {@code /etc} files, the JDK);
 *   <li>a fresh {@code /proc} (own pid namespace), a minimal {@code /dev}, an empty {@code /tmp}
 *       that ends read-only (the service's scratch space is its {@link
 *       io.servicescluster.core.container.ScratchFolder});
 *   <li>empty tmpfs over the homes the service could look into ({@code /home}, {@code /root},
 *       the manager's own) and over the other services' {@code files.write} folders, ending
 *       read-only: before the binds below, which uncover exactly what the service needs or declares;
 *   <li>read-only: the remote runtime's and the service's class path, the class-data archive
 *       (where the base does not show them already), the {@code files.read} paths; read-write:
 *       the {@code files.write} paths;
 *   <li>empty tmpfs over the cluster's work folder and over the folder of every manager's run
 *       folder, after the binds above so that none of them uncovers another service's work
 *       directory or socket (unless an empty tmpfs of ours, such as {@code /tmp}'s, hides them
 *       already with nothing bound into it);
 *   <li>read-only: its dependencies' data socket folders (a Unix socket on a read-only mount can
 *       still be connected to); read-write: the work directory and the
 *       service's own data socket folder — after the dependencies' because a child's folder lies
 *       inside its parent's (R8);
 *   <li>the tmpfs scaffolding (and with {@code files.read} the empty root) remounted read-only.
 * </ol>
 * Namespaces: own pid, IPC and UTS namespaces always, own network namespace with
 * {@code network: false}; every capability dropped; a new session; killed with its parent. Under
 * a manager running as root, bubblewrap (as root) makes the mounts and the JVM then runs as a
 * host user of the service's own ({@code setpriv}, {@link
 * io.servicescluster.core.container.support.ServiceUids}), with every folder on its way made
 * searchable ({@link #reachable}); under another manager it stays that manager's user, in a user
 * namespace of its own. docs/security.md says what each gives.
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
    /** The sandbox's own {@code /proc} and {@code /dev} ({@code --proc}, {@code --dev}): the host's files there are out of sight. */
    private static final List<Path> OWN_FILE_SYSTEMS = List.of(Path.of("/proc"), Path.of("/dev"));

    private static final Path RUN = Path.of("/run");
    /** The most entries that the manifests of a service's jars may add to what it is shown. */
    static final int MAX_MANIFEST_ENTRIES = 1000;
    /**
     * The system's folders: a "home" in or over one of them (the {@code daemon} account's is
     * {@code /usr/sbin}, {@code bin}'s {@code /bin}) is a system account's, and covering it would
     * hide what every program needs.
     */
    private static final List<Path> SYSTEM_FOLDERS = Stream.concat(Stream.of("usr", "etc", "dev", "proc", "sys", "boot"),
            ROOT_LINKS.stream())
            .map(name -> Path.of("/", name)).toList();

    private final List<String> args = new ArrayList<>();
    /**
     * Under a root manager, the host user the service runs as: folders must be searchable by it;
     * empty under another manager, whose user the service stays.
     */
    private final Optional<ServiceUids.Identity> hostUser;
    /** The tmpfs mount points made so far that are still visible (and the empty root with {@code files.read}). */
    private final List<Path> fresh = new ArrayList<>();
    /** The folders made so far in them (mode 0755). */
    private final Set<Path> made = new HashSet<>();
    /** The bind mount points made so far that are still visible. */
    private final List<Path> bound = new ArrayList<>();

    private Sandbox(Path bwrap, Optional<ServiceUids.Identity> hostUser) {
        args.add(bwrap.toString());
        this.hostUser = hostUser;
    }

    /**
     * The {@code bwrap …} prefix for {@code service}'s JVM.
     *
     * @param runtime the remote runtime (its JDK, class path and class-data archive must be visible)
     * @param workDir the service's work directory, which exists
     * @param runDir the manager's run folder, which holds the data socket folders
     * @param dataFolder the service's own data folder (the manager's; its sockets lie in {@link ProcessContainer#SOCKETS})
     * @param dependencyFolders the data socket folders of the services it depends on
     * @param clusterFile the cluster file, hidden from the service
     * @param otherWritePaths the {@code files.write} paths of the cluster's other services, hidden
     *     unless the service declares them (or a folder that holds them, or one inside them) itself
     * @param homes the folders that hold users' homes ({@link HostTools#homes()}), hidden but for
     *     what the service needs or declares there
     * @param setpriv the {@code setpriv} program, with which the JVM becomes {@code hostUser}
     * @param hostUser under a root manager, the host user (and group) the service runs as ({@link
     *     io.servicescluster.core.container.support.ServiceUids}); empty under another manager,
     *     whose own user the service then stays, in a user namespace of its own
     * @throws IOException if a {@code files.write} path cannot be made
     */
    static List<String> command(Path bwrap, Path setpriv, ServiceSpec service, RemoteRuntime runtime, Path workDir,
            Path runDir, Path dataFolder, List<Path> dependencyFolders, Optional<Path> clusterFile,
            List<Path> otherWritePaths, List<Path> homes, Optional<ServiceUids.Identity> hostUser) throws IOException {
        Permissions permissions = service.permissions();
        Sandbox sandbox = new Sandbox(bwrap, hostUser);
        sandbox.add("--die-with-parent", "--new-session", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
                "--cap-drop", "ALL");
        if (hostUser.isPresent()) {
            // root makes the mounts; the JVM then becomes the service's own user (setpriv, last)
            // with no capability left; only those setpriv needs for that survive until then: to
            // change user and group, and to empty the bounding set (without it, it does nothing)
            sandbox.add("--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SETPCAP");
        } else {
            sandbox.add("--unshare-user");
        }
        if (!permissions.network()) {
            sandbox.add("--unshare-net");
        }
        if (permissions.readPaths().isEmpty()) {
            sandbox.add("--ro-bind", "/", "/");
        } else {
            sandbox.fresh.add(Path.of("/")); // bubblewrap's own root: empty
            sandbox.jvmEssentials(runtime.javaExecutable());
        }
        // /tmp: empty (the host's holds other users' files and sockets — a tmux or X server socket
        // can be connected to through a read-only mount, network namespace or not) and, once the
        // binds below are made, read-only: a writable private /tmp would swallow a write to a
        // host-looking path and lose it at the close without a word. The service's scratch space
        // is its own java.io.tmpdir and TMPDIR (ScratchFolder).
        sandbox.add("--proc", "/proc", "--dev", "/dev");
        sandbox.tmpfs(Path.of("/tmp"));
        // /run likewise: it holds the sockets of the host's daemons and of the manager's user (its
        // systemd and D-Bus session, a rootless Docker, in /run/user/UID), which a service of a
        // manager that is not root could connect to as that user, and leave the sandbox through.
        // Only a resolv.conf kept there (systemd-resolved's) is shown again
        boolean hostRoot = permissions.readPaths().isEmpty();
        if (hostRoot) {
            sandbox.tmpfs(RUN);
            Path resolvConf = realPath(Path.of("/etc/resolv.conf"));
            if (resolvConf.startsWith(RUN)) {
                sandbox.bind("--ro-bind-try", resolvConf);
            }
        }
        // the homes: the host's root shows what users keep there (~/.ssh, ~/.m2/settings.xml, …),
        // and a service of a manager that is not root is that manager's user, who may read all of
        // its own. A home the service may not even search needs no cover (root's, 0700, under a
        // root manager). Then the other services' files.write folders: outside the state folder,
        // so the host's root would show every service what they write there (their own files are
        // 0644, the folders their cluster group's). Covered first, so that the binds below — the
        // runtime and the JDK (often in a home: ~/.m2, ~/.cache/services-cluster, ~/.sdkman), the
        // service's own class path, files.read and files.write, work directory — uncover exactly
        // what this service needs or declares. A home holds the state folder, the cluster file and
        // other services' folders of a project kept there: those then need no cover of their own
        List<Path> covered = new ArrayList<>();
        for (Path home : hostRoot ? homes : List.<Path>of()) { // files.read: the root is empty
            Path folder = realPath(home);
            if (SYSTEM_FOLDERS.stream().noneMatch(system -> folder.startsWith(system) || system.startsWith(folder))
                    && sandbox.maySearch(folder)) {
                sandbox.cover(folder, covered);
            }
        }
        for (Path path : otherWritePaths) {
            sandbox.cover(path, covered);
        }
        Path javaHome = javaHome(runtime.javaExecutable());
        // a JDK in a home or another service's files.write; or one its user may not reach (root's
        // ~/.sdkman under a root manager: the mounts of the jars there would hide it all the more;
        // with files.read, jvmEssentials bound it)
        if (covered.stream().anyMatch(javaHome::startsWith) || hostRoot && !sandbox.showsAlready(javaHome)) {
            sandbox.bind("--ro-bind", javaHome);
        }
        for (Path path : runtimeFiles(service, runtime)) {
            if (!sandbox.showsAlready(path)) {
                sandbox.bind("--ro-bind-try", path);
            }
        }
        permissions.readPaths().ifPresent(paths -> paths.forEach(p -> sandbox.bind("--ro-bind-try", p)));
        for (Path path : permissions.writePaths()) {
            Files.createDirectories(path); // bubblewrap binds only what exists
            sandbox.bind("--bind", path);
        }
        // after every bind the cluster file asked for, so that none of them can uncover these: the
        // run folders (control socket, other services' data sockets), the state folder (logs,
        // events, other work directories: .svc/CLUSTER, the work folder's parent), the cluster file
        // by their real paths: a cover mounted on a path through a link would leave the folder itself in sight
        Path stateDir = realPath(workDir.getParent().getParent());
        List<Path> hidden = new ArrayList<>();
        for (Path folder : List.of(realPath(runDir.getParent()), stateDir)) {
            if (!sandbox.hiddenAlready(folder)) {
                sandbox.tmpfs(folder);
                hidden.add(folder);
            }
        }
        clusterFile.map(Sandbox::realPath).filter(file -> !sandbox.hiddenAlready(file))
                .ifPresent(file -> sandbox.mount("--ro-bind", Path.of("/dev/null"), file));
        for (Path dependency : dependencyFolders) {
            sandbox.bind("--ro-bind-try", dependency);
        }
        sandbox.bind("--bind", workDir);
        // its data folder (the manager's) read-only, so that what lies in it — its socket folder,
        // its children's folders — cannot be swapped; a child's shows already through its parent's
        if (dependencyFolders.stream().noneMatch(dataFolder::startsWith)) {
            sandbox.bind("--ro-bind", dataFolder);
        }
        sandbox.bind("--bind", dataFolder.resolve(ProcessContainer.SOCKETS));
        // the scaffolding that holds the mounts (an empty root, the tmpfs over the run and work
        // folders) becomes read-only too: nothing is writable but the work directory, the write
        // paths and the data socket folder
        if (permissions.readPaths().isPresent()) {
            sandbox.add("--remount-ro", "/");
        }
        hidden.forEach(folder -> sandbox.add("--remount-ro", folder.toString()));
        covered.forEach(folder -> sandbox.add("--remount-ro", folder.toString()));
        sandbox.add("--remount-ro", "/tmp");
        if (hostRoot) {
            sandbox.add("--remount-ro", RUN.toString());
        }
        sandbox.add("--chdir", workDir.toString());
        if (hostUser.isPresent()) {
            // the pipes are the manager's (root, 0600), and the remote opens its control pipes
            // again as /dev/fd/3 and /dev/fd/4 (and a service may open /dev/stderr): readable and
            // writable by any user — which reaches nobody else, since opening another process's
            // /proc/PID/fd/N takes the right to trace it. Made here, by bubblewrap as root, with
            // no process of its own (a chown in the launch shell cost ~2 ms a start)
            sandbox.add("--chmod", "0666", "/proc/self/fd/2", "--chmod", "0666", "/proc/self/fd/3",
                    "--chmod", "0666", "/proc/self/fd/4");
        }
        hostUser.ifPresent(user -> sandbox.add(setpriv.toString(), "--reuid", Integer.toString(user.uid()),
                "--regid", Integer.toString(user.gid()), "--clear-groups", "--inh-caps=-all", "--bounding-set=-all",
                "--"));
        return List.copyOf(sandbox.args);
    }

    /**
     * The {@code bwrap …} prefix for the compiler of a source that a service sent (a child's:
     * {@link ProcessCompilerSandbox}): an empty root with only what the JVM needs and {@code
     * readable} (read-only, nothing writable but an empty {@code /tmp}); no network, no other
     * process, no capability; under a root manager the JVM runs as {@code compilerUser}, else as
     * the manager's user in a user namespace of its own.
     */
    static List<String> compiler(Path bwrap, Path setpriv, Path java, List<Path> readable,
            Optional<ServiceUids.Identity> compilerUser) {
        Sandbox sandbox = new Sandbox(bwrap, compilerUser);
        sandbox.add("--die-with-parent", "--new-session", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
                "--unshare-net", "--cap-drop", "ALL");
        if (compilerUser.isPresent()) {
            sandbox.add("--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SETPCAP");
        } else {
            sandbox.add("--unshare-user");
        }
        sandbox.fresh.add(Path.of("/"));
        sandbox.jvmEssentials(java);
        sandbox.add("--proc", "/proc", "--dev", "/dev");
        sandbox.tmpfs(Path.of("/tmp"));
        readable.forEach(path -> sandbox.bind("--ro-bind-try", path));
        sandbox.add("--remount-ro", "/", "--chdir", "/tmp");
        compilerUser.ifPresent(user -> sandbox.add(setpriv.toString(), "--reuid", Integer.toString(user.uid()),
                "--regid", Integer.toString(user.gid()), "--clear-groups", "--inh-caps=-all", "--bounding-set=-all",
                "--"));
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
        Path javaHome = javaHome(java);
        if (!javaHome.startsWith("/usr")) {
            bind("--ro-bind", javaHome);
        }
    }

    /** The JDK that {@code java} (its {@code bin/java}) belongs to, by its real path. */
    private static Path javaHome(Path java) {
        return realPath(java).getParent().getParent();
    }

    /**
     * The remote runtime's and the service's class path (for {@code lib/*}, the folder: the jars it
     * holds at each start), what the manifests of the service's jars add to it ({@code
     * Class-Path}), and the runtime's class-data archive.
     */
    private static Set<Path> runtimeFiles(ServiceSpec service, RemoteRuntime runtime) {
        Set<Path> files = new LinkedHashSet<>(runtime.classpath());
        List<Path> jars = new ArrayList<>();
        for (Path entry : service.code().classpath()) {
            files.add(ClassPath.visiblePath(entry));
            if (ClassPath.isWildcard(entry)) {
                try (DirectoryStream<Path> inFolder = Files.newDirectoryStream(entry.getParent(), "*.{jar,JAR}")) {
                    inFolder.forEach(jars::add);
                } catch (IOException e) {
                    // no such folder: the start says so
                }
            } else {
                jars.add(entry);
            }
        }
        files.addAll(manifestClassPaths(jars));
        runtime.sharedArchive().ifPresent(files::add);
        return files;
    }

    /**
     * A jar's manifest {@code Class-Path} as last read, and what identified the jar's content then:
     * its file (a jar replaced by a rename is another file), size and time of change, to the
     * file system's precision.
     */
    private record ManifestClassPath(Object fileKey, long size, FileTime modified, String classPath) {

        boolean describes(BasicFileAttributes attributes) {
            return Objects.equals(fileKey, attributes.fileKey()) && size == attributes.size()
                    && modified.equals(attributes.lastModifiedTime());
        }
    }

    /**
     * Manifests read, by jar: every start of every service binds what its jars' manifests name,
     * and opening a jar reads its whole central directory (an application's {@code lib/*} of
     * dozens of jars, at each start). A jar changed since (file, size or time) is read again.
     */
    private static final Map<Path, ManifestClassPath> MANIFESTS = new ConcurrentHashMap<>();
    private static final int MANIFESTS_KEPT = 10_000;

    /**
     * The {@code Class-Path} of {@code jar}'s manifest, "" if none; empty if it is no file or cannot
     * be read as a jar.
     */
    private static Optional<String> manifestClassPath(Path jar) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(jar, BasicFileAttributes.class);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (!attributes.isRegularFile()) {
            return Optional.empty();
        }
        ManifestClassPath known = MANIFESTS.get(jar);
        if (known != null && known.describes(attributes)) {
            return Optional.of(known.classPath());
        }
        String classPath;
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            Manifest manifest = file.getManifest();
            String named = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            classPath = named == null ? "" : named;
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
        if (MANIFESTS.size() >= MANIFESTS_KEPT) {
            MANIFESTS.clear(); // a bound, not a policy: a host with that many jars reads them again
        }
        MANIFESTS.put(jar, new ManifestClassPath(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime(),
                classPath));
        return Optional.of(classPath);
    }

    /**
     * What the manifests of {@code jars} name in their {@code Class-Path} (relative to each jar:
     * {@code lib/dep.jar} beside {@code app.jar}), and what the manifests of those name in turn:
     * the JVM's class loader reads them, though no class path entry names them, and the cover of a
     * home would hide them. At most {@link #MAX_MANIFEST_ENTRIES}; an entry that is no jar or no
     * file URL is left to the class loader, which ignores it too.
     */
    static Set<Path> manifestClassPaths(List<Path> jars) {
        Set<Path> seen = new HashSet<>();
        Set<Path> named = new LinkedHashSet<>();
        ArrayDeque<Path> next = new ArrayDeque<>(jars);
        while (!next.isEmpty() && named.size() < MAX_MANIFEST_ENTRIES) {
            Path jar = next.removeFirst().toAbsolutePath().normalize();
            if (!seen.add(jar)) {
                continue;
            }
            Optional<String> classPath = manifestClassPath(jar); // one stat for a jar read before
            if (classPath.isEmpty()) {
                continue;
            }
            for (String url : classPath.get().isBlank() ? new String[0] : classPath.get().strip().split("\\s+")) {
                try {
                    URI resolved = jar.getParent().toUri().resolve(url);
                    if (!url.isEmpty() && "file".equals(resolved.getScheme())) {
                        Path path = Path.of(resolved).normalize();
                        named.add(path);
                        next.add(path);
                    }
                } catch (IllegalArgumentException e) {
                    // not a URL: the class loader skips it too
                }
            }
        }
        return named;
    }

    /**
     * Whether {@code path} is in sight as it is, read-only: under the host's root mounted whole,
     * below no tmpfs of ours (nor our {@code /proc} or {@code /dev}: a jar in {@code /dev/shm}), through folders the service may search, and reached without a link
     * (a link could lead into a hidden folder). Each mount costs bubblewrap a read of the mount
     * table (~0.2 ms a start), so what is in sight already is not bound again; what a later tmpfs
     * hides (the run and state folders) is hidden whether bound here or not.
     */
    private boolean showsAlready(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        boolean hostRoot = fresh.stream().noneMatch(point -> point.getNameCount() == 0); // not files.read's empty root
        if (!hostRoot || innermostMount(absolute).isPresent() || OWN_FILE_SYSTEMS.stream().anyMatch(absolute::startsWith)
                || !absolute.equals(realPath(absolute))) {
            return false;
        }
        for (Path folder = absolute.getParent(); hostUser.isPresent() && folder != null; folder = folder.getParent()) {
            if (!othersMaySearch(folder)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Covers {@code path} (by its real path) with an empty tmpfs, unless it is no folder, hidden
     * already or covered already; adds it to {@code covered}, which end read-only.
     */
    private void cover(Path path, List<Path> covered) {
        Path folder = realPath(path);
        if (folder.getNameCount() > 0 && Files.isDirectory(folder) && !covered.contains(folder)
                && !hiddenAlready(folder)) {
            tmpfs(folder);
            covered.add(folder);
        }
    }

    /**
     * Whether the service may search {@code folder} on the host: as the manager's own user (in a
     * user namespace), what the kernel tells the manager; as a host user of its own, which owns
     * nothing there and is of no group but its cluster's, what the folder's mode gives that user.
     * When in doubt, yes.
     */
    private boolean maySearch(Path folder) {
        if (hostUser.isEmpty()) {
            return Files.isExecutable(folder);
        }
        try {
            Map<String, Object> attributes = Files.readAttributes(folder, "unix:mode,uid,gid");
            int mode = (Integer) attributes.get("mode");
            return (mode & 0001) != 0
                    || ((Integer) attributes.get("gid") == hostUser.get().gid() && (mode & 0010) != 0)
                    || ((Integer) attributes.get("uid") == hostUser.get().uid() && (mode & 0100) != 0);
        } catch (IOException | UnsupportedOperationException e) {
            return Files.exists(folder);
        }
    }

    /**
     * Whether {@code folder} is hidden already: inside an empty tmpfs of ours (as a run folder in
     * {@code /tmp} is) into which nothing was bound. Then a tmpfs of its own would hide nothing more
     * and cost two mounts.
     */
    private boolean hiddenAlready(Path folder) {
        Path absolute = folder.toAbsolutePath().normalize();
        return innermostMount(absolute).filter(fresh::contains).filter(point -> !point.equals(absolute)).isPresent()
                && bound.stream().noneMatch(point -> point.startsWith(absolute))
                && made.stream().noneMatch(point -> point.startsWith(absolute));
    }

    private void bind(String how, Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        mount(how, absolute, mountPoint(absolute));
    }

    /**
     * Where {@code absolute} is mounted: on the host's root, in its folder's real path, under its
     * own name. bubblewrap cannot make a mount point through a link into a cover of ours (a home
     * reached as {@code /home/alice} where {@code /home} links to {@code /var/home}, as on Fedora
     * Silverblue: "Can't mkdir parents"); the link, shown with the host's root, still leads there.
     * The name is kept, so a linked jar is mounted where the link was. In an empty root
     * ({@code files.read}) no link is shown: the path is mounted as it is named.
     */
    private Path mountPoint(Path absolute) {
        boolean hostRoot = fresh.stream().noneMatch(point -> point.getNameCount() == 0);
        Path parent = absolute.getParent();
        return !hostRoot || parent == null ? absolute : realPath(parent).resolve(absolute.getFileName());
    }

    /** An empty tmpfs at {@code folder}, which hides what was there, binds made earlier included. */
    private void tmpfs(Path folder) {
        reachable(folder);
        add("--tmpfs", folder.toString());
        forget(folder);
        fresh.add(folder);
    }

    private void mount(String how, Path source, Path target) {
        reachable(target);
        add(how, source.toString(), target.toString());
        forget(target);
        bound.add(target);
    }

    /**
     * For a service that runs as a user of its own (under a root manager): makes every folder
     * above {@code target} searchable by it, since the sandbox shows host folders with their host
     * modes and bubblewrap, run by root, makes the folders it needs for a mount point with mode
     * 0700. A folder in a tmpfs is made here first, with mode 0755; a host folder that others may
     * not search (root's home, a 0700 temporary folder) gets an empty tmpfs over it — the service
     * could not have looked into it anyway — in which the mounts below it are made.
     */
    private void reachable(Path target) {
        if (hostUser.isEmpty() || target.getParent() == null) {
            return;
        }
        Path parent = target.getParent();
        for (int i = 1; i <= parent.getNameCount(); i++) {
            Path folder = parent.getRoot().resolve(parent.subpath(0, i));
            Optional<Path> cover = innermostMount(folder);
            boolean inTmpfs = cover.map(fresh::contains).orElse(false);
            if (inTmpfs) {
                if (!cover.get().equals(folder) && made.add(folder)) {
                    add("--perms", "0755", "--dir", folder.toString());
                }
            } else if (!othersMaySearch(folder) && !bound.contains(folder)) {
                add("--perms", "0755", "--tmpfs", folder.toString());
                forget(folder);
                fresh.add(folder);
            }
        }
    }

    /** The latest mount point that holds {@code folder} (or is it): a tmpfs of ours or a bind; empty for the host's root. */
    private Optional<Path> innermostMount(Path folder) {
        Path best = null;
        for (Path point : fresh) {
            if (folder.startsWith(point) && (best == null || point.getNameCount() > best.getNameCount())) {
                best = point;
            }
        }
        for (Path point : bound) {
            if (folder.startsWith(point) && (best == null || point.getNameCount() > best.getNameCount())) {
                best = point;
            }
        }
        return Optional.ofNullable(best);
    }

    /** What a new mount at {@code point} covers is gone from the sandbox. */
    private void forget(Path point) {
        fresh.removeIf(p -> p.startsWith(point));
        made.removeIf(p -> p.startsWith(point));
        bound.removeIf(p -> p.startsWith(point));
    }

    private static boolean othersMaySearch(Path folder) {
        try {
            return Files.getPosixFilePermissions(folder).contains(PosixFilePermission.OTHERS_EXECUTE);
        } catch (IOException | UnsupportedOperationException e) {
            return true; // not there: bubblewrap says so, or makes it in a tmpfs of ours
        }
    }

    private void add(String... values) {
        args.addAll(List.of(values));
    }

    private static Path realPath(Path path) {
        return Confinement.realPath(path);
    }
}
