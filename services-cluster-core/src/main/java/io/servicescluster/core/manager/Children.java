package io.servicescluster.core.manager;

import io.servicescluster.core.config.ServiceNames;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.DecisionLoop.Phase;
import io.servicescluster.core.manager.ServiceNode.Goal;
import io.servicescluster.protocol.Capabilities;
import io.servicescluster.protocol.ControlMessage.Spawn;
import io.servicescluster.protocol.ControlMessage.SpawnResult;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Children spawned at run time (R8), on the decision loop. A child is a node that depends on its
 * parent; it is appended to the loop's (loop-confined) node list and lives for one run of its
 * parent: once it has closed, or its parent's run ends, it is destroyed and removed, and its
 * parent closes only after that.
 */
final class Children {

    private static final Logger log = LoggerFactory.getLogger(Children.class);

    /**
     * How many children a declared service and its descendants may have at once, all generations
     * together (a child may spawn too): each is a JVM, and the limits of the service's cgroup bound
     * them all together only where cgroups can be made. Overridden with the system property
     * {@value #MAX_CHILDREN_PROPERTY}.
     */
    static final int DEFAULT_MAX_CHILDREN = 16;
    static final String MAX_CHILDREN_PROPERTY = "servicescluster.maxChildren";

    private final DecisionLoop loop;
    private final DecisionLoop.NodeMaker nodeMaker;

    private final int maxChildren;

    Children(DecisionLoop loop, DecisionLoop.NodeMaker nodeMaker) {
        this.loop = loop;
        this.nodeMaker = nodeMaker;
        this.maxChildren = Integer.getInteger(MAX_CHILDREN_PROPERTY, DEFAULT_MAX_CHILDREN);
    }

    /**
     * A service asks to spawn a child. Refused, with the reason, unless the parent has
     * {@code permissions.spawn}, is starting or running and not closing, the name is valid (R1) and free in the
     * whole cluster, children included (R2), and the declared service it descends from has fewer
     * than {@link #DEFAULT_MAX_CHILDREN} children in all (those not yet removed). Otherwise the child becomes a node that depends on
     * the parent, with the parent's container kind, permissions, resources and timeouts, and
     * restart policy {@code never}; the loop's rules create and start it, and the parent is
     * answered once it runs ({@link #answer}).
     */
    void spawnRequested(ServiceNode parent, int generation, Spawn request) {
        if (parent.generation != generation || parent.session == null) {
            return; // from an earlier start, whose remote is gone
        }
        String refusal = refusal(parent, request);
        if (refusal != null) {
            log.debug("{}: spawn of '{}' refused: {}", parent.name(), request.childName(), refusal);
            parent.session.spawnResult(new SpawnResult(request.requestId(), "spawn refused: " + refusal, "", ""));
            return;
        }
        ServiceSpec spec = StartInstructions.childSpec(parent, request);
        ServiceNode child;
        try {
            child = nodeMaker.make(spec, parent, generation);
        } catch (RuntimeException e) {
            parent.session.spawnResult(new SpawnResult(request.requestId(),
                    "spawn failed: cannot make the container of '" + spec.name() + "': " + e.getMessage(), "", ""));
            return;
        }
        child.spawnRequest = request.requestId();
        child.dependencies.add(parent);
        parent.dependents.add(child);
        parent.children.add(child);
        loop.nodes.add(child);
        loop.publish();
    }

    private String refusal(ServiceNode parent, Spawn request) {
        if (!parent.spec.permissions().spawn()) {
            return "permissions.spawn is false for '" + parent.name() + "'";
        }
        if (!parentUp(parent)) {
            return "'" + parent.name() + "' is closing";
        }
        var badName = ServiceNames.problem(request.childName());
        if (badName.isPresent()) {
            return badName.get();
        }
        ServiceNode root = parent.declaredAncestor();
        int live = descendants(root);
        if (live >= maxChildren) {
            return "'" + root.name() + "'" + (root == parent ? "" : " (which '" + parent.name() + "' descends from)")
                    + " has " + live + " children already, the most a service may have with its descendants; "
                    + "wait until one has closed (docs/security.md)";
        }
        ServiceNode existing = loop.nodes().get(request.childName());
        if (existing != null) {
            return "a service named '" + request.childName() + "' already exists in cluster '" + loop.clusterName + "'"
                    + (existing.isChild() ? " (a child of '" + existing.parent.name() + "')" : "")
                    + " (R2: names are unique, children included)";
        }
        return null;
    }

    /** How many children {@code node} has, theirs included: spawned and not yet removed. */
    private static int descendants(ServiceNode node) {
        int count = 0;
        for (ServiceNode child : node.children) {
            count += 1 + descendants(child);
        }
        return count;
    }

    /**
     * Answers the parent's pending spawn of {@code child}, once: with the child's data endpoint and
     * a capability for the parent ({@code error} null: the child runs), or with the error. Nothing
     * is sent if the parent's run that asked has ended.
     */
    void answer(ServiceNode child, String error) {
        Long request = child.spawnRequest;
        if (request == null) {
            return;
        }
        child.spawnRequest = null;
        ServiceNode parent = child.parent;
        if (parent.generation != child.parentGeneration || parent.session == null || !parent.state().isActive()) {
            return;
        }
        if (error == null) {
            parent.session.spawnResult(new SpawnResult(request, "", child.remote.dataEndpoint(),
                    Capabilities.capability(child.capabilityKey, parent.name())));
        } else {
            parent.session.spawnResult(new SpawnResult(request, error, "", ""));
        }
    }

    /**
     * Whether a child's time is over (R8): it ran and closed, will not start (failed, stopped), or
     * the run of its parent that spawned it ended or is ending. A spent child is destroyed and removed.
     */
    boolean spent(ServiceNode child) {
        ServiceNode parent = child.parent;
        return child.generation > 0 || child.goal == Goal.DOWN || loop.phase != Phase.RUNNING
                || parent.generation != child.parentGeneration || !parentUp(parent);
    }

    /** Whether {@code parent}'s run may have children: starting (it spawns from its start) or running, and not closing. */
    private boolean parentUp(ServiceNode parent) {
        return (parent.state() == ServiceState.STARTING || parent.state() == ServiceState.RUNNING)
                && !loop.mustClose(parent);
    }

    /** Destroys spent children (their own children first, R5) and removes those that never got a container. */
    void retire() {
        for (ServiceNode node : List.copyOf(loop.reversed)) {
            if (!node.isChild() || !spent(node) || !DecisionLoop.all(node.dependents, DecisionLoop::containerGone)) {
                continue;
            }
            if (node.state() == ServiceState.NEW) {
                answer(node, notStarted(node));
                remove(node);
            } else if (node.state().isIdleInContainer()) {
                node.goal = Goal.DOWN;
                answer(node, notStarted(node));
                loop.transitions().beginDestroy(node);
            }
        }
    }

    private static String notStarted(ServiceNode child) {
        return "'" + child.name() + "' was not started: its parent '" + child.parent.name() + "' stopped running"
                + child.status().problem().map(p -> " (" + p + ")").orElse("");
    }

    /** Takes a destroyed (or never created) child out of the graph; its name is free again (R2). */
    void remove(ServiceNode child) {
        loop.nodes.remove(child);
        child.parent.dependents.remove(child);
        child.parent.children.remove(child);
        loop.publish();
    }
}
