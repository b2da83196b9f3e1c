package io.servicescluster.core.manager;

import io.servicescluster.protocol.Durations;
import io.servicescluster.core.config.ServiceNames;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.RemoteProcess;
import io.servicescluster.core.control.ServiceController;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.protocol.ControlMessage;
import io.servicescluster.protocol.ControlMessage.Spawn;
import io.servicescluster.protocol.ControlMessage.SpawnResult;
import io.servicescluster.protocol.Capabilities;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides (DESIGN: "one place decides"). Every input — a container made, a
 * remote started, a process ended, a timer fired, a user's request — is posted here as a task;
 * the loop applies it to the nodes and then {@link #reconcile()}s: it begins whatever the rules
 * now allow, in dependency order. Slow work (making containers, launching JVMs) runs on
 * {@code work} and posts its result back. All node state is confined to the loop thread, so
 * there are no locks around the graph, and {@code seq} is simply the loop's order.
 *
 * <p>The rules, all applied in {@link #reconcile()}: a container is created once its
 * dependencies' containers exist (R4); a service starts once its dependencies run (R6); a
 * service closes — because the cluster stops, or a dependency stopped running (R9) — only once
 * every dependent is no longer active (R7, R9 deepest first); containers are destroyed once
 * nothing runs and their dependents' containers are gone (R5).
 *
 * <p>Nodes are dynamic: a running service may spawn children (R8, {@link #spawnRequested}). A
 * child is a node that depends on its parent; it is added to the (loop-confined) node list and
 * lives for one run of its parent: once it has closed, or its parent's run ends, it is destroyed
 * and removed, and its parent closes only after that. Readers get the nodes from {@link #nodes()},
 * an immutable snapshot that the loop publishes after each change.
 */
final class DecisionLoop {

    private static final Logger log = LoggerFactory.getLogger(DecisionLoop.class);

    private enum Phase { READY, RUNNING, STOPPING, STOPPED }

    /** Makes the node and container of a child (R8); on the loop, cheap (no I/O). */
    interface NodeMaker {
        ServiceNode make(ServiceSpec spec, ServiceNode parent, int parentGeneration);
    }

    /** Loop-confined, in topological order: every node after its dependencies (children are appended). */
    private final List<ServiceNode> nodes;
    /** A reversed view of {@link #nodes}. */
    private final List<ServiceNode> reversed;
    /** The nodes by name, in {@link #nodes} order, for other threads: replaced after each change. */
    private volatile Map<String, ServiceNode> published;
    private final String clusterName;
    private final NodeMaker nodeMaker;
    private final List<ClusterListener> listeners;
    private final ExecutorService loop;
    private final ExecutorService work;
    private final ScheduledExecutorService timers;
    private final Liveness liveness;

    private Phase phase = Phase.READY;
    private long seq;
    final CompletableFuture<Void> startupSettled = new CompletableFuture<>();
    final CompletableFuture<Void> idle = new CompletableFuture<>();
    final CompletableFuture<Void> terminated = new CompletableFuture<>();

    DecisionLoop(String clusterName, List<ServiceNode> nodesInTopologicalOrder, NodeMaker nodeMaker,
            List<ClusterListener> listeners, ExecutorService loop, ExecutorService work, ScheduledExecutorService timers,
            Liveness liveness) {
        this.clusterName = clusterName;
        this.nodeMaker = nodeMaker;
        this.nodes = new ArrayList<>(nodesInTopologicalOrder);
        this.reversed = this.nodes.reversed();
        publish();
        this.listeners = List.copyOf(listeners);
        this.loop = loop;
        this.work = work;
        this.timers = timers;
        this.liveness = liveness;
    }

    /** Every node by name, children included, in dependency order: a snapshot. Safe from any thread. */
    Map<String, ServiceNode> nodes() {
        return published;
    }

    /** Publishes the node list after a change; loop thread (or the constructor) only. */
    private void publish() {
        Map<String, ServiceNode> byName = new LinkedHashMap<>();
        nodes.forEach(n -> byName.put(n.name(), n));
        published = Collections.unmodifiableMap(byName);
    }

    /** Runs {@code input} on the loop, then reconciles. Safe from any thread. */
    void post(Runnable input) {
        try {
            loop.execute(() -> {
                try {
                    input.run();
                    reconcile();
                } catch (RuntimeException | Error e) {
                    log.error("the decision loop failed on an input; the cluster may be inconsistent", e);
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("input after the loop ended, ignored");
        }
    }

    void start() {
        post(() -> {
            if (phase == Phase.READY) {
                phase = Phase.RUNNING;
            }
        });
    }

    void stop() {
        post(() -> {
            if (phase == Phase.READY || phase == Phase.RUNNING) {
                phase = Phase.STOPPING;
            }
        });
    }

    /** Closes one service (its dependents first, R7) and keeps it down. */
    void stopService(ServiceNode node) {
        post(() -> {
            node.wanted = false;
            node.restartPending = false;
        });
    }

    /**
     * Closes one service (its dependents first, R7) and starts it again, then the dependents that
     * closed for it (R6); starts it if it is down.
     */
    void restartService(ServiceNode node) {
        post(() -> {
            node.wanted = true;
            node.restartPending = false;
            node.cycling = node.state().isActive();
            node.cycleCause = null;
        });
    }

    // ---- the rules ----------------------------------------------------------------------

    private void reconcile() {
        if (phase == Phase.RUNNING) {
            for (ServiceNode node : nodes) {
                if (node.state() == ServiceState.NEW && all(node.dependencies, DecisionLoop::containerExists)
                        && !(node.isChild() && spent(node))) {
                    beginCreate(node);
                }
            }
            for (ServiceNode node : nodes) {
                if (node.wanted && !node.restartPending && node.state().isIdleInContainer()
                        && node.children.isEmpty() && !(node.isChild() && spent(node))
                        && all(node.dependencies, this::staysRunning)) {
                    beginStart(node);
                }
            }
        }
        for (ServiceNode node : reversed) {
            // children are destroyed and removed before their parent closes (R8)
            if (node.state() == ServiceState.RUNNING && mustClose(node) && node.children.isEmpty()
                    && all(node.dependents, d -> !d.state().isActive())) {
                beginClose(node);
            }
        }
        retireChildren();
        if (phase == Phase.STOPPING && nodes.stream().noneMatch(n -> n.state().isBusy() || n.state().isActive())) {
            for (ServiceNode node : reversed) {
                if (node.state().isIdleInContainer() && all(node.dependents, DecisionLoop::containerGone)) {
                    beginDestroy(node);
                }
            }
            if (all(nodes, DecisionLoop::containerGone)) {
                phase = Phase.STOPPED;
                terminated.complete(null);
            }
        }
        // start-up is about the declared services; children come and go with their parents
        if (phase != Phase.READY && nodes.stream().noneMatch(n -> !n.isChild() && mayStillStart(n))) {
            startupSettled.complete(null);
            if (nodes.stream().noneMatch(n -> n.state().isActive())) {
                idle.complete(null);
            }
        }
    }

    /**
     * Whether a running {@code node} must close: the cluster stops, it is not wanted, or some
     * dependency is not running or must close itself — transitively, so that every dependent of a
     * crashed service closes, deepest first (R9).
     */
    private boolean mustClose(ServiceNode node) {
        return mustClose(node, new HashMap<>());
    }

    private boolean mustClose(ServiceNode node, Map<ServiceNode, Boolean> known) {
        Boolean result = known.get(node);
        if (result == null) {
            result = phase != Phase.RUNNING || !node.wanted || node.cycling || node.dependencies.stream()
                    .anyMatch(d -> d.state() != ServiceState.RUNNING || mustClose(d, known));
            known.put(node, result);
        }
        return result;
    }

    /**
     * Whether a child's time is over (R8): it ran and closed, will not start (failed, stopped), or
     * the run of its parent that spawned it ended or is ending. A spent child is destroyed and removed.
     */
    private boolean spent(ServiceNode child) {
        ServiceNode parent = child.parent;
        return child.generation > 0 || !child.wanted || phase != Phase.RUNNING
                || parent.generation != child.parentGeneration || parent.state() != ServiceState.RUNNING
                || mustClose(parent);
    }

    /** Destroys spent children (their own children first, R5) and removes those that never got a container. */
    private void retireChildren() {
        for (ServiceNode node : List.copyOf(reversed)) {
            if (!node.isChild() || !spent(node) || !all(node.dependents, DecisionLoop::containerGone)) {
                continue;
            }
            if (node.state() == ServiceState.NEW) {
                answerSpawn(node, notStarted(node));
                remove(node);
            } else if (node.state().isIdleInContainer()) {
                node.wanted = false;
                answerSpawn(node, notStarted(node));
                beginDestroy(node);
            }
        }
    }

    private static String notStarted(ServiceNode child) {
        return "'" + child.name() + "' was not started: its parent '" + child.parent.name() + "' stopped running"
                + child.status().problem().map(p -> " (" + p + ")").orElse("");
    }

    /** Takes a destroyed (or never created) child out of the graph; its name is free again (R2). */
    private void remove(ServiceNode child) {
        nodes.remove(child);
        child.parent.dependents.remove(child);
        child.parent.children.remove(child);
        publish();
    }

    /** Whether {@code node} runs and is not about to close: only then may its dependents start or keep running. */
    private boolean staysRunning(ServiceNode node) {
        return node.state() == ServiceState.RUNNING && !mustClose(node);
    }

    /** Whether {@code node} is on its way to running: starting now, or startable once its dependencies are. */
    private boolean mayStillStart(ServiceNode node) {
        if (node.state() == ServiceState.STARTING) {
            return true;
        }
        boolean startable = node.state() == ServiceState.NEW || node.state() == ServiceState.CREATING
                || node.state().isIdleInContainer();
        return phase == Phase.RUNNING && node.wanted && startable
                && all(node.dependencies, d -> d.state() == ServiceState.RUNNING || mayStillStart(d));
    }

    private static boolean containerExists(ServiceNode node) {
        return node.state().compareTo(ServiceState.CREATED) >= 0 && node.state().compareTo(ServiceState.CLOSED) <= 0;
    }

    private static boolean containerGone(ServiceNode node) {
        return node.state() == ServiceState.NEW || node.state() == ServiceState.DESTROYED;
    }

    private static boolean all(List<ServiceNode> nodes, Predicate<ServiceNode> condition) {
        for (ServiceNode node : nodes) {
            if (!condition.test(node)) {
                return false;
            }
        }
        return true;
    }

    // ---- transitions --------------------------------------------------------------------

    private void beginCreate(ServiceNode node) {
        node.moveTo(ServiceState.CREATING);
        work.execute(() -> {
            try {
                node.container.create();
                post(() -> {
                    node.moveTo(ServiceState.CREATED);
                    emit(node, Type.CREATED, createdDetails(node));
                });
            } catch (ContainerException | RuntimeException e) {
                post(() -> {
                    node.moveTo(ServiceState.CREATED);
                    node.wanted = false;
                    node.problem(e.getMessage());
                    emit(node, Type.FAILED, "reason", "container: " + e.getMessage());
                    answerSpawn(node, "cannot create the container of '" + node.name() + "': " + e.getMessage());
                });
            }
        });
    }

    /**
     * A {@code created} event names the service's dependencies (a child's is its parent, R8), so
     * that an event log alone shows the graph its order obeys ({@code svc verify}).
     */
    private static Map<String, Object> createdDetails(ServiceNode node) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (node.isChild()) {
            details.put("parent", node.parent.name());
        }
        details.put("dependsOn", node.dependencies.stream().map(ServiceNode::name).toList());
        return details;
    }

    private void beginStart(ServiceNode node) {
        int generation = ++node.generation;
        node.lostReason = null;
        node.capabilityKey = Capabilities.newKey();
        node.moveTo(ServiceState.STARTING);
        emit(node, Type.STARTING);
        long timeout = node.spec.startTimeout().toMillis();
        node.timer = timers.schedule(() -> post(() -> startTimedOut(node, generation)), timeout, TimeUnit.MILLISECONDS);
        work.execute(() -> {
            try {
                // before the launch: a missing jar is named, and no JVM is started for nothing
                List<Path> classpath = StartInstructions.classpath(node.spec);
                RemoteProcess remote = node.container.launch(node.spec.startTimeout());
                post(() -> launched(node, generation, remote, classpath));
            } catch (ContainerException | RuntimeException e) {
                post(() -> startFailed(node, generation, e.getMessage()));
            }
        });
    }

    private void launched(ServiceNode node, int generation, RemoteProcess remote, List<Path> classpath) {
        if (!current(node, generation, ServiceState.STARTING)) {
            remote.kill();
            return;
        }
        node.remote = remote;
        node.pid(remote.pid());
        remote.onExit().thenAccept(exit -> post(() -> exited(node, generation, exit)));
        node.controller = new ServiceController(node.name(), remote, new NodeReports(this, node, generation));
        node.controller.begin(StartInstructions.code(node, classpath), StartInstructions.dependencyEndpoints(node), timers, liveness.interval(), liveness.timeout());
    }

    void started(ServiceNode node, int generation) {
        if (current(node, generation, ServiceState.STARTING)) {
            node.cancelTimer();
            node.moveTo(ServiceState.RUNNING);
            emit(node, Type.RUNNING);
            answerSpawn(node, null);
        }
    }

    void startFailed(ServiceNode node, int generation, String reason) {
        if (current(node, generation, ServiceState.STARTING)) {
            fail(node, Type.FAILED, reason, Map.of());
        }
    }

    private void startTimedOut(ServiceNode node, int generation) {
        startFailed(node, generation, "start timed out after " + Durations.format(node.spec.startTimeout()));
    }

    void closed(ServiceNode node, int generation, String error) {
        if (current(node, generation, ServiceState.CLOSING)) {
            node.cancelTimer();
            node.moveTo(ServiceState.CLOSED);
            if (error.isEmpty()) {
                emit(node, Type.CLOSED);
            } else {
                emit(node, Type.CLOSED, "error", error);
            }
        }
    }

    private void closeTimedOut(ServiceNode node, int generation) {
        if (current(node, generation, ServiceState.CLOSING)) {
            node.remote.kill();
            node.moveTo(ServiceState.CLOSED);
            emit(node, Type.CLOSED, "reason",
                    "killed: close took longer than " + Durations.format(node.spec.closeTimeout()));
        }
    }

    void connectionLost(ServiceNode node, int generation, String reason, boolean explainsEnd) {
        if (node.generation == generation && node.state().isActive() && node.remote != null) {
            if (explainsEnd) {
                node.lostReason = reason;
            }
            node.remote.kill();
        }
    }

    private void exited(ServiceNode node, int generation, RemoteProcess.Exit exit) {
        if (node.generation != generation) {
            return;
        }
        String reason = exit.outOfMemory() ? "out of memory"
                : node.lostReason != null ? node.lostReason
                : "process " + exit.description();
        Map<String, Object> code = exit.exitCode() >= 0 ? Map.of("exitCode", exit.exitCode()) : Map.of();
        switch (node.state()) {
            case STARTING -> fail(node, Type.FAILED, reason + " during start", code);
            case RUNNING -> {
                if (exit.exitCode() == 0 && node.lostReason == null) {
                    endedOfItsOwnAccord(node);
                } else {
                    fail(node, Type.CRASHED, reason, code);
                }
            }
            case CLOSING -> {
                if (exit.exitCode() == 0) {
                    closed(node, generation, "");
                } else {
                    fail(node, Type.CRASHED, reason + " while closing", code);
                }
            }
            default -> { }
        }
    }

    /** Ends a start or a run that went wrong: the event, the process killed, then {@code closed}. */
    private void fail(ServiceNode node, Type type, String reason, Map<String, Object> details) {
        // A dependency ended under it (R9), or a restart was asked: not its own failure.
        boolean meantToCycle = node.cycling;
        node.cancelTimer();
        // Kill first: a remote that saw its connection close first would report a lost
        // connection in its last output line, which is not what happened.
        if (node.remote != null) {
            node.remote.kill();
        }
        if (node.controller != null) {
            node.controller.stop();
        }
        node.problem(reason);
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("reason", reason);
        all.putAll(details);
        emit(node, type, all);
        answerSpawn(node, "child '" + node.name() + "' failed to start: " + reason);
        node.moveTo(ServiceState.CLOSED);
        emit(node, Type.CLOSED);
        recycleDependents(node, "dependency " + node.name() + " " + type.wireName(), new HashSet<>());
        if (!meantToCycle) {
            decideRestart(node, true);
        } // else it stays wanted and starts again once its dependencies run, like a dependent R9 closed
    }

    /** The service's process exited with status 0 while running: not a failure, but not a close either. */
    private void endedOfItsOwnAccord(ServiceNode node) {
        node.cancelTimer();
        node.controller.stop();
        node.moveTo(ServiceState.CLOSED);
        emit(node, Type.CLOSED, "reason", "exited of its own accord");
        recycleDependents(node, "dependency " + node.name() + " exited", new HashSet<>());
        decideRestart(node, false);
    }

    /**
     * R9 for a service that ended unasked: its active dependents, transitively, were connected to
     * the process that is gone, so each must close and start again — even when the service runs
     * again before their turn to close comes (a dependent still starting closes once it runs).
     */
    private static void recycleDependents(ServiceNode node, String cause, Set<ServiceNode> seen) {
        for (ServiceNode dependent : node.dependents) {
            if (dependent.state().isActive() && seen.add(dependent)) {
                dependent.cycling = true;
                dependent.cycleCause = cause;
                recycleDependents(dependent, cause, seen);
            }
        }
    }

    /** After a service ended unasked: restart it later, give up on it, or leave it down (SPEC §4 restart). */
    private void decideRestart(ServiceNode node, boolean failure) {
        if (phase != Phase.RUNNING) {
            return;
        }
        switch (node.restarts.decide(Instant.now(), failure)) {
            case RestartTracker.StayDown stay -> node.wanted = false;
            case RestartTracker.GiveUp giveUp -> {
                node.wanted = false;
                node.problem(giveUp.reason());
                emit(node, Type.FAILED, "reason", giveUp.reason());
            }
            case RestartTracker.Restart restart -> {
                node.restartPending = true;
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("attempt", restart.attempt());
                details.put("backoff", Durations.format(restart.delay()));
                emit(node, Type.RESTARTING, details);
                node.timer = timers.schedule(() -> post(() -> node.restartPending = false),
                        restart.delay().toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void beginClose(ServiceNode node) {
        int generation = node.generation;
        String reason = closeReason(node);
        node.moveTo(ServiceState.CLOSING);
        emit(node, Type.CLOSING, "reason", reason);
        long timeout = node.spec.closeTimeout().toMillis();
        node.timer = timers.schedule(() -> post(() -> closeTimedOut(node, generation)), timeout, TimeUnit.MILLISECONDS);
        node.controller.requestClose();
    }

    /**
     * Why a running {@code node} closes now, for its {@code closing} event (docs/operations.md):
     * {@code cluster stopping}, {@code asked to stop}, {@code asked to restart}, or the
     * dependency where the cause began: {@code dependency db crashed} (also {@code failed},
     * {@code exited}), {@code dependency db is stopping}, {@code dependency db is restarting}.
     */
    private String closeReason(ServiceNode node) {
        if (phase != Phase.RUNNING) {
            return "cluster stopping";
        }
        if (node.cycling && node.cycleCause != null) {
            return node.cycleCause;
        }
        if (!node.wanted) {
            return "asked to stop";
        }
        if (node.cycling) {
            return "asked to restart";
        }
        for (ServiceNode dependency : node.dependencies) {
            if (dependency.state() != ServiceState.RUNNING) {
                return "dependency " + dependency.name() + " is not running";
            }
            if (mustClose(dependency)) {
                return switch (closeReason(dependency)) {
                    case "asked to stop" -> "dependency " + dependency.name() + " is stopping";
                    case "asked to restart" -> "dependency " + dependency.name() + " is restarting";
                    case String theirs -> theirs; // names the dependency where it began
                };
            }
        }
        throw new AssertionError(node.name() + " closes without a cause");
    }

    private void beginDestroy(ServiceNode node) {
        node.moveTo(ServiceState.DESTROYING);
        work.execute(() -> {
            node.container.destroy();
            post(() -> {
                node.moveTo(ServiceState.DESTROYED);
                emit(node, Type.DESTROYED);
                if (node.isChild()) {
                    remove(node);
                }
            });
        });
    }

    private static boolean current(ServiceNode node, int generation, ServiceState expected) {
        return node.generation == generation && node.state() == expected;
    }

    /** Kills every remote at once, without ordering: the second Ctrl-C. Safe from any thread. */
    void killAll() {
        for (ServiceNode node : published.values()) {
            node.container.kill();
        }
    }

    // ---- children (R8) --------------------------------------------------------------------

    /**
     * A running service asks to spawn a child. Refused, with the reason, unless the parent has
     * {@code permissions.spawn}, runs and stays running, and the name is valid (R1) and free in the
     * whole cluster, children included (R2). Otherwise the child becomes a node that depends on
     * the parent, with the parent's container kind, permissions, resources and timeouts, and
     * restart policy {@code never}; {@link #reconcile} creates and starts it, and the parent is
     * answered once it runs ({@link #answerSpawn}).
     */
    void spawnRequested(ServiceNode parent, int generation, Spawn request) {
        if (parent.generation != generation || parent.controller == null) {
            return; // from an earlier start, whose remote is gone
        }
        String refusal = spawnRefusal(parent, request);
        if (refusal != null) {
            log.debug("{}: spawn of '{}' refused: {}", parent.name(), request.childName(), refusal);
            parent.controller.spawnResult(new SpawnResult(request.requestId(), "spawn refused: " + refusal, "", ""));
            return;
        }
        ServiceSpec spec = StartInstructions.childSpec(parent, request);
        ServiceNode child;
        try {
            child = nodeMaker.make(spec, parent, generation);
        } catch (RuntimeException e) {
            parent.controller.spawnResult(new SpawnResult(request.requestId(),
                    "spawn failed: cannot make the container of '" + spec.name() + "': " + e.getMessage(), "", ""));
            return;
        }
        child.spawnRequest = request.requestId();
        child.dependencies.add(parent);
        parent.dependents.add(child);
        parent.children.add(child);
        nodes.add(child);
        publish();
    }

    private String spawnRefusal(ServiceNode parent, Spawn request) {
        if (!parent.spec.permissions().spawn()) {
            return "permissions.spawn is false for '" + parent.name() + "'";
        }
        if (parent.state() == ServiceState.STARTING) {
            return "'" + parent.name() + "' is still starting: a child starts only once its parent runs (R6, R8);"
                    + " spawn after start has returned";
        }
        if (parent.state() != ServiceState.RUNNING || mustClose(parent)) {
            return "'" + parent.name() + "' is closing";
        }
        var badName = ServiceNames.problem(request.childName());
        if (badName.isPresent()) {
            return badName.get();
        }
        if (published.containsKey(request.childName())) {
            ServiceNode existing = published.get(request.childName());
            return "a service named '" + request.childName() + "' already exists in cluster '" + clusterName + "'"
                    + (existing.isChild() ? " (a child of '" + existing.parent.name() + "')" : "")
                    + " (R2: names are unique, children included)";
        }
        return null;
    }

    /**
     * Answers the parent's pending spawn of {@code child}, once: with the child's data endpoint and
     * a capability for the parent ({@code error} null: the child runs), or with the error. Nothing
     * is sent if the parent's run that asked has ended.
     */
    private void answerSpawn(ServiceNode child, String error) {
        Long request = child.spawnRequest;
        if (request == null) {
            return;
        }
        child.spawnRequest = null;
        ServiceNode parent = child.parent;
        if (parent.generation != child.parentGeneration || parent.controller == null || !parent.state().isActive()) {
            return;
        }
        if (error == null) {
            parent.controller.spawnResult(new SpawnResult(request, "", child.remote.dataEndpoint(),
                    Capabilities.capability(child.capabilityKey, parent.name())));
        } else {
            parent.controller.spawnResult(new SpawnResult(request, error, "", ""));
        }
    }

    // ---- events -------------------------------------------------------------------------

    private void emit(ServiceNode node, Type type) {
        emit(node, type, Map.of());
    }

    private void emit(ServiceNode node, Type type, String key, Object value) {
        emit(node, type, Map.of(key, value));
    }

    void emit(ServiceNode node, Type type, Map<String, Object> details) {
        ServiceEvent event = new ServiceEvent(++seq, Instant.now(), node.name(), type, details);
        for (ClusterListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                log.warn("a cluster listener failed on {}", event, e);
            }
        }
    }

    void output(ServiceNode node, ControlMessage.OutputStream stream, String line) {
        for (ClusterListener listener : listeners) {
            try {
                listener.onOutput(node.name(), stream, line);
            } catch (RuntimeException e) {
                log.warn("a cluster listener failed on output of {}", node.name(), e);
            }
        }
    }

    void exception(ServiceNode node, ExceptionReport report) {
        for (ClusterListener listener : listeners) {
            try {
                listener.onException(node.name(), report);
            } catch (RuntimeException e) {
                log.warn("a cluster listener failed on an exception of {}", node.name(), e);
            }
        }
    }
}
