package io.servicescluster.core.container.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.SecretSpec;
import com.github.dockerjava.api.model.Task;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.ContainerEnvironment;
import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.RemoteProcess;
import io.servicescluster.core.container.ServiceContainer;
import io.servicescluster.core.container.support.ClusterCa;
import io.servicescluster.core.container.support.ControlSocket;
import io.servicescluster.core.container.support.RemoteRuntime;
import io.servicescluster.protocol.TlsCredentials;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A service on a Docker Swarm (docs/multi-host.md): each start is a swarm service with one task
 * ({@link TaskRecipe}), placed by the swarm on any node its placement allows. The remote
 * connects back to this container's control socket, which listens with mutual TLS on the
 * manager's advertised address ({@link ControlSocket#bindTls}); each start gets a key and
 * certificate of its own from the cluster's CA, handed over as a swarm secret (the swarm carries
 * it to the node over its own TLS and shows it to that task alone, in memory). Its data plane
 * listens with TLS on its node's address, which the swarm says ({@link SwarmEngine#nodeAddress}).
 */
final class SwarmContainer implements ServiceContainer {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** The first wait for the hello before the task's state is read; doubled up to {@link #MAX_STEP_MILLIS}. */
    private static final long FIRST_STEP_MILLIS = 250;
    private static final long MAX_STEP_MILLIS = 2000;

    private final ServiceSpec spec;
    private final ContainerEnvironment environment;
    private final SwarmContainerFactory factory;
    private final SwarmOptions options;
    private final TaskRecipe recipe;
    private final List<SwarmRemote> remotes = new CopyOnWriteArrayList<>();
    private final AtomicInteger starts = new AtomicInteger();
    private final ReentrantLock launching = new ReentrantLock();
    private volatile SwarmEngine engine;
    private volatile ClusterCa ca;
    private volatile ControlSocket socket;
    private volatile boolean destroyed;

    SwarmContainer(ServiceSpec spec, ContainerEnvironment environment, SwarmContainerFactory factory) {
        this.spec = spec;
        this.environment = environment;
        this.factory = factory;
        this.options = factory.settings().complete(spec.options(SwarmOptions.class).orElse(SwarmOptions.DEFAULT));
        this.recipe = new TaskRecipe(spec, environment, options);
    }

    @Override
    public String kind() {
        return SwarmKind.NAME;
    }

    /** Always: the root file system is read-only, the work directory (a volume of its node) the only writable place. */
    @Override
    public boolean confinesWrites() {
        return true;
    }

    /** The node the placement pins it to, else the swarm manager's Engine API, which chooses the node at each start. */
    @Override
    public Optional<String> host() {
        return options.node().or(options::engine);
    }

    @Override
    public void create() throws ContainerException {
        TaskRecipe.refuseUnenforceable(spec);
        String advertise = options.advertise().orElseThrow(() -> new ContainerException("'" + spec.name() + "' runs "
                + "on a swarm, whose nodes connect back to the manager: say at which address they reach it, with "
                + "swarm: { advertise: ADDRESS } or SVC_SWARM_ADVERTISE"));
        engine = factory.engine(options.engine().orElseThrow(), options.tls());
        engine.client();
        factory.removeOrphansOnce(engine);
        try {
            Files.createDirectories(environment.workDir()); // the manager's copy stays empty: the work is on the node
            ca = ClusterCa.of(environment.runDir(), environment.clusterName());
            socket = ControlSocket.bindTls(new InetSocketAddress(advertise, 0), ca.manager(), spec.name());
        } catch (IOException e) {
            throw new ContainerException("cannot listen for the remotes of '" + spec.name() + "' at " + advertise
                    + " (swarm.advertise must be an address of this host that the nodes reach): " + e.getMessage(), e);
        }
    }

    /** One launch at a time: a launch ahead given up may still be under way when the next begins. */
    @Override
    public RemoteProcess launch(Duration timeout) throws ContainerException {
        launching.lock();
        try {
            return launchAlone(timeout);
        } finally {
            launching.unlock();
        }
    }

    private RemoteProcess launchAlone(Duration timeout) throws ContainerException {
        ControlSocket control = socket;
        if (control == null || destroyed) {
            throw new ContainerException("the container of '" + spec.name() + "' is not created");
        }
        DockerClient docker = engine.client();
        TlsCredentials credentials;
        try {
            credentials = ca.issue(spec.name(), "start " + starts.incrementAndGet());
        } catch (GeneralSecurityException e) {
            throw new ContainerException("cannot issue a certificate for '" + spec.name() + "': " + e.getMessage(), e);
        }
        String launch = HexFormat.of().formatHex(randomBytes());
        String name = recipe.serviceName(launch);
        RemoteRuntime runtime = factory.runtime();
        List<Path> code = new ArrayList<>(runtime.classpath());
        code.addAll(spec.code().classpath());
        CodeConfigs codeConfigs = factory.codeConfigs(engine, environment.clusterName());
        CodeConfigs.Shipped shipped = codeConfigs.ship(spec.name(), code);
        CompletableFuture<ControlSocket.Handshake> hello = control.expect(credentials.serial());
        String secretId;
        try {
            secretId = docker.createSecretCmd(new SecretSpec().withName(name + "-tls")
                    .withLabels(SwarmLabels.of(environment.clusterName(), spec.name()))
                    .withData(credentials.toPem())) // docker-java encodes it in Base64 for the API
                    .exec().getId();
        } catch (RuntimeException e) {
            hello.cancel(false);
            codeConfigs.release(shipped.names());
            throw new ContainerException("cannot hand '" + spec.name() + "' its certificate as a swarm secret: "
                    + SwarmEngine.describe(e), e);
        }
        String serviceId;
        try {
            serviceId = docker.createServiceCmd(recipe.serviceSpec(launch, control.endpoint(), secretId, name + "-tls",
                    shipped.configs(), runtime, factory.hostNetwork(engine))).exec().getId();
        } catch (RuntimeException e) {
            hello.cancel(false);
            quietly(() -> docker.removeSecretCmd(secretId).exec());
            codeConfigs.release(shipped.names());
            throw new ContainerException("cannot create the swarm service of '" + spec.name() + "' from the image '"
                    + options.image().orElseThrow() + "': " + SwarmEngine.describe(e), e);
        }
        SwarmRemote remote = new SwarmRemote(docker, engine.events(), serviceId, secretId,
                TaskLogs.follow(docker, serviceId, environment.output()), () -> codeConfigs.release(shipped.names()));
        remotes.add(remote);
        remote.onExit().thenAccept(end -> hello.completeExceptionally(new IOException("its task " + end.description()
                + " before connecting")));
        if (destroyed) {
            remote.kill();
            throw new ContainerException("the container of '" + spec.name() + "' was destroyed during the launch");
        }
        return awaitRemote(remote, hello, timeout);
    }

    /**
     * Waits for the remote's hello; meanwhile, at growing intervals, reads its task's state (Docker
     * 20.10 sends no event for it), so that a task the swarm cannot place or start fails at once
     * with the swarm's reason rather than at the start timeout.
     */
    private RemoteProcess awaitRemote(SwarmRemote remote, CompletableFuture<ControlSocket.Handshake> hello,
            Duration timeout) throws ContainerException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long step = FIRST_STEP_MILLIS;
        try {
            while (true) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    String state = remote.task().map(SwarmContainer::describe).orElse("no task yet");
                    remote.kill();
                    throw new ContainerException("the remote of '" + spec.name() + "' did not connect within " + timeout
                            + " (its swarm task: " + state + ")" + remote.logs().summary());
                }
                try {
                    ControlSocket.Handshake handshake = hello.get(Math.min(step, left), TimeUnit.MILLISECONDS);
                    Task task = remote.task().orElseThrow(() -> new ContainerException("the swarm does not say "
                            + "where '" + spec.name() + "' runs"));
                    return remote.connected(handshake.channel(), dataEndpoint(task, handshake.hello().dataEndpoint()),
                            hostPid(task));
                } catch (TimeoutException notYet) {
                    step = Math.min(step * 2, MAX_STEP_MILLIS);
                    Optional<String> hopeless = remote.task().flatMap(SwarmRemote::hopeless);
                    if (hopeless.isPresent()) {
                        remote.kill();
                        throw new ContainerException("the swarm cannot run '" + spec.name() + "': its task is "
                                + hopeless.get() + remote.logs().summary());
                    }
                }
            }
        } catch (ExecutionException e) {
            String state = remote.task().map(SwarmContainer::describe).orElse("gone");
            remote.kill();
            throw new ContainerException("the remote of '" + spec.name() + "' failed: " + e.getCause().getMessage()
                    + " (its swarm task: " + state + ")" + remote.logs().summary());
        } catch (InterruptedException e) {
            remote.kill();
            Thread.currentThread().interrupt();
            throw new ContainerException("interrupted while launching '" + spec.name() + "'");
        }
    }

    /** {@code tls:0.0.0.0:PORT} as the remote bound it, with its node's address, where its dependents reach it. */
    private String dataEndpoint(Task task, String bound) throws ContainerException {
        if (bound == null || bound.isEmpty()) {
            return "";
        }
        return bound.replace("0.0.0.0", engine.nodeAddress(task.getNodeId()));
    }

    /** The task's pid as its node sees it, when its node is this machine; else 0. */
    private long hostPid(Task task) {
        if (task.getStatus() == null || task.getStatus().getContainerStatus() == null || !engine.isThisHost(task.getNodeId())) {
            return 0;
        }
        Long pid = task.getStatus().getContainerStatus().getPidLong();
        return pid == null ? 0 : pid;
    }

    private static String describe(Task task) {
        if (task.getStatus() == null || task.getStatus().getState() == null) {
            return "unknown";
        }
        String err = task.getStatus().getErr();
        return task.getStatus().getState().getValue() + (err == null || err.isBlank() ? "" : ": " + err);
    }

    /** Lets remotes that are exiting by themselves finish, then removes every service still there. */
    @Override
    public void destroy() {
        destroyed = true;
        RemoteRuntime.awaitExits(remotes.stream().map(SwarmRemote::onExit).toList());
        kill();
    }

    /** Removes every service of this container at once, its secrets, the code no service uses any more, the control socket. */
    @Override
    public void kill() {
        destroyed = true;
        for (SwarmRemote remote : remotes) {
            remote.kill();
        }
        for (SwarmRemote remote : remotes) {
            remote.finish(SwarmRemote.FINISH_WAIT_MILLIS); // nothing of a destroyed container runs on
        }
        remotes.clear();
        ControlSocket control = socket;
        if (control != null) {
            control.close();
        }
    }

    private static void quietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            // best effort
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
