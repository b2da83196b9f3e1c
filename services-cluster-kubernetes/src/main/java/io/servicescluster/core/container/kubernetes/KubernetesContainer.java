package io.servicescluster.core.container.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.ContainerEnvironment;
import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.RemoteProcess;
import io.servicescluster.core.container.RemoteProcess.Exit;
import io.servicescluster.core.container.ServiceContainer;
import io.servicescluster.core.container.support.ClusterCa;
import io.servicescluster.core.container.support.ControlSocket;
import io.servicescluster.core.container.support.OutputTail;
import io.servicescluster.core.container.support.RemoteRuntime;
import io.servicescluster.core.container.support.ServiceUids;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.protocol.TlsCredentials;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service in Kubernetes pods (docs/kubernetes.md): each launch makes a fresh pod from the
 * runtime image ({@link PodRecipe}), whose JVM connects back to this container's TLS control
 * port on the manager's advertised address with a key and certificate issued for that start
 * alone (R17), handed over as a Secret that is deleted once the hello is in. The service's code
 * then comes over that connection, as for every kind. The pod's fate comes from a watch
 * ({@link PodWatch}): a pod that cannot start fails the launch with the API's reason; an ended one
 * is the remote's exit, and is deleted as soon as that is known, with its last log lines read
 * first. Everything the run makes is owned by its {@link RunOwner}.
 */
final class KubernetesContainer implements ServiceContainer {

    private static final Logger log = LoggerFactory.getLogger(KubernetesContainer.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How many of a pod's last log lines are read when it ended. */
    private static final int LOG_LINES = 20;

    private final ServiceSpec spec;
    private final ContainerEnvironment environment;
    private final KubernetesContainerFactory factory;
    private final KubernetesOptions options;
    private final PodRecipe recipe;
    /** The pods made and not yet deleted, with the end of each. */
    private final Map<String, CompletableFuture<Exit>> pods = new ConcurrentHashMap<>();
    private final AtomicInteger starts = new AtomicInteger();
    private final AtomicBoolean released = new AtomicBoolean();
    private final ReentrantLock launching = new ReentrantLock();
    private volatile RunOwner owner;
    private volatile ClusterCa ca;
    private volatile ControlSocket socket;
    private volatile boolean destroyed;

    KubernetesContainer(ServiceSpec spec, ContainerEnvironment environment, KubernetesContainerFactory factory) {
        this.spec = spec;
        this.environment = environment;
        this.factory = factory;
        this.options = KubernetesSettings.complete(spec.options(KubernetesOptions.class).orElse(KubernetesOptions.DEFAULT));
        this.recipe = new PodRecipe(spec, environment, options);
    }

    @Override
    public String kind() {
        return KubernetesKind.NAME;
    }

    /** Always: the root file system is read-only, the work directory and /tmp are the only writable places. */
    @Override
    public boolean confinesWrites() {
        return true;
    }

    /** The Kubernetes API server the pods are made through (the scheduler chooses each pod's node), and the namespace. */
    @Override
    public Optional<String> host() {
        RunOwner run = owner;
        return run == null ? Optional.empty()
                : Optional.of(run.client().getMasterUrl() + " namespace " + run.namespace());
    }

    @Override
    public void create() throws ContainerException {
        recipe.refuseUnenforceable();
        RunOwner made = factory.owner(options, environment.clusterName());
        made.acquire();
        owner = made;
        String advertise = options.advertise().orElseThrow();
        if (options.hostWorkDir().orElse(false)) {
            shareWorkDir();
        }
        try {
            ca = ClusterCa.of(environment.runDir(), environment.clusterName());
            socket = ControlSocket.bindTls(new InetSocketAddress(advertise, 0), ca.manager(), spec.name());
        } catch (IOException e) {
            release();
            throw new ContainerException("cannot listen for the pods of '" + spec.name() + "' on " + advertise
                    + " (kubernetes: {advertise}, an address of this machine): " + e.getMessage(), e);
        }
    }

    /**
     * With {@code hostWorkDir}, the node's folder is the manager's work directory: made now, and
     * under a root manager handed to the pods' user (they never run as root), as a root manager's
     * process and docker containers hand theirs to the service's own user.
     */
    private void shareWorkDir() throws ContainerException {
        try {
            java.nio.file.Files.createDirectories(environment.workDir());
            if (ServiceUids.managerIsRoot()) {
                int uid = (int) options.runAsUser().orElse(KubernetesSettings.DEFAULT_UID);
                ServiceUids.handOver(environment.workDir(), new ServiceUids.Identity(uid, uid));
            }
        } catch (IOException | RuntimeException e) {
            release();
            throw new ContainerException("cannot share the work directory " + environment.workDir() + " of '"
                    + spec.name() + "' with its pods (hostWorkDir): " + e.getMessage(), e);
        }
    }

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
        RunOwner run = owner;
        if (control == null || destroyed) {
            throw new ContainerException("the container of '" + spec.name() + "' is not created");
        }
        KubernetesClient client = run.client();
        String launch = HexFormat.of().formatHex(randomBytes());
        String podName = recipe.podName(launch);
        TlsCredentials credentials;
        try {
            credentials = ca.issue(spec.name(), "start " + starts.incrementAndGet());
        } catch (GeneralSecurityException e) {
            throw new ContainerException("cannot issue a certificate for '" + spec.name() + "': " + e.getMessage(), e);
        }
        CompletableFuture<ControlSocket.Handshake> hello = control.expect(credentials.serial());
        pods.put(podName, new CompletableFuture<>());
        try {
            String secret = client.secrets().inNamespace(run.namespace())
                    .resource(recipe.secret(run, launch, credentials.toPem())).create().getMetadata().getName();
            if (!spec.permissions().network()) {
                client.network().v1().networkPolicies().inNamespace(run.namespace()).resource(recipe.networkPolicy(run,
                        launch, options.advertise().orElseThrow(), port(control))).create();
            }
            client.pods().inNamespace(run.namespace()).resource(recipe.pod(run, launch, control.endpoint(), secret))
                    .create();
        } catch (KubernetesClientException e) {
            hello.cancel(false);
            deletePod(client, run.namespace(), podName, launch);
            throw new ContainerException("cannot make the pod of '" + spec.name() + "' in namespace '" + run.namespace()
                    + "': " + Api.describe(e), e);
        }
        PodWatch watch = PodWatch.of(client, run.namespace(), podName);
        OutputTail tail = new OutputTail();
        CompletableFuture<Exit> exit = pods.computeIfAbsent(podName, k -> new CompletableFuture<>());
        watch.ended().thenApplyAsync(end -> lastWords(client, run.namespace(), podName, end, tail))
                .whenComplete((end, error) -> {
                    watch.close();
                    exit.complete(end != null ? end : new Exit(-1, "ended (" + error + ")", false));
                    deletePod(client, run.namespace(), podName, launch);
                });
        exit.thenAccept(end -> hello.completeExceptionally(new IOException("its pod " + end.description()
                + " before connecting" + tail.summary())));
        watch.unstartable().thenAccept(reason -> hello.completeExceptionally(new IOException(
                "its pod " + run.namespace() + "/" + podName + " cannot start: " + reason)));
        if (destroyed) {
            deletePod(client, run.namespace(), podName, launch);
            throw new ContainerException("the container of '" + spec.name() + "' was destroyed during the launch");
        }
        return awaitRemote(client, run.namespace(), podName, launch, exit, hello, timeout);
    }

    private RemoteProcess awaitRemote(KubernetesClient client, String namespace, String podName, String launch,
            CompletableFuture<Exit> exit, CompletableFuture<ControlSocket.Handshake> hello, Duration timeout)
            throws ContainerException {
        try {
            ControlSocket.Handshake handshake = hello.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            // read by now: the key lives in the remote's memory only (docs/multi-host.md)
            CompletableFuture.runAsync(() -> deleteQuietly(() -> client.secrets().inNamespace(namespace)
                    .withName(podName + "-tls").delete()));
            return new KubernetesRemote(handshake.channel(), handshake.hello().dataEndpoint(), exit,
                    () -> deletePod(client, namespace, podName, launch),
                    factory.pids().pidOf(namespace, podName, handshake.hello().pid()));
        } catch (TimeoutException e) {
            deletePod(client, namespace, podName, launch);
            throw new ContainerException("the remote of '" + spec.name() + "' did not connect within " + timeout
                    + " (pod " + namespace + "/" + podName + ": " + phase(client, namespace, podName) + ")");
        } catch (ExecutionException e) {
            deletePod(client, namespace, podName, launch);
            throw new ContainerException("the remote of '" + spec.name() + "' failed: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            deletePod(client, namespace, podName, launch);
            Thread.currentThread().interrupt();
            throw new ContainerException("interrupted while launching '" + spec.name() + "'");
        }
    }

    /** The pod's last log lines, into the service's output and {@code tail}; {@code end}, noting an out-of-memory exit of the JVM. */
    private Exit lastWords(KubernetesClient client, String namespace, String podName, Exit end, OutputTail tail) {
        try {
            String text = client.pods().inNamespace(namespace).withName(podName).inContainer(PodOutcome.CONTAINER)
                    .tailingLines(LOG_LINES).getLog();
            if (text != null) {
                text.lines().forEach(line -> {
                    tail.add(line);
                    environment.output().line(OutputStream.STDERR, line);
                });
            }
        } catch (KubernetesClientException e) {
            log.debug("{}: cannot read the log of pod {}: {}", spec.name(), podName, Api.describe(e));
        }
        tail.end();
        return tail.outOfMemory() && !end.outOfMemory() ? new Exit(end.exitCode(), end.description(), true) : end;
    }

    /** {@code Pending (ContainerCreating)}, as far as the API says. */
    private static String phase(KubernetesClient client, String namespace, String podName) {
        try {
            Pod pod = client.pods().inNamespace(namespace).withName(podName).get();
            if (pod == null || pod.getStatus() == null) {
                return "not found";
            }
            String waiting = pod.getStatus().getContainerStatuses() == null ? null : pod.getStatus().getContainerStatuses()
                    .stream().filter(c -> c.getState() != null && c.getState().getWaiting() != null)
                    .map(c -> c.getState().getWaiting().getReason()).findFirst().orElse(null);
            return pod.getStatus().getPhase() + (waiting == null ? "" : " (" + waiting + ")");
        } catch (KubernetesClientException e) {
            return Api.describe(e);
        }
    }

    /** Deletes one start's pod at once (no grace: the manager closed it, or gave up on it) and its objects. */
    private void deletePod(KubernetesClient client, String namespace, String podName, String launch) {
        deleteQuietly(() -> client.pods().inNamespace(namespace).withName(podName).withGracePeriod(0).delete());
        deleteQuietly(() -> client.secrets().inNamespace(namespace).withName(podName + "-tls").delete());
        if (!spec.permissions().network()) {
            deleteQuietly(() -> client.network().v1().networkPolicies().inNamespace(namespace).withName(podName).delete());
        }
        CompletableFuture<Exit> exit = pods.remove(podName);
        if (exit != null && !exit.isDone()) {
            exit.complete(new Exit(-1, "ended: its pod was deleted", false));
        }
    }

    private void deleteQuietly(Runnable delete) {
        try {
            delete.run();
        } catch (KubernetesClientException e) {
            log.debug("{}: {}", spec.name(), Api.describe(e));
        }
    }

    private static int port(ControlSocket control) {
        String endpoint = control.endpoint();
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** Lets the remotes that are exiting by themselves finish (at most the exit grace), then deletes every pod left. */
    @Override
    public void destroy() {
        destroyed = true;
        List<CompletableFuture<Exit>> exits = List.copyOf(pods.values());
        try {
            CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new))
                    .get(RemoteRuntime.EXIT_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // deleted below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill();
    }

    @Override
    public void kill() {
        destroyed = true;
        RunOwner run = owner;
        if (run != null) {
            for (String podName : List.copyOf(pods.keySet())) {
                deletePod(run.client(), run.namespace(), podName, podName.substring(podName.lastIndexOf('-') + 1));
            }
        }
        ControlSocket control = socket;
        if (control != null) {
            control.close();
        }
        release();
    }

    private void release() {
        RunOwner run = owner;
        if (run != null && released.compareAndSet(false, true)) {
            run.release();
        }
    }
}
