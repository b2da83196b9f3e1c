package io.servicescluster.core.manager;

import io.servicescluster.core.manager.ServiceNode.Goal;

/** The {@code reason} of a {@code closing} event, from the loop's state (docs/operations.md). */
final class CloseReasons {

    private CloseReasons() {
    }

    /**
     * Why a running {@code node} closes now, for its {@code closing} event (docs/operations.md):
     * {@code cluster stopping}, {@code asked to stop}, {@code asked to restart}, or the
     * dependency where the cause began: {@code dependency db crashed} (also {@code failed},
     * {@code exited}), {@code dependency db is stopping}, {@code dependency db is restarting}.
     */
    static String of(DecisionLoop loop, ServiceNode node) {
        if (loop.phase != DecisionLoop.Phase.RUNNING) {
            return "cluster stopping";
        }
        if (node.cycleCause != null) {
            return node.cycleCause;
        }
        if (node.goal == Goal.DOWN) {
            return "asked to stop";
        }
        if (node.goal == Goal.CYCLE) {
            return "asked to restart";
        }
        for (ServiceNode dependency : node.dependencies) {
            if (!DecisionLoop.up(node, dependency)) {
                return "dependency " + dependency.name() + " is not running";
            }
            if (loop.mustClose(dependency)) {
                return switch (of(loop, dependency)) {
                    case "asked to stop" -> "dependency " + dependency.name() + " is stopping";
                    case "asked to restart" -> "dependency " + dependency.name() + " is restarting";
                    case String theirs -> theirs; // names the dependency where it began
                };
            }
        }
        throw new AssertionError(node.name() + " closes without a cause");
    }
}
