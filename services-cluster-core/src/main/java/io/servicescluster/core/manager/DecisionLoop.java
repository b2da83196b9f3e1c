package io.servicescluster.core.manager;

import io.servicescluster.core.config.HealthSpec;
import io.servicescluster.core.container.RemoteProcess;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.core.manager.ServiceNode.Goal;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.protocol.ControlMessage.Spawn;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides (DESIGN: "one place decides"). Every input — a container made, a
 * remote started, a process ended, a timer fired, a user's request — is posted here as a task;
 * the loop applies it to the nodes and then {@link #reconcile()}s: it begins whatever the rules
 * now allow, in dependency order. All node state is confined to the loop's thread, so there are
 * no locks around the graph, and {@code seq} is simply the loop's order.
 *
 * <p>The loop does no I/O of its own: time, timers, slow work, the remotes' sessions and where
 * events go are {@link LoopPorts}, so the same loop runs against real processes and, in virtual
 * time, against simulated ones. This class holds the inputs and the rules; {@link Transitions}
 * carries out each step of a service's life, {@link Children} the spawned children (R8).
 *
 * <p>The rules, all applied in {@link #reconcile()}: a container is created once its
 * dependencies' containers exist (R4); a service starts once its dependencies run (R6); a
 * service closes — because the cluster stops, or a dependency stopped running (R9) — only once
 * every dependent is no longer active (R7, R9 deepest first); containers are destroyed once
 * nothing runs and their dependents' containers are gone (R5).
 */
final class DecisionLoop {

    private static final Logger log = LoggerFactory.getLogger(DecisionLoop.class);

    enum Phase { READY, RUNNING, STOPPING, STOPPED }

    /** Makes the node and container of a child (R8); on the loop, cheap (no I/O). */
    interface NodeMaker {
        ServiceNode make(io.servicescluster.core.config.ServiceSpec spec, ServiceNode parent, int parentGeneration);
    }

    /** Loop-confined, in topological order: every node after its dependencies (children are appended). */
    final List<ServiceNode> nodes;
    /** A reversed view of {@link #nodes}. */
    final List<ServiceNode> reversed;
    /** The nodes by name, in {@link #nodes} order, for other threads: replaced after each change. */
    private volatile Map<String, ServiceNode> published;
    final String clusterName;
    final LoopPorts ports;
    private final Transitions transitions;
    private final Children children;
    private final LaunchAhead launchAhead;

    Phase phase = Phase.READY;
    private long seq;
    final CompletableFuture<Void> startupSettled = new CompletableFuture<>();
    final CompletableFuture<Void> idle = new CompletableFuture<>();
    final CompletableFuture<Void> terminated = new CompletableFuture<>();
    /** Which of the three futures above are decided (their completion follows the events before it). */
    private final Set<CompletableFuture<Void>> decided = new HashSet<>();

    DecisionLoop(String clusterName, List<ServiceNode> nodesInTopologicalOrder, NodeMaker nodeMaker, LoopPorts ports) {
        this(clusterName, nodesInTopologicalOrder, nodeMaker, ports, 0);
    }

    /** @param pool how many spare remotes to keep ready for restarts ({@code defaults.pool}; {@link LaunchAhead}) */
    DecisionLoop(String clusterName, List<ServiceNode> nodesInTopologicalOrder, NodeMaker nodeMaker, LoopPorts ports,
            int pool) {
        this.clusterName = clusterName;
        this.nodes = new ArrayList<>(nodesInTopologicalOrder);
        this.reversed = this.nodes.reversed();
        this.ports = ports;
        this.transitions = new Transitions(this);
        this.children = new Children(this, nodeMaker);
        this.launchAhead = new LaunchAhead(this, pool);
        publish();
    }

    /** Every node by name, children included, in dependency order: a snapshot. Safe from any thread. */
    Map<String, ServiceNode> nodes() {
        return published;
    }

    /** Publishes the node list after a change; loop thread (or the constructor) only. */
    void publish() {
        Map<String, ServiceNode> byName = new LinkedHashMap<>();
        nodes.forEach(n -> byName.put(n.name(), n));
        published = Collections.unmodifiableMap(byName);
    }

    /** Runs {@code input} on the loop, then reconciles. Safe from any thread. */
    void post(Runnable input) {
        try {
            ports.loop().execute(() -> {
                try {
                    input.run();
                    reconcile();
                } catch (RuntimeException e) {
                    log.error("the decision loop failed on an input; the cluster may be inconsistent", e);
                    ports.failures().accept(e);
                } catch (Error e) {
                    log.error("the decision loop failed on an input; the cluster may be inconsistent", e);
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("input after the loop ended, ignored");
        }
    }

    // ---- inputs: users ----------------------------------------------------------------------

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
        post(() -> setGoal(node, Goal.DOWN));
    }

    /**
     * Closes one service (its dependents first, R7) and starts it again, then the dependents that
     * closed for it (R6); starts it if it is down.
     */
    void restartService(ServiceNode node) {
        post(() -> {
            setGoal(node, node.state().isActive() ? Goal.CYCLE : Goal.UP);
            node.cycleCause = null;
        });
    }

    private static void setGoal(ServiceNode node, Goal goal) {
        if (node.goal == Goal.BACKOFF) {
            node.cancelTimer(); // the backoff's: the user decides now
        }
        node.goal = goal;
    }

    /** Kills every remote at once, without ordering: the second Ctrl-C. Safe from any thread. */
    void killAll() {
        for (ServiceNode node : published.values()) {
            node.container.kill();
        }
    }

    // ---- inputs: sessions and remotes (tagged with the start's generation) -------------------

    /**
     * The start returned. With {@code health} (R16: from the cluster file, or the service's own
     * check), the service stays {@code starting} until a check passes.
     */
    void started(ServiceNode node, int generation, Optional<HealthSpec> health) {
        post(() -> transitions.started(node, generation, health));
    }

    /** A health check of start {@code generation} passed or failed (R16). */
    void healthResult(ServiceNode node, int generation, boolean healthy, String detail) {
        post(() -> transitions.health(node, generation, healthy, detail));
    }

    void startFailed(ServiceNode node, int generation, String reason) {
        post(() -> transitions.startFailed(node, generation, reason));
    }

    void closed(ServiceNode node, int generation, String error) {
        post(() -> transitions.closed(node, generation, error));
    }

    void connectionLost(ServiceNode node, int generation, String reason, boolean explainsEnd) {
        post(() -> transitions.connectionLost(node, generation, reason, explainsEnd));
    }

    void exited(ServiceNode node, int generation, RemoteProcess.Exit exit) {
        post(() -> transitions.exited(node, generation, exit));
    }

    void spawnRequested(ServiceNode parent, int generation, Spawn request) {
        post(() -> children.spawnRequested(parent, generation, request));
    }

    /** An event reported by a service itself ({@code exception}), in decision order with the rest. */
    void reported(ServiceNode node, Type type, Map<String, Object> details) {
        post(() -> emit(node, type, details));
    }

    // ---- the rules ----------------------------------------------------------------------

    private void reconcile() {
        if (phase == Phase.RUNNING) {
            for (ServiceNode node : nodes) {
                if (node.state() == ServiceState.NEW && node.goal != Goal.DOWN
                        && all(node.dependencies, DecisionLoop::containerExists)
                        && !(node.isChild() && children.spent(node))) {
                    transitions.beginCreate(node);
                }
            }
            for (ServiceNode node : nodes) {
                if (node.goal == Goal.UP && node.state().isIdleInContainer() && node.children.isEmpty()
                        && !(node.isChild() && children.spent(node))
                        && all(node.dependencies, d -> staysUp(node, d))) {
                    transitions.beginStart(node);
                }
            }
        }
        for (ServiceNode node : reversed) {
            // children are destroyed and removed before their parent closes (R8)
            if (node.state() == ServiceState.RUNNING && mustClose(node) && node.children.isEmpty()
                    && all(node.dependents, d -> !d.state().isActive())) {
                transitions.beginClose(node);
            }
        }
        // after the starts, and after the closes: what still waits for its dependencies has its
        // remote launched now, unless a close just began (R9's next step)
        launchAhead.reconcile();
        children.retire();
        if (phase == Phase.STOPPING && nodes.stream().noneMatch(n -> n.state().isBusy() || n.state().isActive())) {
            for (ServiceNode node : reversed) {
                if (node.state().isIdleInContainer() && all(node.dependents, DecisionLoop::containerGone)) {
                    transitions.beginDestroy(node);
                }
            }
            if (all(nodes, DecisionLoop::containerGone)) {
                phase = Phase.STOPPED;
                decide(terminated);
            }
        }
        // start-up is about the declared services; children come and go with their parents
        if (phase != Phase.READY && nodes.stream().noneMatch(n -> !n.isChild() && mayStillStart(n))) {
            decide(startupSettled);
            if (nodes.stream().noneMatch(n -> n.state().isActive())) {
                decide(idle);
            }
        }
    }

    /** Completes {@code future}, once, after listeners have seen every event before this decision. */
    private void decide(CompletableFuture<Void> future) {
        if (decided.add(future)) {
            ports.listeners().complete(future);
        }
    }

    /**
     * Whether a running {@code node} must close: the cluster stops, it is not wanted, or some
     * dependency is not running or must close itself — transitively, so that every dependent of a
     * crashed service closes, deepest first (R9).
     */
    boolean mustClose(ServiceNode node) {
        return mustClose(node, new HashMap<>());
    }

    private boolean mustClose(ServiceNode node, Map<ServiceNode, Boolean> known) {
        Boolean result = known.get(node);
        if (result == null) {
            result = phase != Phase.RUNNING || node.goal == Goal.DOWN || node.goal == Goal.CYCLE
                    || node.dependencies.stream().anyMatch(d -> !up(node, d) || mustClose(d, known));
            known.put(node, result);
        }
        return result;
    }

    /**
     * Whether {@code dependency} is up for {@code node}: running (R6), or, for a child and its
     * parent, still starting — a parent may spawn from its own {@code start} and the child runs
     * while the parent starts (R8).
     */
    static boolean up(ServiceNode node, ServiceNode dependency) {
        return dependency.state() == ServiceState.RUNNING
                || node.parent == dependency && dependency.state() == ServiceState.STARTING;
    }

    /** Whether {@code dependency} is up for {@code node} and not about to close: only then may {@code node} start or keep running. */
    private boolean staysUp(ServiceNode node, ServiceNode dependency) {
        return up(node, dependency) && !mustClose(dependency);
    }

    /** Whether {@code node} is on its way to running: starting now, or startable once its dependencies are. */
    boolean mayStillStart(ServiceNode node) {
        return mayStillStart(node, false, new HashMap<>());
    }

    /**
     * {@link #mayStillStart}, counting also a service that closes now to start again — a restart,
     * or R9's cascade down a chain — as one that may: what waits for it (a remote launched ahead, a
     * spare of the pool) is worth keeping through that close.
     */
    boolean mayStartAgain(ServiceNode node) {
        return mayStillStart(node, true, new HashMap<>());
    }

    /** {@link #mayStillStart(ServiceNode)}, each node judged once (a DAG's shared dependencies are many paths). */
    private boolean mayStillStart(ServiceNode node, boolean closingCounts, Map<ServiceNode, Boolean> known) {
        if (node.state() == ServiceState.STARTING) {
            return true;
        }
        Boolean result = known.get(node);
        if (result == null) {
            boolean startable = node.state() == ServiceState.NEW || node.state() == ServiceState.CREATING
                    || node.state().isIdleInContainer() || closingCounts && node.state() == ServiceState.CLOSING;
            result = phase == Phase.RUNNING && node.wanted() && startable
                    && all(node.dependencies, d -> up(node, d) || mayStillStart(d, closingCounts, known));
            known.put(node, result);
        }
        return result;
    }

    private static boolean containerExists(ServiceNode node) {
        return node.state().compareTo(ServiceState.CREATED) >= 0 && node.state().compareTo(ServiceState.CLOSED) <= 0;
    }

    static boolean containerGone(ServiceNode node) {
        return node.state() == ServiceState.NEW || node.state() == ServiceState.DESTROYED;
    }

    static boolean all(List<ServiceNode> nodes, Predicate<ServiceNode> condition) {
        for (ServiceNode node : nodes) {
            if (!condition.test(node)) {
                return false;
            }
        }
        return true;
    }

    /** Why a running {@code node} closes now, for its {@code closing} event: see {@link CloseReasons}. */
    String closeReason(ServiceNode node) {
        return CloseReasons.of(this, node);
    }

    /** Answers a child's pending spawn request (R8); see {@link Children#answer}. */
    void answerSpawn(ServiceNode child, String error) {
        children.answer(child, error);
    }

    /** Takes a destroyed child out of the graph (R8); see {@link Children#remove}. */
    void removeChild(ServiceNode child) {
        children.remove(child);
    }

    Transitions transitions() {
        return transitions;
    }

    // ---- events -------------------------------------------------------------------------

    void emit(ServiceNode node, Type type) {
        emit(node, type, Map.of());
    }

    void emit(ServiceNode node, Type type, String key, Object value) {
        emit(node, type, Map.of(key, value));
    }

    void emit(ServiceNode node, Type type, Map<String, Object> details) {
        ports.listeners().event(new ServiceEvent(++seq, ports.clock().instant(), node.name(), type, details));
    }

    /** A line of a service's output, straight to the listeners (it decides nothing). Safe from any thread. */
    void output(ServiceNode node, OutputStream stream, String line) {
        ports.listeners().output(node.name(), stream, line);
    }

    /** An uncaught exception's full report, straight to the listeners. Safe from any thread. */
    void exception(ServiceNode node, ExceptionReport report) {
        ports.listeners().exception(node.name(), report);
    }
}
