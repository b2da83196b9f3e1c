package io.servicescluster.core.container.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.api.model.WaitResponse;
import io.servicescluster.core.config.ClassPath;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.Permissions;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.ContainerEnvironment;
import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.RemoteProcess;
import io.servicescluster.core.container.RemoteProcess.Exit;
import io.servicescluster.core.container.ScratchFolder;
import io.servicescluster.core.container.ServiceContainer;
import io.servicescluster.core.container.support.ControlSocket;
import io.servicescluster.core.container.support.RemoteRuntime;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service in Docker containers: each launch creates and starts a fresh container from the
 * service's image, whose JVM runs the remote runtime and connects back over this container's
 * control socket, a Unix domain socket in the manager's private run folder that is bind-mounted
 * into the container (so {@code --network none} still works). See docs/docker.md.
 *
 * <p>Every host path the container sees is mounted at the same path as on the host: the remote
 * runtime's and the service's class path (read-only; never copied into an image), the work
 * directory (read-write), {@code files.read} (read-only) and {@code files.write} (read-write)
 * paths, the service's own data socket folder (read-write) and its dependencies' (read-only), and
 * the control socket. Restrictions map to the engine's own: read-only root file system (no
 * private {@code /tmp}: the service's scratch space is its {@link ScratchFolder}, as in a process
 * container), {@code --network none} unless {@code network: true} (then {@code host}),
 * {@code --memory} (no swap), {@code --cpus}, {@code no-new-privileges}, every capability dropped,
 * the manager's user id.
 *
 * <p>A container is removed as soon as its end is known (the engine's {@code wait}); the rest at
 * {@link #destroy}.
 */
final class DockerContainer implements ServiceContainer {

    private static final Logger log = LoggerFactory.getLogger(DockerContainer.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How long the last output may take to arrive after the engine reported the exit. */
    private static final long DRAIN_MILLIS = 200;
    /** How long removing a container may take. */
    private static final long REMOVE_SECONDS = 30;
    /** What the JVM needs from the host when it is the manager's own JDK ({@link DockerSettings#hostJdk()}). */
    private static final List<String> HOST_JDK_PATHS = List.of("/usr", "/lib", "/lib64", "/etc/alternatives");

    private final ServiceSpec spec;
    private final ContainerEnvironment environment;
    private final DockerContainerFactory factory;
    /** Containers made and not yet removed, with the end of each (when started). */
    private final Map<String, CompletableFuture<Exit>> containers = new ConcurrentHashMap<>();
    /** Removals under way or done, by container id. */
    private final Map<String, CompletableFuture<Void>> removals = new ConcurrentHashMap<>();
    private volatile ControlSocket socket;
    private volatile boolean destroyed;

    DockerContainer(ServiceSpec spec, ContainerEnvironment environment, DockerContainerFactory factory) {
        this.spec = spec;
        this.environment = environment;
        this.factory = factory;
    }

    @Override
    public String kind() {
        return "docker";
    }

    private String image() {
        return spec.options(DockerOptions.class).orElse(DockerOptions.DEFAULT).image().orElse(factory.settings().defaultImage());
    }

    /** The folder of {@code service}'s data sockets: the process container's layout, shared by all kinds. */
    private Path dataFolder(String service) {
        return environment.runDir().resolve(service);
    }

    @Override
    public void create() throws ContainerException {
        try {
            Files.createDirectories(environment.workDir());
            Files.createDirectories(dataFolder(spec.name()));
        } catch (IOException e) {
            throw new ContainerException("cannot create the environment of '" + spec.name() + "': " + e, e);
        }
        factory.removeOrphansOnce();
        factory.engine().requireImage(image());
        try {
            socket = ControlSocket.bind(environment.runDir().resolve(spec.name() + ".sock"), spec.name());
        } catch (IOException e) {
            throw new ContainerException("cannot create the control socket of '" + spec.name() + "': " + e, e);
        }
    }

    /** Always: the root file system is read-only, the binds are the only writable places. */
    @Override
    public boolean confinesWrites() {
        return true;
    }

    @Override
    public RemoteProcess launch(Duration timeout) throws ContainerException {
        ControlSocket control = socket;
        if (control == null || destroyed) {
            throw new ContainerException("the container of '" + spec.name() + "' is not created");
        }
        DockerClient docker = factory.engine().client();
        String token = HexFormat.of().formatHex(randomBytes());
        Path dataSocket = dataFolder(spec.name()).resolve(token.substring(0, 8) + ".data");
        List<String> env = new ArrayList<>(List.of(
                "SVC_CONTROL=" + control.endpoint(),
                "SVC_TOKEN=" + token,
                "SVC_WATCHDOG_MS=" + environment.watchdog().toMillis()));
        if (environment.servesData()) {
            env.add("SVC_DATA=unix:" + dataSocket);
        }
        Path scratch = ScratchFolder.empty(spec.name(), environment.workDir());
        env.add("TMPDIR=" + scratch);
        HostConfig host = hostConfig(control.path());
        String name = containerName(token);
        CompletableFuture<ControlSocket.Handshake> hello = control.expect(token);
        String id;
        try {
            CreateContainerResponse created = docker.createContainerCmd(image())
                    .withName(name)
                    .withLabels(Labels.of(environment.clusterName(), spec.name()))
                    .withEnv(env)
                    .withCmd(command(scratch))
                    .withWorkingDir(environment.workDir().toString())
                    .withUser(user())
                    .withHostConfig(host)
                    .exec();
            id = created.getId();
            containers.put(id, new CompletableFuture<>());
            refuseIgnoredLimits(docker, id, created.getWarnings());
        } catch (RuntimeException e) {
            hello.cancel(false);
            throw new ContainerException("cannot create a Docker container for '" + spec.name() + "' from the image '"
                    + image() + "': " + DockerEngine.describe(e), e);
        } catch (ContainerException e) {
            hello.cancel(false);
            throw e;
        }
        if (destroyed) {
            remove(docker, id);
            hello.cancel(false);
            throw new ContainerException("the container of '" + spec.name() + "' was destroyed during the launch");
        }
        LogPump logs = new LogPump(environment.output());
        CompletableFuture<Exit> exit;
        try {
            docker.startContainerCmd(id).exec();
            docker.logContainerCmd(id).withFollowStream(true).withStdOut(true).withStdErr(true).exec(logs);
            exit = exitOf(docker, id, logs);
        } catch (RuntimeException e) {
            remove(docker, id);
            hello.cancel(false);
            throw new ContainerException("cannot start the Docker container of '" + spec.name() + "': "
                    + DockerEngine.describe(e), e);
        }
        exit.thenAccept(end -> hello.completeExceptionally(new IOException("its container " + end.description()
                + " before connecting" + logs.summary())));
        if (destroyed) {
            kill(docker, id);
            throw new ContainerException("the container of '" + spec.name() + "' was destroyed during the launch");
        }
        try {
            ControlSocket.Handshake handshake = hello.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            long pid = hostPid(docker, id);
            return new DockerRemote(docker, id, handshake.channel(), handshake.hello().dataEndpoint(), pid, exit);
        } catch (TimeoutException e) {
            kill(docker, id);
            throw new ContainerException("the remote of '" + spec.name() + "' did not connect within " + timeout
                    + logs.summary());
        } catch (ExecutionException e) {
            kill(docker, id);
            throw new ContainerException("the remote of '" + spec.name() + "' failed: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            kill(docker, id);
            Thread.currentThread().interrupt();
            throw new ContainerException("interrupted while launching '" + spec.name() + "'");
        }
    }

    /**
     * The end of container {@code id}, from the engine's own {@code wait} (it is not this
     * manager's child, so no pid can be waited for): its status, whether the kernel killed it for
     * its memory limit ({@code State.OOMKilled}) or the JVM ended for want of heap (its last
     * words). The container is removed once that is known.
     */
    private CompletableFuture<Exit> exitOf(DockerClient docker, String id, LogPump logs) {
        CompletableFuture<Long> status = new CompletableFuture<>();
        docker.waitContainerCmd(id).exec(new ResultCallback.Adapter<WaitResponse>() {
            @Override
            public void onNext(WaitResponse response) {
                status.complete(response.getStatusCode() == null ? -1L : response.getStatusCode().longValue());
            }

            @Override
            public void onError(Throwable throwable) {
                status.complete(null); // the engine's answer is lost: ask with inspect below
                super.onError(throwable);
            }

            @Override
            public void onComplete() {
                status.complete(null);
                super.onComplete();
            }
        });
        CompletableFuture<Exit> exit = containers.computeIfAbsent(id, k -> new CompletableFuture<>());
        status.thenCompose(code -> logs.ended().completeOnTimeout(null, DRAIN_MILLIS, TimeUnit.MILLISECONDS)
                        .thenApply(ignored -> code))
                .thenApplyAsync(code -> {
                    boolean killedForMemory = false;
                    long exitCode = code == null ? -1 : code;
                    try {
                        InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(id).exec().getState();
                        killedForMemory = Boolean.TRUE.equals(state.getOOMKilled());
                        if (exitCode < 0 && state.getExitCodeLong() != null) {
                            exitCode = state.getExitCodeLong();
                        }
                    } catch (RuntimeException e) {
                        log.debug("{}: cannot inspect container {} after its exit: {}", spec.name(), id, e.toString());
                    }
                    int codeInt = (int) exitCode;
                    return new Exit(codeInt, describeExit(codeInt, killedForMemory), killedForMemory || logs.outOfMemory());
                })
                .whenComplete((end, error) -> {
                    exit.complete(end != null ? end
                            : new Exit(-1, "ended (the engine's report was lost: " + error + ")", false));
                    remove(docker, id);
                });
        return exit;
    }

    /** {@code exited with code 1}, {@code was killed by signal 9 (SIGKILL)}, or the memory limit. */
    static String describeExit(int code, boolean killedForMemory) {
        if (killedForMemory) {
            return "was killed by the kernel for exceeding its memory limit (exit code " + code + ")";
        }
        return Exit.describeStatus(code);
    }

    /**
     * R15, fail closed: an engine without the memory or CPU controllers accepts the limit with a
     * warning and then ignores it; such a container is removed and the launch fails.
     */
    private void refuseIgnoredLimits(DockerClient docker, String id, String[] warnings) throws ContainerException {
        if (warnings == null) {
            return;
        }
        for (String warning : warnings) {
            String lower = warning.toLowerCase(Locale.ROOT);
            if (lower.contains("limit") && (lower.contains("discarded") || lower.contains("does not support"))) {
                remove(docker, id);
                throw new ContainerException("the docker container cannot enforce " + String.join(", ",
                        spec.resources().describe()) + " for '" + spec.name() + "': the engine says: " + warning);
            }
        }
    }

    private long hostPid(DockerClient docker, String id) {
        try {
            Long pid = docker.inspectContainerCmd(id).exec().getState().getPidLong();
            return pid == null ? 0 : pid;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** The JVM's command line: the image's {@code java} (or the host's), the runtime's flags, limits, the service's options. */
    private List<String> command(Path scratch) {
        RemoteRuntime runtime = factory.runtime();
        DockerSettings settings = factory.settings();
        String java = settings.hostJdk() ? runtime.javaExecutable().toString()
                : spec.options(DockerOptions.class).orElse(DockerOptions.DEFAULT).java().orElse(settings.defaultJava());
        // The class-data file is written by a JVM on the host: only a read-only copy made by the
        // very same JDK is of use in a container, never a writable one.
        RemoteRuntime flags = settings.hostJdk() ? runtime.withExistingClassDataOnly() : runtime.withoutClassData();
        List<String> options = new ArrayList<>();
        options.add(ScratchFolder.jvmOption(scratch)); // first, so that a jvm option wins
        options.addAll(spec.jvm().forService(spec.resources()));
        return new RemoteRuntime(Path.of(java), runtime.classpath(), flags.jvmOptions()).command(spec.name(), options);
    }

    /** The class-data archive, when the container runs the manager's JDK and the archive exists. */
    private Optional<Path> usableArchive(RemoteRuntime runtime) {
        return factory.settings().hostJdk() ? runtime.sharedArchive().filter(Files::isRegularFile) : Optional.empty();
    }

    private HostConfig hostConfig(Path controlSocket) throws ContainerException {
        Permissions permissions = spec.permissions();
        Map<String, Bind> binds = new LinkedHashMap<>();
        RemoteRuntime runtime = factory.runtime();
        if (factory.settings().hostJdk()) {
            for (String path : HOST_JDK_PATHS) {
                readOnly(binds, Path.of(path));
            }
            Path javaHome = realPath(runtime.javaExecutable()).getParent().getParent();
            if (!javaHome.startsWith("/usr")) {
                readOnly(binds, javaHome);
            }
            try (DirectoryStream<Path> javaConfigs = Files.newDirectoryStream(Path.of("/etc"), "java*")) {
                javaConfigs.forEach(p -> readOnly(binds, p)); // Debian's JDKs link their conf here
            } catch (IOException e) {
                // no such folders
            }
            usableArchive(runtime).ifPresent(archive -> readOnly(binds, archive));
        }
        runtime.classpath().forEach(p -> readOnly(binds, p));
        if (spec.code() instanceof CodeSpec.ClassCode code) {
            code.classpath().forEach(p -> readOnly(binds, ClassPath.visiblePath(p))); // a wildcard's folder
        }
        permissions.readPaths().ifPresent(paths -> paths.forEach(p -> readOnly(binds, p)));
        for (String dependency : spec.dependsOn()) {
            readOnly(binds, dataFolder(dependency));
        }
        readWrite(binds, environment.workDir());
        for (Path path : permissions.writePaths()) {
            try {
                Files.createDirectories(path); // a bind needs its source
            } catch (IOException e) {
                throw new ContainerException("the docker container cannot enforce files.write " + path + " for '"
                        + spec.name() + "': the folder cannot be made: " + e.getMessage(), e);
            }
            readWrite(binds, path);
        }
        readWrite(binds, dataFolder(spec.name()));
        binds.put(controlSocket.toString(), new Bind(controlSocket.toString(), new Volume(controlSocket.toString()),
                AccessMode.ro));
        HostConfig host = HostConfig.newHostConfig()
                .withBinds(List.copyOf(binds.values()))
                .withReadonlyRootfs(true)
                // no bridge networks here: a service has either no network at all, or the host's
                .withNetworkMode(permissions.network() ? "host" : "none")
                .withSecurityOpts(List.of("no-new-privileges"))
                .withCapDrop(Capability.ALL)
                .withInit(false);
        spec.resources().memoryBytes().ifPresent(bytes -> host.withMemory(bytes).withMemorySwap(bytes));
        spec.resources().cpus().ifPresent(cpus -> host.withNanoCPUs(Math.round(cpus * 1e9)));
        return host;
    }

    /** Binds {@code path} read-only at the same place, if it exists and no read-write bind has it. */
    private static void readOnly(Map<String, Bind> binds, Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        if (Files.exists(absolute)) {
            binds.putIfAbsent(absolute.toString(), new Bind(absolute.toString(), new Volume(absolute.toString()),
                    AccessMode.ro));
        }
    }

    /** Binds {@code path} read-write at the same place, replacing a read-only bind of it. */
    private static void readWrite(Map<String, Bind> binds, Path path) {
        String absolute = path.toAbsolutePath().normalize().toString();
        binds.put(absolute, new Bind(absolute, new Volume(absolute), AccessMode.rw));
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath();
        }
    }

    /** The manager's own user and group: files in the work directory stay its, and the run folder (0700) is reachable. */
    private String user() throws ContainerException {
        try {
            Object uid = Files.getAttribute(environment.runDir(), "unix:uid");
            Object gid = Files.getAttribute(environment.runDir(), "unix:gid");
            return uid + ":" + gid;
        } catch (IOException | UnsupportedOperationException e) {
            throw new ContainerException("cannot tell the owner of the run folder " + environment.runDir() + ": " + e, e);
        }
    }

    /** {@code svc-CLUSTER-SERVICE-TOKEN8}: unique, and readable in {@code docker ps}. */
    private String containerName(String token) {
        String cluster = environment.clusterName().replaceAll("[^a-zA-Z0-9_.-]", "-");
        return "svc-" + cluster + "-" + spec.name() + "-" + token.substring(0, 8);
    }

    private void kill(DockerClient docker, String id) {
        DockerRemote.kill(docker, id);
    }

    /**
     * Removes container {@code id} (forced: a running one is killed first) and waits until the
     * engine has done so. Callers racing for one container (its exit, {@link #destroy}) share one
     * removal, so none returns while the engine is still at it.
     */
    private void remove(DockerClient docker, String id) {
        CompletableFuture<Void> removal = removals.computeIfAbsent(id, k -> CompletableFuture.runAsync(() -> {
            try {
                docker.removeContainerCmd(id).withForce(true).exec();
            } catch (RuntimeException e) {
                log.debug("{}: removing container {}: {}", spec.name(), id, DockerEngine.describe(e));
            }
        }, task -> Thread.ofVirtual().name("svc-docker-remove").start(task)));
        try {
            removal.get(REMOVE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("{}: the engine did not remove container {} within {} s", spec.name(), id, REMOVE_SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        CompletableFuture<Exit> exit = containers.remove(id);
        if (exit != null && !exit.isDone()) {
            exit.complete(new Exit(-1, "was removed", false));
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /**
     * Lets the remotes that are exiting by themselves finish (at most {@value
     * RemoteRuntime#EXIT_GRACE_MILLIS} ms), then kills and removes every container still there.
     */
    @Override
    public void destroy() {
        destroyed = true;
        List<CompletableFuture<Exit>> exits = List.copyOf(containers.values());
        try {
            CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new))
                    .get(RemoteRuntime.EXIT_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // killed below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill();
    }

    /** Kills every container at once, removes them, then the control socket. */
    @Override
    public void kill() {
        destroyed = true;
        if (!containers.isEmpty()) {
            try {
                DockerClient docker = factory.engine().client();
                for (String id : List.copyOf(containers.keySet())) {
                    remove(docker, id); // forced: kills it first
                }
            } catch (ContainerException e) {
                log.warn("{}: cannot remove its containers: {}", spec.name(), e.getMessage());
            }
        }
        ControlSocket control = socket;
        if (control != null) {
            control.close();
        }
    }
}
