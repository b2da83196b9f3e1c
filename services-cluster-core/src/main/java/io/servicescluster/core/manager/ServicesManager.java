package io.servicescluster.core.manager;

import io.servicescluster.core.compile.SourceCompilations;
import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.ClusterValidator;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.ContainerFactory;
import io.servicescluster.core.graph.DependencyGraph;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Runs one cluster: creates a container per service, starts services in dependency order,
 * closes them in reverse order, closes dependents when a service crashes, and destroys the
 * containers at the end (SPEC §2). Made with {@link #builder}; a closed manager is not started
 * again — build a new one.
 *
 * <pre>{@code
 * try (ServicesManager manager = ServicesManager.builder(ClusterFileParser.parse(file))
 *         .listener(event -> System.out.println(event))
 *         .build()) {
 *     manager.start();
 *     manager.awaitRunning(Duration.ofSeconds(30));
 *     ...
 * } // closes every service in order and destroys the containers
 * }</pre>
 *
 * <p>Thread-safe. The methods that wait ({@code await…}, {@link #close}) must not be called from
 * a {@link ClusterListener} callback, which runs on the thread that delivers to every listener.
 */
public final class ServicesManager implements AutoCloseable {

    private final ClusterSpec spec;
    private final DecisionLoop loop;
    private final ManagerThreads threads = new ManagerThreads();
    private final RunDirectory runDirectory;
    private final List<AutoCloseable> resources;
    private final ListenerDispatch dispatch;
    private final SourceCompilations compilations;

    private ServicesManager(Builder builder, DependencyGraph graph, RunDirectory runDirectory) {
        this.spec = builder.spec;
        this.runDirectory = runDirectory;
        this.resources = List.copyOf(builder.resources);
        this.dispatch = ListenerDispatch.onOwnThread(builder.listeners);
        this.compilations = builder.compilations != null ? builder.compilations : SourceCompilations.shared();
        Liveness liveness = builder.liveness();
        NodeWiring wiring = new NodeWiring(spec, builder.factories, builder.stateDir, runDirectory.path(),
                liveness.timeout(), dispatch);
        this.loop = new DecisionLoop(spec.name(), wiring.nodes(graph), wiring,
                threads.ports(liveness, dispatch, compilations), spec.pool());
    }

    /**
     * Where a manager of {@code cluster} keeps its state unless told otherwise ({@link
     * Builder#stateDir}): {@code .svc/CLUSTER} beside the cluster file (or the working directory).
     */
    public static Path defaultStateDir(ClusterSpec cluster) {
        return cluster.baseDir().resolve(".svc").resolve(cluster.name());
    }

    /** The folder of the services' log files in the state folder {@code stateDir}. */
    public static Path logFolder(Path stateDir) {
        return stateDir.resolve("logs");
    }

    /** A builder for a manager of {@code spec}. */
    public static Builder builder(ClusterSpec spec) {
        return new Builder(spec);
    }

    /** The cluster this manager runs. */
    public ClusterSpec spec() {
        return spec;
    }

    /**
     * This manager's private run folder (mode 0700): containers put their control endpoints
     * there (a process container's is the Unix socket {@code SERVICE.sock}). Removed when the
     * manager closes or is killed; a manager that is itself killed leaves it behind.
     */
    public Path runDirectory() {
        return runDirectory.path();
    }

    /**
     * Begins creating and starting every service in dependency order; returns at once. Source
     * services begin compiling now, all at once, while their JVMs are launched (their starts wait
     * for their classes, never the loop).
     */
    public void start() {
        precompile();
        loop.start();
    }

    /** Asks for every declared source service's classes ahead; a start then finds them compiled or on their way. */
    private void precompile() {
        for (ServiceSpec service : spec.services()) {
            if (service.code() instanceof CodeSpec.SourceCode source) {
                try {
                    compilations.compileAsync(source.source(), source.sourceName(),
                            StartInstructions.classpath(service));
                } catch (ContainerException e) {
                    // its start says so
                }
            }
        }
    }

    /**
     * Waits until every declared service runs (children spawned at run time, R8, do not count:
     * they come and go with their parents).
     *
     * @throws ServiceFailureException if some service failed or crashed, or cannot start because
     *     a dependency did; the message names each and why
     * @throws TimeoutException if that is not known within {@code timeout}; the message names the
     *     services not running yet
     */
    public void awaitRunning(Duration timeout) throws TimeoutException, InterruptedException {
        try {
            loop.startupSettled.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("not running after " + timeout + ": " + describeNotRunning());
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        if (declaredStatus().stream().anyMatch(s -> s.state() != ServiceState.RUNNING)) {
            throw new ServiceFailureException("not every service is running: " + describeNotRunning());
        }
    }

    /** The status of the services of the cluster spec, without children. */
    private List<ServiceStatus> declaredStatus() {
        return loop.nodes().values().stream().filter(n -> !n.isChild()).map(ServiceNode::status).toList();
    }

    private String describeNotRunning() {
        return declaredStatus().stream()
                .filter(s -> s.state() != ServiceState.RUNNING)
                .map(s -> s.name() + " (" + s.state().name().toLowerCase(java.util.Locale.ROOT)
                        + s.problem().map(p -> ": " + p).orElse("") + ")")
                .collect(Collectors.joining(", "));
    }

    /** Completes once every declared service is running, or known not to start (failed, or a dependency did). */
    public CompletableFuture<Void> whenStartupSettled() {
        return loop.startupSettled.copy();
    }

    /** Completes once nothing runs and nothing will start: the cluster has ended of its own accord. */
    public CompletableFuture<Void> whenIdle() {
        return loop.idle.copy();
    }

    /** Completes once every container is destroyed after {@link #stop}. */
    public CompletableFuture<Void> whenTerminated() {
        return loop.terminated.copy();
    }

    /** Begins closing every service in reverse dependency order, then destroying the containers. */
    public void stop() {
        loop.stop();
    }

    /**
     * Closes one service — its dependents first (R7) — and keeps it down until
     * {@link #restart(String)}.
     *
     * @throws NoSuchElementException if no service has that name
     */
    public void stop(String service) {
        loop.stopService(node(service));
    }

    /**
     * Closes one service and its dependents in order, then starts them again in order; starts
     * the service if it is down (even after it failed).
     *
     * @throws NoSuchElementException if no service has that name
     */
    public void restart(String service) {
        loop.restartService(node(service));
    }

    private ServiceNode node(String service) {
        Map<String, ServiceNode> nodes = loop.nodes();
        ServiceNode node = nodes.get(service);
        if (node == null) {
            throw new NoSuchElementException("no service named '" + service + "' in cluster '" + spec.name()
                    + "' (services: " + String.join(", ", nodes.keySet()) + ")");
        }
        return node;
    }

    /** Kills every service at once, without ordering or close timeouts, and removes the run folder. */
    public void kill() {
        loop.killAll();
        shutdown();
    }

    /**
     * Snapshots of every service, in dependency order; children spawned at run time (R8) come
     * after the declared services, for as long as they exist.
     */
    public List<ServiceStatus> status() {
        return loop.nodes().values().stream().map(ServiceNode::status).toList();
    }

    /**
     * A snapshot of one service.
     *
     * @throws NoSuchElementException if no service has that name
     */
    public ServiceStatus status(String service) {
        return node(service).status();
    }

    /** The cluster as a tree: each service with its state and dependencies, for people. */
    public String dump() {
        StringBuilder out = new StringBuilder("cluster ").append(spec.name()).append('\n');
        for (ServiceNode node : loop.nodes().values()) {
            ServiceStatus status = node.status();
            out.append("  ").append(node.name()).append(" [").append(status.state().name().toLowerCase(java.util.Locale.ROOT))
                    .append(']');
            status.pid().ifPresent(pid -> out.append(" pid ").append(pid));
            if (node.isChild()) {
                out.append(" (spawned by ").append(node.parent.name()).append(')');
            } else if (!node.spec.dependsOn().isEmpty()) {
                out.append(" <- ").append(String.join(", ", node.spec.dependsOn()));
            }
            status.problem().ifPresent(p -> out.append(" (").append(p).append(')'));
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * Closes every service in order, destroys the containers and waits for it (each close is
     * bounded by its close timeout). Idempotent.
     */
    @Override
    public void close() {
        loop.stop();
        loop.terminated.join();
        shutdown();
    }

    private void shutdown() {
        threads.shutdown();
        dispatch.close();
        closeAll(resources);
        runDirectory.delete();
    }

    /** Closes the manager's own logs, extensions and lock, the last taken first: the lock goes once the logs are written. */
    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources.reversed()) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // nothing more to do at the end
            }
        }
    }

    /** Builds a {@link ServicesManager}. Not thread-safe. */
    public static final class Builder {
        private final ClusterSpec spec;
        private final List<ClusterListener> listeners = new ArrayList<>();
        private final List<AutoCloseable> resources = new ArrayList<>();
        private final Map<String, ContainerFactory> factories = new LinkedHashMap<>();
        private Path stateDir;
        private Path eventLog;
        private Duration heartbeatInterval = Liveness.DEFAULT.interval();
        private Duration heartbeatTimeout = Liveness.DEFAULT.timeout();
        private final List<ManagerExtension> extensions = new ArrayList<>();
        private SourceCompilations compilations;

        private Builder(ClusterSpec spec) {
            this.spec = spec;
            this.stateDir = defaultStateDir(spec);
        }

        /** Adds a listener of events and output. */
        public Builder listener(ClusterListener listener) {
            listeners.add(listener);
            return this;
        }

        /** Writes the JSON Lines event log of SPEC §5 to {@code path} (created or truncated). */
        public Builder eventLog(Path path) {
            this.eventLog = path;
            return this;
        }

        /**
         * The folder for the cluster's state: work directories ({@code work/NAME}). By default
         * {@code .svc/CLUSTER} beside the cluster file (or the working directory).
         */
        public Builder stateDir(Path stateDir) {
            this.stateDir = stateDir.toAbsolutePath();
            return this;
        }

        /** Registers a container kind, replacing one of the same kind found on the class path. */
        public Builder containerFactory(ContainerFactory factory) {
            factories.put(factory.kind(), factory);
            return this;
        }

        /** How often the controller sends a heartbeat to each remote (default 1 s). */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = interval;
            return this;
        }

        /**
         * How long a remote may leave heartbeats unanswered before it is declared
         * {@code crashed} with reason {@code unresponsive} and killed; also how long a remote
         * waits for a silent manager before it ends itself (default 10 s; at least twice the
         * interval).
         */
        public Builder heartbeatTimeout(Duration timeout) {
            this.heartbeatTimeout = timeout;
            return this;
        }

        /**
         * Runs {@code extension} with this manager (such as services-cluster-ops' {@code Operations}:
         * control socket, log files, metrics); extensions open and attach in the order added.
         */
        public Builder extension(ManagerExtension extension) {
            extensions.add(extension);
            return this;
        }

        /**
         * Where source services are compiled and their classes cached (default: {@link
         * SourceCompilations#shared()}, the JVM's one compiler over the user's cache folder).
         */
        public Builder compilations(SourceCompilations compilations) {
            this.compilations = compilations;
            return this;
        }

        private Liveness liveness() {
            return new Liveness(heartbeatInterval, heartbeatTimeout);
        }

        /**
         * Validates the cluster (R1–R3 and container kinds) and makes the manager; no container
         * is made before {@link ServicesManager#start}.
         *
         * @throws InvalidClusterException listing every problem found
         * @throws ClusterRunningException if another manager runs this cluster (the same state folder)
         * @throws UncheckedIOException if the run folder or the event log cannot be made
         */
        public ServicesManager build() {
            List<String> problems = new ArrayList<>(ClusterValidator.problems(spec));
            ContainerKinds.loadFromClassPath(factories, problems);
            ContainerKinds.checkAvailable(spec, factories, problems);
            if (!problems.isEmpty()) {
                throw new InvalidClusterException(problems);
            }
            Map<String, List<String>> dependencies = new LinkedHashMap<>();
            spec.services().forEach(s -> dependencies.put(s.name(), s.dependsOn()));
            try {
                openResources();
                ServicesManager manager = new ServicesManager(this, DependencyGraph.of(dependencies),
                        RunDirectory.create(spec.name()));
                try {
                    for (ManagerExtension extension : extensions) {
                        extension.attach(manager);
                    }
                } catch (IOException e) {
                    manager.shutdown(); // closes the resources: once, not again below
                    resources.clear();
                    throw e;
                }
                return manager;
            } catch (IOException e) {
                closeAll(resources);
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                closeAll(resources);
                throw e;
            }
        }

        /** Takes the cluster's lock, opens the event log and the extensions: each a resource once open. */
        private void openResources() throws IOException {
            // before anything is written to the state folder: a second manager of it must change nothing
            ClusterLock lock = ClusterLock.acquire(spec.name(), stateDir);
            resources.add(lock);
            // by its real path from here on: the sandboxes hide it there, and a link on the way to
            // it (a state folder given as /link/state) would otherwise lead around the cover
            stateDir = lock.stateDir();
            if (eventLog != null) {
                EventLog log = EventLog.open(eventLog);
                listeners.addFirst(log);
                resources.add(log);
            }
            for (ManagerExtension extension : extensions) {
                resources.add(extension);
                listeners.addAll(extension.open(spec, stateDir));
            }
        }
    }
}
