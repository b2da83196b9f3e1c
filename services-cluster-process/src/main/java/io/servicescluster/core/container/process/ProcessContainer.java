package io.servicescluster.core.container.process;

import io.servicescluster.core.config.ClassPath;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.ContainerEnvironment;
import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.RemoteProcess;
import io.servicescluster.core.container.ScratchFolder;
import io.servicescluster.core.container.ServiceContainer;
import io.servicescluster.core.container.support.ControlSocket;
import io.servicescluster.core.container.support.OutputTail;
import io.servicescluster.core.container.support.LineCutter;
import io.servicescluster.core.container.support.RemoteRuntime;
import io.servicescluster.core.container.support.ServiceUids;
import io.servicescluster.protocol.ControlMessage.Hello;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import java.io.BufferedReader;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A service in a child JVM on this machine (the default container). Each launch starts a fresh
 * JVM whose control channel is a pair of pipes made with the process: its stdin and stdout, which
 * a small launch shell moves to descriptors 3 and 4 (see {@link Confinement#wrap}) so that the
 * JVM's own descriptor 1 goes to its stderr pipe. No socket, no listening end, nothing another
 * process could connect to; and no socket set-up on the path to the service's start. It enforces the service's restrictions (R15, docs/sandbox.md): file and network
 * permissions in a bubblewrap sandbox, memory and CPU limits in a cgroup; a restriction this host
 * cannot enforce fails the launch ({@link Confinement}).
 *
 * <p>Sockets: the remote's data socket (only for a service that can have dependents: {@link
 * ContainerEnvironment#servesData}) goes in the folder {@code RUN/SERVICE/_sockets/} (one per launch,
 * {@code RANDOM8.data}: 8 random hex digits, derived from no secret), which a sandbox binds read-write for the service;
 * its data folder {@code RUN/SERVICE/}, the manager's, read-only for it and its dependents; and
 * nothing else of {@code RUN}.
 *
 * <p>Under {@code process: {transport: tls}} both channels are mutual TLS over 127.0.0.1 instead
 * ({@link TlsControl}, R17): what remotes on other hosts use, here on one.
 */
final class ProcessContainer implements ServiceContainer {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** The second of a service's two cgroup names (a service name has no dot: no other service's). */
    private static final String SPARE_SUFFIX = ".2";

    private final ServiceSpec spec;
    private final ContainerEnvironment environment;
    private final RemoteRuntime runtime;
    private final HostTools tools;
    private final Set<Process> processes = ConcurrentHashMap.newKeySet();
    /** Under a root manager, the host user the sandboxed service runs as; known once created. */
    private volatile Optional<ServiceUids.Identity> hostUser = Optional.empty();
    private final ReentrantLock launching = new ReentrantLock();
    private volatile boolean created;
    private volatile boolean destroyed;
    /** The cgroup of the current start's launch, removed when the container is destroyed. */
    private volatile ServiceCgroup cgroup;
    /**
     * The cgroup of the latest spare's launch, removed when the container is destroyed. A spare
     * gets the one of the service's two cgroup names that the current start does not use
     * ({@link #spareCgroupName}), so that it never shares the running remote's limits.
     */
    private volatile ServiceCgroup spareCgroup;
    /** The cgroup name of the current start's launch: the service's name, or after a spare {@link #SPARE_SUFFIX}'d. */
    private volatile String cgroupName;
    /** Under {@code process: {transport: tls}}: the TLS control port and the cluster's CA; null for pipes. */
    private volatile TlsControl tls;

    ProcessContainer(ServiceSpec spec, ContainerEnvironment environment, RemoteRuntime runtime, HostTools tools) {
        this.spec = spec;
        this.environment = environment;
        this.runtime = runtime;
        this.tools = tools;
        this.cgroupName = spec.name();
    }

    /**
     * The folder, inside a service's data folder, where its remote makes its data sockets: the
     * service's own (its user's, read-write in its sandbox), while the data folder around it is
     * the manager's. {@code _} is in no service name (R1), so no child's folder is called so.
     */
    static final String SOCKETS = "_sockets";

    /** The data folder of a declared {@code service} in the run folder {@code runDir} (the manager's). */
    static Path dataFolder(Path runDir, String service) {
        return runDir.resolve(service);
    }

    /**
     * This service's data folder, the manager's: {@code RUN/NAME/} for a declared service; for a
     * child spawned at run time (R8) in a process container, {@code PARENTFOLDER/NAME/}, inside
     * its parent's data folder, which the parent's sandbox binds read-only at its launch — so a
     * sandboxed parent reaches the sockets of children made after it started, and can change
     * nothing on the way to them (a folder of its child swapped for a link: docs/security.md).
     * The sockets themselves lie in its {@link #SOCKETS} folder.
     */
    Path dataFolder() {
        return environment.parent()
                .filter(ProcessContainer.class::isInstance)
                .map(p -> ((ProcessContainer) p).dataFolder().resolve(spec.name()))
                .orElseGet(() -> dataFolder(environment.runDir(), spec.name()));
    }

    /** The folder of this service's data sockets, its own: {@link #SOCKETS} in its data folder. */
    private Path socketFolder() {
        return dataFolder().resolve(SOCKETS);
    }

    /** The data socket folders of the services this one depends on (its parent's, for a child). */
    List<Path> dependencyFolders() {
        List<Path> folders = new ArrayList<>();
        for (String dependency : spec.dependsOn()) {
            Optional<ProcessContainer> parent = environment.parent()
                    .filter(ProcessContainer.class::isInstance).map(ProcessContainer.class::cast)
                    .filter(p -> p.spec.name().equals(dependency));
            folders.add(parent.map(ProcessContainer::dataFolder)
                    .orElseGet(() -> dataFolder(environment.runDir(), dependency)));
        }
        return folders;
    }

    @Override
    public String kind() {
        return "process";
    }

    /** Only in a sandbox: unconfined, the service writes what its user may. */
    @Override
    public boolean confinesWrites() {
        return !spec.unconfined();
    }

    @Override
    public void create() throws ContainerException {
        if (destroyed) {
            throw new ContainerException("the container of '" + spec.name() + "' was destroyed");
        }
        try {
            Files.createDirectories(environment.workDir());
            makeDataFolders();
        } catch (IOException e) {
            throw new ContainerException("cannot create the environment of '" + spec.name() + "': " + e, e);
        }
        if (spec.options(ProcessOptions.class).orElse(ProcessOptions.DEFAULT).transport()
                == ProcessOptions.Transport.TLS) {
            tls = TlsControl.open(spec, environment);
        }
        if (spec.resources().diskBytes().isPresent()) {
            WorkDisk.mount(spec, environment.workDir(), spec.resources().diskBytes().getAsLong());
        }
        if (ServiceUids.managerIsRoot()) {
            handOverToOwnUser();
        }
        created = true;
    }

    /**
     * Makes the data folder and its socket folder, as the manager's user, each a real folder: no
     * service can write in the folders they lie in (the run folder, a parent's data folder: the
     * manager's, read-only in every sandbox), so neither can be a link a service made; checked
     * all the same (links not followed), so that nothing a service made could lead the manager's
     * hand-over or the child's sandbox out of the run folder.
     */
    private void makeDataFolders() throws IOException {
        for (Path folder : List.of(dataFolder(), socketFolder())) {
            if (Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                continue; // made by an earlier start of this container
            }
            if (Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(folder + " is not a folder but a link or a file, which the manager does not "
                        + "follow: refused");
            }
            Files.createDirectory(folder);
        }
    }

    /**
     * Under a root manager a sandboxed service runs as a host user of its own (a spawned child as
     * its parent's: the parent chose its code): its work directory, data socket folder and the
     * {@code files.write} paths the manager makes become that user's (docs/security.md). Every
     * data socket folder, an unconfined service's too, is its cluster's group's (mode 2750: the
     * socket made in it is the group's too), so that dependents — the group's — may connect and
     * no other user may.
     */
    private void handOverToOwnUser() throws ContainerException {
        Path stateDir = environment.workDir().getParent().getParent();
        try {
            ServiceUids.Identity user = environment.parent().filter(ProcessContainer.class::isInstance)
                    .flatMap(p -> ((ProcessContainer) p).hostUser).orElse(null);
            if (user == null) {
                user = ServiceUids.of(stateDir, spec.name());
            }
            ServiceUids.Identity manager = new ServiceUids.Identity(0, user.gid());
            // the data folder stays root's (the group's, to reach the sockets): its service, and
            // a parent of the same user, cannot swap what lies in it (the socket folder, children's)
            ServiceUids.shareWithCluster(dataFolder(), manager);
            if (spec.unconfined()) {
                ServiceUids.shareWithCluster(socketFolder(), manager);
                return;
            }
            // no process of the service runs yet: its work directory cannot change under the walk
            ServiceUids.handOver(environment.workDir(), user);
            // that one entry, never what it holds (an earlier remote's sockets)
            ServiceUids.shareWithCluster(socketFolder(), user);
            ServiceUids.prepareWritePaths(spec.name(), spec.permissions().writePaths(), user);
            hostUser = Optional.of(user);
        } catch (IOException | RuntimeException e) {
            throw new ContainerException("cannot give '" + spec.name() + "' a user of its own (docs/security.md): "
                    + e.getMessage(), e);
        }
    }

    /**
     * One launch at a time: a launch ahead given up may still be under way when the next begins,
     * and each launch ends the earlier remotes and empties the scratch folder (a second one at
     * once would end the first's JVM, or the first the second's).
     */
    @Override
    public RemoteProcess launch(Duration timeout) throws ContainerException {
        launching.lock();
        try {
            return launchAlone(timeout, false);
        } finally {
            launching.unlock();
        }
    }

    @Override
    public boolean launchesSpares() {
        return true;
    }

    /**
     * A spare leaves the current start's remote alone: it ends no earlier remote, empties no
     * scratch folder (an idle remote writes nothing there; {@link #takeSpare} empties it) and
     * runs in a cgroup of its own with the service's limits.
     */
    @Override
    public RemoteProcess launchSpare(Duration timeout) throws ContainerException {
        launching.lock();
        try {
            return launchAlone(timeout, true);
        } finally {
            launching.unlock();
        }
    }

    @Override
    public void takeSpare(RemoteProcess remote) throws ContainerException {
        if (!(remote instanceof ProcessRemote spare) || !processes.contains(spare.process())) {
            throw new ContainerException("the spare remote of '" + spec.name() + "' is not this container's");
        }
        launching.lock();
        try {
            if (destroyed) {
                throw new ContainerException("the container of '" + spec.name() + "' was destroyed");
            }
            endEarlierRemotes(spare.process());
            if (!spare.process().isAlive()) {
                throw new ContainerException("the spare remote of '" + spec.name() + "' ended before its start");
            }
            freshScratch();
            if (spare.cgroup() != null) { // the earlier start's cgroup, emptied, is the next spare's
                spareCgroup = cgroup;
                cgroup = spare.cgroup();
            }
            cgroupName = spareCgroupName();
        } finally {
            launching.unlock();
        }
    }

    /** The cgroup name a spare gets: the one of the service's two that the current start does not use. */
    private String spareCgroupName() {
        return cgroupName.equals(spec.name()) ? spec.name() + SPARE_SUFFIX : spec.name();
    }

    /**
     * Where the cgroup of a launch named {@code name} lies: in the manager's group (named as its
     * run folder); a child's (R8) in its parent's current one, so that the parent's limits bound
     * the parent and all its children together (docs/sandbox.md).
     */
    private Path cgroupPath(String name) {
        return environment.parent().filter(ProcessContainer.class::isInstance)
                .map(p -> ((ProcessContainer) p).cgroup).map(c -> c.path().resolve(name))
                .orElseGet(() -> Path.of(environment.runDir().getFileName().toString(), name));
    }

    private RemoteProcess launchAlone(Duration timeout, boolean spare) throws ContainerException {
        if (!created || destroyed) {
            throw new ContainerException("the container of '" + spec.name() + "' is not created");
        }
        // the class-data flags, decided once, before the sandbox that binds the file they name: a
        // sandboxed JVM cannot write the file, so it only uses one that exists already
        // (the AOT cache is trained by a JVM of its own, unconfined: AotTraining)
        RemoteRuntime launched = spec.unconfined() ? AotTraining.runtimeFor(runtime)
                : AotTraining.runtimeFor(runtime).withExistingClassDataOnly();
        Confinement confinement = Confinement.prepare(spec, environment, tools, launched, dataFolder(),
                dependencyFolders(), hostUser, cgroupPath(spare ? spareCgroupName() : cgroupName));
        confinement.cgroup().ifPresent(c -> {
            if (spare) {
                spareCgroup = c;
            } else {
                cgroup = c;
            }
        });
        TlsControl control = tls;
        TlsControl.Launch secured = control == null ? null : control.prepare(); // a certificate per start (R10)
        Process process = start(confinement, launched, secured, spare);
        OutputTail tail = new OutputTail();
        pump(process.getErrorStream(), tail);
        ControlPipes pipes = secured == null ? ControlPipes.open(process, spec.name(), tail) : null;
        CompletableFuture<ControlSocket.Handshake> connected = secured != null ? secured.handOver(process, tail)
                : pipes.hello().thenApply(hello -> new ControlSocket.Handshake(pipes.channel(), hello));
        try {
            ControlSocket.Handshake handshake = connected.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Hello said = handshake.hello();
            // in a sandbox, found off the way to the start (~1 ms of reads in /proc): the manager
            // asks for it once the service's code is on its way
            CompletableFuture<Long> pid = confinement.sandboxed()
                    ? CompletableFuture.supplyAsync(() -> hostPid(process, said.pid()), ProcessContainer::virtual)
                            // bounded: the manager's decisions wait for it (bubblewrap's pid is the fallback)
                            .completeOnTimeout(process.pid(), 1, TimeUnit.SECONDS)
                    : CompletableFuture.completedFuture(process.pid());
            return new ProcessRemote(process, handshake.channel(), said.dataEndpoint(), tail, pid,
                    confinement.cgroup().orElse(null));
        } catch (TimeoutException e) {
            abandon(process, pipes, connected);
            throw new ContainerException("the remote of '" + spec.name() + "' did not say hello within " + timeout
                    + tail.summary());
        } catch (ExecutionException e) {
            abandon(process, pipes, connected);
            throw new ContainerException("the remote of '" + spec.name() + "' failed: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            abandon(process, pipes, connected);
            Thread.currentThread().interrupt();
            throw new ContainerException("interrupted while launching '" + spec.name() + "'");
        }
    }

    /** Starts the JVM of one launch: confined, with the launch's flags and environment. */
    private Process start(Confinement confinement, RemoteRuntime launched, TlsControl.Launch secured, boolean spare)
            throws ContainerException {
        Path scratch;
        if (spare) {
            scratch = environment.workDir().resolve(ScratchFolder.NAME); // emptied when a start takes it
        } else {
            endEarlierRemotes(null);
            scratch = freshScratch();
        }
        // its own scratch space, not a private /tmp (ScratchFolder); first, so that a jvm option wins
        List<String> options = new ArrayList<>();
        options.add(ScratchFolder.jvmOption(scratch));
        options.addAll(confinement.jvmOptions());
        ProcessBuilder builder = new ProcessBuilder(confinement.wrap(launched.command(spec.name(), options)))
                .directory(environment.workDir().toFile());
        builder.environment().putAll(spec.env()); // first, so that TMPDIR and the SVC_* variables below are the runtime's
        builder.environment().put("TMPDIR", scratch.toString());
        builder.environment().put("SVC_CONTROL", Confinement.CONTROL_ENDPOINT);
        // a class service's class, for the remote to load while it starts (its Preload, ~4 ms off the
        // way to running); only a hint: the code still comes over the control channel, and decides
        builder.environment().putAll(preloadHint());
        // no secret in the environment or on the command line: a sibling may read both (/proc/PID/environ);
        // the socket's name is random and new per launch, derived from nothing secret (docs/security.md)
        if (environment.servesData()) {
            builder.environment().put("SVC_DATA", "unix:" + socketFolder().resolve(
                    HexFormat.of().formatHex(randomBytes(), 0, 4) + ".data"));
        }
        if (secured != null) {
            secured.configure(builder.environment(), environment.servesData());
        }
        builder.environment().put("SVC_WATCHDOG_MS", Long.toString(environment.watchdog().toMillis()));
        Process process;
        try {
            // a sandbox dies with the thread that started it: start it from one that stays
            process = confinement.sandboxed() ? Spawner.start(builder) : builder.start();
        } catch (IOException e) {
            throw new ContainerException("cannot start the JVM of '" + spec.name() + "': " + e.getMessage(), e);
        }
        processes.add(process);
        process.onExit().thenRun(() -> processes.remove(process));
        if (destroyed) { // destroy() ran while this JVM was being started: it must not survive it
            process.destroyForcibly();
            confinement.cgroup().ifPresent(ServiceCgroup::remove); // made by this launch, after kill() removed the others
            throw new ContainerException("the container of '" + spec.name() + "' was destroyed during the launch");
        }
        return process;
    }

    /**
     * For a class service, its class and class path as its code will name them
     * ({@code SVC_PRELOAD_CLASS}, {@code SVC_PRELOAD_CLASSPATH}); nothing for other code, or a class
     * path with an entry that is missing (the start names it).
     */
    private Map<String, String> preloadHint() {
        if (!(spec.code() instanceof CodeSpec.ClassCode code)) {
            return Map.of();
        }
        try {
            List<String> classpath = ClassPath.expand(code.classpath()).stream().map(Path::toString).toList();
            return Map.of("SVC_PRELOAD_CLASS", code.className(),
                    "SVC_PRELOAD_CLASSPATH", String.join(File.pathSeparator, classpath));
        } catch (FileNotFoundException e) {
            return Map.of();
        }
    }

    /** The scratch folder, emptied (or made) for a start and handed to the service's own user. */
    private Path freshScratch() throws ContainerException {
        return ServiceUids.freshScratch(spec.name(), environment.workDir(), hostUser);
    }

    /**
     * Before a new start empties the scratch folder: the remote of an earlier start, closed but
     * still on its way out (flushing its last output), gets the same grace as in {@link #destroy}
     * and is then killed, so that no earlier process of the service writes there any more.
     *
     * @param keep the spare that the new start takes, left alone; or null
     */
    private void endEarlierRemotes(Process keep) {
        awaitOwnExits(keep);
        killRemotes(keep);
        ServiceCgroup earlier = cgroup;
        if (earlier != null) {
            earlier.killAll(); // what an earlier launch left behind (an unconfined one's grandchildren)
        }
    }

    /** A launch that failed: its JVM must not outlive it, nor its channel (the pipes', or one that connected late). */
    private static void abandon(Process process, ControlPipes pipes, CompletableFuture<ControlSocket.Handshake> connected) {
        killTree(process);
        if (pipes != null) {
            pipes.channel().close();
        }
        connected.thenAccept(late -> late.channel().close());
        connected.cancel(false);
    }

    /** Kills the JVM and whatever it started. */
    private static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /**
     * The pid, as this host sees it, of the sandboxed JVM that said hello with {@code innerPid}
     * (its pid in the sandbox's own namespace): the descendant of bubblewrap whose
     * {@code /proc/PID/status} line {@code NSpid} ends with it. That is the process a user sees
     * and may kill; its death ends bubblewrap, whose exit the manager watches. Falls back to
     * bubblewrap's own pid.
     */
    private static long hostPid(Process bubblewrap, long innerPid) {
        // bubblewrap's own children, level by level (two levels: its init, then the JVM): on the
        // path to every confined start, where ProcessHandle.descendants() would read all of /proc
        Deque<Long> todo = new ArrayDeque<>(List.of(bubblewrap.pid()));
        while (!todo.isEmpty() && innerPid > 0) {
            long pid = todo.pop();
            if (innermostPid(pid) == innerPid) {
                return pid;
            }
            Optional<List<Long>> children = children(pid);
            if (children.isEmpty()) { // a kernel without /proc/PID/task/TID/children
                return bubblewrap.descendants().mapToLong(ProcessHandle::pid)
                        .filter(p -> innerPid == innermostPid(p)).findFirst().orElse(bubblewrap.pid());
            }
            todo.addAll(children.get());
        }
        return bubblewrap.pid();
    }

    /** The children of {@code pid} from {@code /proc/PID/task/TID/children}, or empty if the kernel has no such file. */
    private static Optional<List<Long>> children(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        List<Long> children = new ArrayList<>();
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                Path file = thread.resolve("children");
                if (!Files.exists(file)) {
                    return Optional.empty();
                }
                for (String child : Files.readString(file).trim().split("\\s+")) {
                    if (!child.isEmpty()) {
                        children.add(Long.parseLong(child));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone meanwhile: no children
        }
        return Optional.of(children);
    }

    private static long innermostPid(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("NSpid:")) {
                    String[] pids = line.substring("NSpid:".length()).trim().split("\\s+");
                    return pids.length > 1 ? Long.parseLong(pids[pids.length - 1]) : -1;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or no /proc
        }
        return -1;
    }

    private static void virtual(Runnable task) {
        Thread.ofVirtual().name("svc-host-pid").start(task);
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /**
     * Forwards what the JVM writes outside the control channel — its stderr, where its descriptor 1
     * points too (the service's own {@code System.out} travels in the channel) — and keeps the tail
     * for messages.
     */
    private void pump(InputStream stream, OutputTail tail) {
        // a platform thread: a read blocked on a pipe would hold a virtual thread's carrier
        Thread.ofPlatform().daemon().name("svc-pipe-" + spec.name()).start(() -> {
            // lines bounded: a child of the service may write one without end to this pipe
            LineCutter lines = new LineCutter(line -> {
                tail.add(line);
                environment.output().line(OutputStream.STDERR, line);
            });
            try (stream) {
                byte[] buffer = new byte[8192];
                for (int n; (n = stream.read(buffer)) >= 0; ) {
                    lines.accept(buffer, 0, n);
                }
            } catch (IOException ignored) {
                // the process ended; its exit is reported through onExit
            } finally {
                lines.finish();
                tail.end();
            }
        });
    }

    /**
     * Ends the remotes after letting those that are exiting by themselves finish, for at most
     * {@value RemoteRuntime#EXIT_GRACE_MILLIS} ms (why: {@link RemoteRuntime#EXIT_GRACE_MILLIS}).
     * (On JDK 25+ a separate training run makes the AOT cache: {@link AotTraining}.)
     */
    @Override
    public void destroy() {
        destroyed = true; // a launch racing this fails
        awaitOwnExits(null);
        kill();
    }

    /** Kills every remote at once, then removes the cgroup. */
    @Override
    public void kill() {
        destroyed = true;
        killRemotes(null);
        for (ServiceCgroup limits : new ServiceCgroup[] {cgroup, spareCgroup}) {
            if (limits != null) {
                limits.remove();
            }
        }
        if (spec.resources().diskBytes().isPresent()) {
            WorkDisk.unmount(environment.workDir());
        }
        TlsControl control = tls;
        if (control != null) {
            control.close();
        }
    }

    /** Lets the remotes here end by themselves, for at most {@value RemoteRuntime#EXIT_GRACE_MILLIS} ms in all. */
    private void awaitOwnExits(Process keep) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RemoteRuntime.EXIT_GRACE_MILLIS);
        for (Process process : processes) {
            if (process == keep) {
                continue;
            }
            long left = deadline - System.nanoTime();
            try {
                if (left <= 0 || !process.waitFor(left, TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Kills every remote here but {@code keep} at once and waits (at most 5 s each) until they are gone. */
    private void killRemotes(Process keep) {
        List<Process> others = processes.stream().filter(p -> p != keep).toList();
        others.forEach(ProcessContainer::killTree);
        for (Process process : others) {
            process.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
    }
}
