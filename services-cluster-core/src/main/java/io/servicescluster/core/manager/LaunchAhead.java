package io.servicescluster.core.manager;

import io.servicescluster.core.config.RestartPolicy;
import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.ServiceContainer;
import io.servicescluster.core.container.RemoteProcess;
import io.servicescluster.core.manager.DecisionLoop.Phase;
import io.servicescluster.core.manager.ServiceNode.Goal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remotes launched ahead of their start (issue 14): while a service waits for its dependencies
 * (R6), its remote is launched and kept alive (prepared: heartbeats, no start), so that when the
 * last dependency runs only the code and the start are left. It changes no event — {@code
 * starting} is still the decision to start the service, after R6 — and no rule: a remote launched
 * ahead serves one start (R10) and is killed, never started, when its service is no longer
 * waiting to start (stopped, the cluster stopping, its container going). A waiting remote that
 * dies, or a launch that fails, is launched again before it is needed, up to {@link
 * #MAX_FAILURES} times in a row; then the start launches its own and reports what goes wrong.
 * Declared services only: a child (R8) is spawned to start at once.
 *
 * <p>The warm pool ({@code defaults.pool}, issue 14) is the same thing for a service that runs: up
 * to that many running services have a <em>spare</em> remote launched beside their current one
 * ({@link ServiceContainer#launchSpare}), so that their next start — a restart by policy, {@code
 * svc restart}, coming back after R9 — takes it instead of starting a JVM. Spares go first to
 * the services whose restart policy may restart them, then to those that depend on one (R9
 * brings them back with it), then to the rest, each group in declaration order. A spare is
 * launched only while nothing starts or closes (it would take their CPU) and kept while its
 * service may still start again; like any remote launched ahead it serves one start (R10). On
 * the loop.
 */
final class LaunchAhead {

    /** Failed launches ahead in a row after which a service waits for its start to launch (the row ends when it runs). */
    static final int MAX_FAILURES = 3;

    private static final Logger log = LoggerFactory.getLogger(LaunchAhead.class);

    /** One remote launched ahead of a start; loop-confined. */
    static final class Ahead {
        /** The launched remote, once its launch returned; null while it is launching. */
        RemoteProcess remote;
        /** Its prepared session, with the remote. */
        ControlSession.Waiting waiting;
        /** The generation of the start that took it, or 0 while none did. */
        int takenBy;
        /** Whether it was given up: a launch that returns now is killed. */
        boolean dropped;
        /** Whether it is a spare of the pool, launched while its service ran: a start takes it through the container. */
        final boolean spare;
        /**
         * The key of the start that takes it (its dependents' capabilities derive from it, R15):
         * decided now, since the code sent ahead carries it.
         */
        final String capabilityKey;
        /** The class path as it was when the code went ahead, or null if it did not: a start checks it is still so. */
        ClassPathStamp codeStamp;

        Ahead(boolean spare, String capabilityKey) {
            this.spare = spare;
            this.capabilityKey = capabilityKey;
        }

        /**
         * Ends the launched remote unused: killed first, then its session stopped. A remote that
         * saw its connection close first would say in the service's output that it lost its
         * controller, which is not what happened.
         */
        void end() {
            remote.kill();
            waiting.stop();
        }
    }

    private final DecisionLoop loop;
    /** The most spares kept at once: {@code defaults.pool}. */
    private final int pool;
    /** The declared services in the order they get spares; made at the first need. */
    private List<ServiceNode> poolOrder;

    LaunchAhead(DecisionLoop loop, int pool) {
        this.loop = loop;
        this.pool = pool;
    }

    /**
     * Launches ahead for the services that now wait for their dependencies; drops what no start
     * will take. Nothing is launched ahead while a service closes: a close may be the first step
     * of R9's cascade, whose every step waits for the one before, and a JVM booting beside it
     * would take the CPU it needs (measured: bench (c) a's close 3 → 8 ms with two launches).
     */
    void reconcile() {
        boolean closing = false;
        boolean starting = false;
        for (ServiceNode node : loop.nodes) {
            closing |= node.state() == ServiceState.CLOSING;
            starting |= node.state() == ServiceState.STARTING;
        }
        for (ServiceNode node : loop.nodes) {
            if (node.ahead == null) {
                if (loop.phase == Phase.RUNNING && !closing && waits(node) && node.aheadFailures < MAX_FAILURES) {
                    begin(node, false);
                }
            } else if (loop.phase != Phase.RUNNING || !(waits(node) || node.ahead.spare && keepsSpare(node))) {
                drop(node, node.ahead);
            }
        }
        if (pool > 0 && loop.phase == Phase.RUNNING && !closing && !starting) {
            fillPool();
        }
    }

    /** Launches spares for the first running services in {@link #poolOrder} that have none, up to {@link #pool}. */
    private void fillPool() {
        int spares = 0;
        for (ServiceNode node : loop.nodes) {
            if (node.ahead != null && node.ahead.spare) {
                spares++;
            }
        }
        for (ServiceNode node : poolOrder()) {
            if (spares >= pool) {
                return;
            }
            if (node.ahead == null && node.state() == ServiceState.RUNNING && node.goal == Goal.UP
                    && node.aheadFailures < MAX_FAILURES && node.container.launchesSpares()) {
                begin(node, true);
                spares++;
            }
        }
    }

    /**
     * Whether a spare is still worth keeping for {@code node}: it may start again — it runs or
     * closes, or waits for a restart or for its dependencies — and was not stopped for good.
     */
    private boolean keepsSpare(ServiceNode node) {
        return node.wanted() && (node.state().isActive() || loop.mayStartAgain(node));
    }

    /**
     * The declared services, those with a restart policy first, then those depending on one of
     * them (directly or not), then the rest; declaration order (topological) within each group.
     */
    private List<ServiceNode> poolOrder() {
        if (poolOrder == null) {
            Set<ServiceNode> restarting = new HashSet<>();
            Set<ServiceNode> following = new HashSet<>();
            for (ServiceNode node : loop.nodes) { // dependencies come first
                if (node.isChild()) {
                    continue;
                }
                if (node.spec.restart().policy() != RestartPolicy.Policy.NEVER) {
                    restarting.add(node);
                } else if (node.dependencies.stream().anyMatch(d -> restarting.contains(d) || following.contains(d))) {
                    following.add(node);
                }
            }
            List<ServiceNode> order = new ArrayList<>(loop.nodes.stream().filter(n -> !n.isChild()).toList());
            order.sort(Comparator.comparingInt(n -> restarting.contains(n) ? 0 : following.contains(n) ? 1 : 2));
            poolOrder = List.copyOf(order);
        }
        return poolOrder;
    }

    /**
     * Whether {@code node} is a declared service that wants to run, has a container with nothing
     * in it, and will start once its dependencies run — not behind one that is down for good
     * (stopped, or ended with no restart left), whose dependents would wait forever.
     */
    private boolean waits(ServiceNode node) {
        return !node.isChild() && node.goal == Goal.UP && node.state().isIdleInContainer()
                && loop.mayStartAgain(node);
    }

    private void begin(ServiceNode node, boolean spare) {
        Ahead ahead = new Ahead(spare, loop.ports.capabilityKeys().get());
        node.ahead = ahead;
        loop.ports.work().execute(() -> {
            try {
                // stamped before the launch: the remote may load the service's class from its first
                // moment (its preload), and a rebuild after the stamp must read as stale
                List<Path> classpath = classpath(node);
                ClassPathStamp stamp = classpath == null ? null : ClassPathStamp.of(classpath);
                RemoteProcess remote = spare ? node.container.launchSpare(node.spec.startTimeout())
                        : node.container.launch(node.spec.startTimeout());
                loop.post(() -> launched(node, ahead, remote, classpath, stamp));
            } catch (ContainerException | RuntimeException | LinkageError e) {
                loop.post(() -> launchFailed(node, ahead, Transitions.describe(e)));
            }
        });
    }

    /** The service's class path, resolved; null if it cannot be (the start says why, as it would without launching ahead). */
    private static List<Path> classpath(ServiceNode node) {
        try {
            return StartInstructions.classpath(node.spec);
        } catch (ContainerException | RuntimeException e) {
            return null;
        }
    }

    private void launched(ServiceNode node, Ahead ahead, RemoteProcess remote, List<Path> classpath,
            ClassPathStamp stamp) {
        if (ahead.dropped) {
            remote.kill();
            return;
        }
        ahead.remote = remote;
        ahead.waiting = loop.ports.sessions().prepare(loop, node, remote, () -> loop.post(() -> lost(node, ahead)));
        if (classpath != null) { // the remote loads the service's class while it waits
            ahead.waiting.sendCodeAhead(ahead.capabilityKey, classpath);
            ahead.codeStamp = stamp;
        }
        if (ahead.takenBy == 0) {
            node.readyRemote = ahead.waiting;
        }
        remote.onExit().thenRun(() -> loop.post(() -> lost(node, ahead)));
        if (ahead.takenBy != 0) { // a start took it while it launched, and waits for it
            loop.transitions().startOnRemote(node, ahead.takenBy, ahead);
        }
    }

    private void launchFailed(ServiceNode node, Ahead ahead, String reason) {
        if (ahead.takenBy != 0) {
            loop.transitions().startFailed(node, ahead.takenBy, reason); // as its own launch would have
        } else if (!ahead.dropped) {
            node.ahead = null;
            node.aheadFailures++;
            log.debug("{}: launching its remote ahead failed ({} in a row): {}", node.name(), node.aheadFailures,
                    reason);
        }
    }

    /** The waiting remote ended or lost its connection before any start took it: replaced, not reported. */
    private void lost(ServiceNode node, Ahead ahead) {
        if (ahead.takenBy != 0 || ahead.dropped) {
            return; // the start that took it watches it now; or it was given up
        }
        drop(node, ahead);
        node.aheadFailures++;
        log.info(ahead.spare ? "{}: its spare remote ended before a start took it; launching another"
                : "{}: its remote, launched ahead, ended while the service waited; launching another", node.name());
    }

    private static void drop(ServiceNode node, Ahead ahead) {
        node.ahead = null;
        node.readyRemote = null;
        ahead.dropped = true;
        if (ahead.remote != null) {
            ahead.end();
        }
    }

    /**
     * The remote launched ahead for {@code node}, now taken by start {@code generation}, or null
     * if there is none. Once taken it is that start's: it is never dropped or replaced here.
     */
    static Ahead take(ServiceNode node, int generation) {
        Ahead ahead = node.ahead;
        if (ahead != null) {
            node.ahead = null;
            node.readyRemote = null;
            ahead.takenBy = generation;
            node.aheadFailures = 0;
        }
        return ahead;
    }
}
