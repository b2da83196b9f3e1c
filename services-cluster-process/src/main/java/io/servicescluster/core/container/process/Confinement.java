package io.servicescluster.core.container.process;

import io.servicescluster.core.config.Resources;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.ContainerEnvironment;
import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.support.RemoteRuntime;
import io.servicescluster.core.container.support.ServiceUids;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;

/**
 * What confines one launch of a service (R15, issue 18): a bubblewrap sandbox unless the cluster
 * file says {@code unconfined: true}, a cgroup with its memory, CPU and process limits (a default
 * process limit without one). Made before
 * anything starts, so that a restriction this host cannot enforce fails the start (fail closed)
 * and the service never runs unrestricted.
 */
final class Confinement {

    /** The remote's {@code SVC_CONTROL}: the control pipes as {@link #LAUNCH} leaves them. */
    static final String CONTROL_ENDPOINT = "fd:3,4";

    /**
     * The launch shell: joins every cgroup named by its arguments (writing {@code 0}, itself, to
     * each: {@link ServiceCgroup#joinFiles}), then becomes the command that
     * follows them with the control pipes moved off the standard descriptors — stdin (from the
     * manager) to 3, stdout (to the manager) to 4 — stdin from {@code /dev/null} and descriptor 1
     * sent to the stderr pipe. So neither the JVM's own messages (which go to descriptor 1) nor a
     * process the service starts with inherited output can write into the control channel.
     */
    private static final String LAUNCH = "n=$1; shift; while [ \"$n\" -gt 0 ]; do "
            + "echo 0 > \"$1\" || { echo \"services-cluster: cannot join the cgroup $1\" >&2; exit 126; }; "
            + "n=$((n-1)); shift; done; exec \"$@\" 3<&0 4>&1 </dev/null >&2";

    private static final AtomicBoolean DEFAULT_PIDS_WARNED = new AtomicBoolean();

    private final List<String> sandbox;
    private final Optional<ServiceCgroup> cgroup;
    private final List<String> jvmOptions;

    private Confinement(List<String> sandbox, Optional<ServiceCgroup> cgroup, List<String> jvmOptions) {
        this.sandbox = sandbox;
        this.cgroup = cgroup;
        this.jvmOptions = jvmOptions;
    }

    /**
     * Prepares the confinement of one launch: finds bubblewrap, makes the cgroup. Every service
     * is sandboxed unless its cluster file says {@code unconfined: true}; every service gets a
     * cgroup with at least the default process limit ({@link Resources#DEFAULT_PIDS}).
     *
     * @param hostUser under a root manager, the host user the sandboxed service runs as
     * @param cgroupPath where the launch's cgroup lies: in the manager's group, the service's name
     *     (or for a spare remote the other one of the service's two: {@link ProcessContainer}); a
     *     child's in its parent's ({@link ServiceCgroup#path})
     * @throws ContainerException if a restriction cannot be enforced here; the message names the
     *     restriction, what is missing and how to get it
     */
    static Confinement prepare(ServiceSpec spec, ContainerEnvironment environment, HostTools tools,
            RemoteRuntime runtime, Path dataFolder, List<Path> dependencyFolders, Optional<ServiceUids.Identity> hostUser,
            Path cgroupPath) throws ContainerException {
        List<String> sandbox = List.of();
        if (!spec.unconfined()) {
            List<String> confinement = confinementInWords(spec);
            Path bwrap = tools.findBubblewrap().orElseThrow(() -> new ContainerException(cannotEnforce(spec,
                    confinement) + "bubblewrap (bwrap) is not installed: not found " + tools.bubblewrapLocation()
                    + "; install it (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap), "
                    + "or run it without confinement with 'unconfined: true' (docs/security.md)"));
            refuseManagerPaths(spec, environment);
            Path setpriv = hostUser.isEmpty() ? Path.of(HostTools.SETPRIV) : tools.findSetpriv().orElseThrow(() ->
                    new ContainerException(cannotEnforce(spec, confinement) + "setpriv (util-linux), with which the "
                    + "service runs as a user of its own under a root manager, is not found on PATH; install it "
                    + "(Debian/Ubuntu: apt-get install util-linux), or run it without confinement with "
                    + "'unconfined: true' (docs/security.md)"));
            try {
                sandbox = Sandbox.command(bwrap, setpriv, spec, runtime, environment.workDir(), environment.runDir(),
                        dataFolder, dependencyFolders, environment.clusterFile(), environment.otherWritePaths(),
                        tools.homes(), hostUser);
            } catch (IOException e) {
                throw new ContainerException(cannotEnforce(spec, confinement)
                        + "a files.write path cannot be made: " + e.getMessage(), e);
            }
        }
        Resources declared = spec.resources();
        Resources resources = new Resources(declared.memoryBytes(), declared.cpus(),
                OptionalLong.of(declared.pidsOrDefault()), declared.diskBytes());
        Optional<ServiceCgroup> cgroup = Optional.empty();
        try {
            cgroup = Optional.of(ServiceCgroup.prepare(tools.cgroupRoot(), cgroupPath, resources));
        } catch (IOException e) {
            if (declared.memoryBytes().isPresent() || declared.cpus().isPresent() || declared.pids().isPresent()) {
                throw new ContainerException(cannotEnforce(spec, declared.describe()) + e.getMessage()
                        + " (cgroup " + ServiceCgroup.version(tools.cgroupRoot()) + " at " + tools.cgroupRoot()
                        + "); run the manager as root or in a cgroup delegated to it, with the memory, cpu and pids "
                        + "controllers mounted and enabled, or remove the limit", e);
            }
            // only the default limit, which this host cannot apply (a user without a delegated
            // cgroup): said once, not a failure — the cluster file asked for no limit
            if (DEFAULT_PIDS_WARNED.compareAndSet(false, true)) {
                LoggerFactory.getLogger(Confinement.class).warn("services run without the default limit of {} "
                        + "processes: {}", Resources.DEFAULT_PIDS, e.getMessage());
            }
        }
        return new Confinement(sandbox, cgroup, spec.jvm().forService(resources));
    }

    /**
     * A {@code files.read} or {@code files.write} path inside the state folder or the run folders
     * would be hidden by the sandbox anyway (they are mounted over after it): refused with a
     * message rather than silently unreachable. One that is or holds them is fine: what it
     * uncovers of them is hidden again.
     */
    /**
     * {@code path} with every link on its way resolved, as far as it exists (a {@code files.write}
     * folder may not exist yet): its existing part by its real path, the rest as written.
     */
    static Path realPath(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        for (Path existing = absolute; existing != null; existing = existing.getParent()) {
            try {
                return existing.toRealPath().resolve(existing.relativize(absolute));
            } catch (IOException e) {
                // not there (or not reachable): try the folder above
            }
        }
        return absolute;
    }

    private static void refuseManagerPaths(ServiceSpec spec, ContainerEnvironment environment)
            throws ContainerException {
        // real paths on both sides: a path through a link into the state folder is in it
        Path stateDir = realPath(environment.workDir().getParent().getParent());
        Path runFolders = realPath(environment.runDir().getParent());
        List<Path> paths = new ArrayList<>(spec.permissions().writePaths());
        spec.permissions().readPaths().ifPresent(paths::addAll);
        for (Path path : paths) {
            Path absolute = realPath(path);
            // the folder itself, or one that holds it, is fine: the sandbox hides what lies inside
            if ((absolute.startsWith(stateDir) && !absolute.equals(stateDir))
                    || (absolute.startsWith(runFolders) && !absolute.equals(runFolders))) {
                throw new ContainerException("'" + spec.name() + "' may not reach " + absolute + ": it lies in the "
                        + "manager's " + (absolute.startsWith(stateDir) ? "state folder " + stateDir
                        + " (logs, events, every service's work directory)" : "run folders " + runFolders
                        + " (control socket, data sockets)") + ", which no service may reach; choose a path outside it");
            }
        }
    }

    /** What the default confinement is, in words, for messages. */
    private static List<String> confinementInWords(ServiceSpec spec) {
        List<String> out = new ArrayList<>(List.of("its default confinement (a user and a pid namespace of its own, "
                + "no capabilities, no access to the manager's files)"));
        out.addAll(spec.permissions().describeRestrictions());
        return out;
    }

    private static String cannotEnforce(ServiceSpec spec, List<String> restrictions) {
        return "the process container cannot enforce " + String.join(", ", restrictions) + " for '" + spec.name()
                + "': ";
    }

    /** Flags for the service's JVM: a heap bound and processors that match its limits, then its own options. */
    List<String> jvmOptions() {
        return jvmOptions;
    }

    /** Whether the service runs in a bubblewrap sandbox (and so in its own pid namespace). */
    boolean sandboxed() {
        return !sandbox.isEmpty();
    }

    /** The cgroup of this launch, if the service has limits. */
    Optional<ServiceCgroup> cgroup() {
        return cgroup;
    }

    /**
     * {@code java} wrapped: first {@code setsid}, which gives it a session of its own, away from
     * the manager's terminal ({@link NewSession}); then the {@link #LAUNCH} shell, which moves
     * itself into the cgroups (so that nothing of the service ever runs outside them), sets the
     * descriptors and becomes the rest; then bubblewrap, which passes descriptors 3 and 4 on;
     * then the JVM.
     */
    List<String> wrap(List<String> java) {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", LAUNCH, "sh"));
        List<Path> joinFiles = cgroup.map(ServiceCgroup::joinFiles).orElse(List.of());
        command.add(Integer.toString(joinFiles.size()));
        joinFiles.forEach(f -> command.add(f.toString()));
        command.addAll(sandbox);
        command.addAll(java);
        return NewSession.wrap(command);
    }
}
