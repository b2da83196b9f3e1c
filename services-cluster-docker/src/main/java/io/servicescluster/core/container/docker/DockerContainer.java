package io.servicescluster.core.container.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.CreateContainerResponse;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.ContainerEnvironment;
import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.RemoteProcess;
import io.servicescluster.core.container.RemoteProcess.Exit;
import io.servicescluster.core.container.ScratchFolder;
import io.servicescluster.core.container.ServiceContainer;
import io.servicescluster.core.container.support.ControlSocket;
import io.servicescluster.core.container.support.RemoteRuntime;
import io.servicescluster.core.container.support.ServiceUids;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
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
 * the manager's user id ({@link ContainerRecipe}).
 *
 * <p>A container is removed as soon as its end is known (the engine's {@code wait}); the rest at
 * {@link #destroy} ({@link EngineContainers}).
 */
final class DockerContainer implements ServiceContainer {

    private static final Logger log = LoggerFactory.getLogger(DockerContainer.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ServiceSpec spec;
    private final ContainerEnvironment environment;
    private final DockerContainerFactory factory;
    private final ContainerRecipe recipe;
    private final EngineContainers containers;
    private volatile ControlSocket socket;
    private volatile boolean destroyed;
    /** Under a root manager, the host user the container runs as; known once created. */
    private volatile Optional<ServiceUids.Identity> hostUser = Optional.empty();
    private final ReentrantLock launching = new ReentrantLock();

    DockerContainer(ServiceSpec spec, ContainerEnvironment environment, DockerContainerFactory factory) {
        this.spec = spec;
        this.environment = environment;
        this.factory = factory;
        this.recipe = new ContainerRecipe(spec, environment, factory);
        this.containers = new EngineContainers(spec.name());
    }

    @Override
    public String kind() {
        return "docker";
    }

    @Override
    public void create() throws ContainerException {
        try {
            Files.createDirectories(environment.workDir());
            Files.createDirectories(recipe.dataFolder(spec.name()));
        } catch (IOException e) {
            throw new ContainerException("cannot create the environment of '" + spec.name() + "': " + e, e);
        }
        factory.removeOrphansOnce();
        factory.engine().requireImage(recipe.image());
        try {
            socket = ControlSocket.bind(environment.runDir().resolve(spec.name() + ".sock"), spec.name());
        } catch (IOException e) {
            throw new ContainerException("cannot create the control socket of '" + spec.name() + "': " + e, e);
        }
        if (ServiceUids.managerIsRoot()) {
            handOverToOwnUser();
        }
    }

    /**
     * Under a root manager the container runs as a host user of the service's own, not as root
     * (docs/security.md): its work directory, data socket folder, control socket and the {@code
     * files.write} paths it makes become that user's.
     */
    private void handOverToOwnUser() throws ContainerException {
        Path stateDir = environment.workDir().getParent().getParent();
        try {
            // a spawned child runs as its parent's user: the parent chose its code
            ServiceUids.Identity user = environment.parent().filter(DockerContainer.class::isInstance)
                    .flatMap(p -> ((DockerContainer) p).hostUser).orElse(null);
            if (user == null) {
                user = ServiceUids.of(stateDir, spec.name());
            }
            // no container of the service runs yet: its work directory cannot change under the walk
            ServiceUids.handOver(environment.workDir(), user);
            ServiceUids.shareWithCluster(recipe.dataFolder(spec.name()), user);
            ServiceUids.prepareWritePaths(spec.name(), spec.permissions().writePaths(), user);
            ServiceUids.handOverEntry(socket.path(), user);
            hostUser = Optional.of(user);
        } catch (IOException | RuntimeException e) {
            throw new ContainerException("cannot give '" + spec.name() + "' a user of its own (docs/security.md): "
                    + e.getMessage(), e);
        }
    }

    private void handOver(Path path, ServiceUids.Identity user) throws ContainerException {
        try {
            ServiceUids.handOverEntry(path, user);
        } catch (IOException e) {
            throw new ContainerException("cannot hand " + path + " over to the user of '" + spec.name() + "': " + e, e);
        }
    }

    /** Always: the root file system is read-only, the binds are the only writable places. */
    @Override
    public boolean confinesWrites() {
        return true;
    }

    /**
     * One launch at a time (a launch ahead given up may still be under way when the next begins),
     * each after every earlier container of the service has ended: none may still write in the
     * work directory while its scratch folder is emptied and handed over.
     */
    @Override
    public RemoteProcess launch(Duration timeout) throws ContainerException {
        launching.lock();
        try {
            endEarlierContainers();
            return launchAlone(timeout);
        } finally {
            launching.unlock();
        }
    }

    /** Lets earlier containers that are exiting finish (the exit grace), then kills and removes what is left. */
    private void endEarlierContainers() throws ContainerException {
        List<CompletableFuture<Exit>> exits = containers.ends();
        if (exits.isEmpty()) {
            return;
        }
        RemoteRuntime.awaitExits(exits);
        containers.removeAll(factory.engine().client());
    }

    private RemoteProcess launchAlone(Duration timeout) throws ContainerException {
        ControlSocket control = socket;
        if (control == null || destroyed) {
            throw new ContainerException("the container of '" + spec.name() + "' is not created");
        }
        DockerClient docker = factory.engine().client();
        String token = HexFormat.of().formatHex(randomBytes());
        String launch = HexFormat.of().formatHex(randomBytes(), 0, 4);
        Path tokenFile = TokenFiles.write(environment.runDir(), spec.name() + "-" + launch, token);
        try {
            if (hostUser.isPresent()) {
                handOver(tokenFile, hostUser.get()); // still 0600: its user alone reads it
            }
            return launch(docker, control, token, launch, tokenFile, timeout);
        } finally {
            TokenFiles.erase(tokenFile); // used once, at the hello: emptied, so the container's bind shows nothing
        }
    }

    private RemoteProcess launch(DockerClient docker, ControlSocket control, String token, String launch,
            Path tokenFile, Duration timeout) throws ContainerException {
        CreateContainerCmd command = recipe.createCommand(docker, control, tokenFile, launch, hostUser);
        CompletableFuture<ControlSocket.Handshake> hello = control.expect(token);
        String id = createContainer(docker, command, hello);
        LogPump logs = new LogPump(environment.output());
        CompletableFuture<Exit> exit = startContainer(docker, id, logs, hello);
        exit.thenAccept(end -> hello.completeExceptionally(new IOException("its container " + end.description()
                + " before connecting" + logs.summary())));
        if (destroyed) {
            DockerRemote.kill(docker, id);
            throw new ContainerException("the container of '" + spec.name() + "' was destroyed during the launch");
        }
        return awaitRemote(docker, id, exit, hello, logs, timeout);
    }

    /** Creates the container (not started yet); on failure, {@code hello} is cancelled and nothing is left. */
    private String createContainer(DockerClient docker, CreateContainerCmd command,
            CompletableFuture<ControlSocket.Handshake> hello) throws ContainerException {
        String id;
        try {
            CreateContainerResponse created = command.exec();
            id = created.getId();
            containers.made(id);
            refuseIgnoredLimits(docker, id, created.getWarnings());
        } catch (RuntimeException e) {
            hello.cancel(false);
            throw new ContainerException("cannot create a Docker container for '" + spec.name() + "' from the image '"
                    + recipe.image() + "': " + DockerEngine.describe(e), e);
        } catch (ContainerException e) {
            hello.cancel(false);
            throw e;
        }
        if (destroyed) {
            containers.remove(docker, id);
            hello.cancel(false);
            throw new ContainerException("the container of '" + spec.name() + "' was destroyed during the launch");
        }
        return id;
    }

    /** Starts container {@code id}, follows its output into {@code logs}: its end, once known. */
    private CompletableFuture<Exit> startContainer(DockerClient docker, String id, LogPump logs,
            CompletableFuture<ControlSocket.Handshake> hello) throws ContainerException {
        try {
            docker.startContainerCmd(id).exec();
            docker.logContainerCmd(id).withFollowStream(true).withStdOut(true).withStdErr(true).exec(logs);
            return containers.exitOf(docker, id, logs);
        } catch (RuntimeException e) {
            containers.remove(docker, id);
            hello.cancel(false);
            throw new ContainerException("cannot start the Docker container of '" + spec.name() + "': "
                    + DockerEngine.describe(e), e);
        }
    }

    /** Waits for the remote in container {@code id} to connect; kills the container if it does not in time. */
    private RemoteProcess awaitRemote(DockerClient docker, String id, CompletableFuture<Exit> exit,
            CompletableFuture<ControlSocket.Handshake> hello, LogPump logs, Duration timeout) throws ContainerException {
        try {
            ControlSocket.Handshake handshake = hello.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            long pid = hostPid(docker, id);
            return new DockerRemote(docker, id, handshake.channel(), handshake.hello().dataEndpoint(), pid, exit);
        } catch (TimeoutException e) {
            DockerRemote.kill(docker, id);
            throw new ContainerException("the remote of '" + spec.name() + "' did not connect within " + timeout
                    + logs.summary());
        } catch (ExecutionException e) {
            DockerRemote.kill(docker, id);
            throw new ContainerException("the remote of '" + spec.name() + "' failed: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            DockerRemote.kill(docker, id);
            Thread.currentThread().interrupt();
            throw new ContainerException("interrupted while launching '" + spec.name() + "'");
        }
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
                containers.remove(docker, id);
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
        RemoteRuntime.awaitExits(containers.ends());
        kill();
    }

    /** Kills every container at once, removes them, then the control socket. */
    @Override
    public void kill() {
        destroyed = true;
        if (!containers.isEmpty()) {
            try {
                containers.removeAll(factory.engine().client());
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
