package io.servicescluster.core.manager;

import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.RemoteProcess;
import io.servicescluster.core.manager.DecisionLoop.Phase;
import io.servicescluster.core.manager.ServiceNode.Goal;
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
 * Declared services only: a child (R8) is spawned to start at once. On the loop.
 */
final class LaunchAhead {

    /** Failed launches ahead in a row after which a service waits for its start to launch. */
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
    }

    private final DecisionLoop loop;

    LaunchAhead(DecisionLoop loop) {
        this.loop = loop;
    }

    /**
     * Launches ahead for the services that now wait for their dependencies; drops what no start
     * will take. Nothing is launched ahead while a service closes: a close may be the first step
     * of R9's cascade, whose every step waits for the one before, and a JVM booting beside it
     * would take the CPU it needs (measured: bench (c) a's close 3 → 8 ms with two launches).
     */
    void reconcile() {
        boolean closing = loop.nodes.stream().anyMatch(n -> n.state() == ServiceState.CLOSING);
        for (ServiceNode node : loop.nodes) {
            if (node.ahead == null) {
                if (loop.phase == Phase.RUNNING && !closing && waits(node) && node.aheadFailures < MAX_FAILURES) {
                    begin(node);
                }
            } else if (loop.phase != Phase.RUNNING || !waits(node)) {
                drop(node, node.ahead);
            }
        }
    }

    /**
     * Whether {@code node} is a declared service that wants to run, has a container with nothing
     * in it, and will start once its dependencies run — not behind one that is down for good
     * (stopped, or ended with no restart left), whose dependents would wait forever.
     */
    private boolean waits(ServiceNode node) {
        return !node.isChild() && node.goal == Goal.UP && node.state().isIdleInContainer()
                && loop.mayStillStart(node);
    }

    private void begin(ServiceNode node) {
        Ahead ahead = new Ahead();
        node.ahead = ahead;
        loop.ports.work().execute(() -> {
            try {
                RemoteProcess remote = node.container.launch(node.spec.startTimeout());
                loop.post(() -> launched(node, ahead, remote));
            } catch (ContainerException | RuntimeException e) {
                loop.post(() -> launchFailed(node, ahead, e.getMessage()));
            }
        });
    }

    private void launched(ServiceNode node, Ahead ahead, RemoteProcess remote) {
        if (ahead.dropped) {
            remote.kill();
            return;
        }
        ahead.remote = remote;
        ahead.waiting = loop.ports.sessions().prepare(loop, node, remote, () -> loop.post(() -> lost(node, ahead)));
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
        log.info("{}: its remote, launched ahead, ended while the service waited; launching another", node.name());
    }

    private static void drop(ServiceNode node, Ahead ahead) {
        node.ahead = null;
        ahead.dropped = true;
        if (ahead.remote != null) {
            ahead.waiting.stop();
            ahead.remote.kill();
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
            ahead.takenBy = generation;
            node.aheadFailures = 0;
        }
        return ahead;
    }
}
