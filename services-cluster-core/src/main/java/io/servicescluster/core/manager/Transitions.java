package io.servicescluster.core.manager;

import io.servicescluster.core.config.HealthSpec;
import io.servicescluster.protocol.Durations;
import io.servicescluster.core.container.ContainerException;
import io.servicescluster.core.container.RemoteProcess;
import io.servicescluster.core.manager.DecisionLoop.Phase;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.core.manager.ServiceNode.Goal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of a service's life, on the decision loop: each {@code begin…} moves a node and
 * hands the slow part to the loop's work executor, whose result comes back as an input; the
 * results move the node on. Results of an older start (another {@code generation}) are ignored,
 * so a late answer never moves a newer start. {@link DecisionLoop} decides when each step begins.
 */
final class Transitions {


    private static final Logger log = LoggerFactory.getLogger(Transitions.class);

    private final DecisionLoop loop;
    private final LoopPorts ports;

    Transitions(DecisionLoop loop) {
        this.loop = loop;
        this.ports = loop.ports;
    }

    private void move(ServiceNode node, ServiceState next) {
        node.moveTo(next, ports.clock().instant());
    }

    // ---- create ---------------------------------------------------------------------------

    void beginCreate(ServiceNode node) {
        move(node, ServiceState.CREATING);
        ports.work().execute(() -> {
            try {
                node.container.create();
                String host = hostOf(node);
                loop.post(() -> {
                    move(node, ServiceState.CREATED);
                    loop.emit(node, Type.CREATED, createdDetails(node, host));
                });
            } catch (ContainerException | RuntimeException | LinkageError e) {
                String reason = describe(e);
                loop.post(() -> {
                    move(node, ServiceState.NEW); // no container: nothing to start, nothing to destroy
                    node.goal = Goal.DOWN;
                    node.problem(reason);
                    loop.emit(node, Type.FAILED, "reason", "container: " + reason);
                    loop.answerSpawn(node, "cannot create the container of '" + node.name() + "': " + reason);
                });
            }
        });
    }

    /**
     * A {@code created} event names the service's dependencies (a child's is its parent, R8), so
     * that an event log alone shows the graph its order obeys ({@code svc verify}).
     */
    private static Map<String, Object> createdDetails(ServiceNode node, String host) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (node.isChild()) {
            details.put("parent", node.parent.name());
        }
        details.put("dependsOn", node.dependencies.stream().map(ServiceNode::name).toList());
        if (host != null) {
            details.put("host", host); // SPEC §5: a service on another host
        }
        return details;
    }

    /** The container's {@link ServiceContainer#host}, or null: none, or a kind that failed to say (it is only a detail). */
    private static String hostOf(ServiceNode node) {
        try {
            return node.container.host().filter(host -> !host.isBlank()).orElse(null);
        } catch (RuntimeException | LinkageError e) {
            log.warn("{}: its container did not say where it runs: {}", node.name(), e.toString());
            return null;
        }
    }

    // ---- start ----------------------------------------------------------------------------

    void beginStart(ServiceNode node) {
        int generation = ++node.generation;
        LaunchAhead.Ahead ahead = LaunchAhead.take(node, generation);
        // a remote launched ahead has its code, with the key of the start that takes it, already
        node.capabilityKey = ahead != null ? ahead.capabilityKey : ports.capabilityKeys().get();
        node.cancelTimer();
        node.lostReason = null;
        move(node, ServiceState.STARTING);
        loop.emit(node, Type.STARTING);
        node.health = null;
        node.healthNote(null);
        node.startBegan = ports.clock().instant();
        node.timer = ports.timers().after(node.spec.startTimeout(), () -> loop.post(() -> startTimedOut(node, generation)));
        if (ahead == null) {
            launchAndStart(node, generation);
        } else if (ahead.remote != null) {
            startOnRemote(node, generation, ahead);
        } // else: still launching, LaunchAhead goes on when it is
    }

    private void launchAndStart(ServiceNode node, int generation) {
        ports.work().execute(() -> {
            try {
                // before the launch: a missing jar is named, and no JVM is started for nothing
                List<Path> classpath = StartInstructions.classpath(node.spec);
                RemoteProcess remote = node.container.launch(node.spec.startTimeout());
                loop.post(() -> launched(node, generation, remote, null, classpath));
            } catch (ContainerException | RuntimeException | LinkageError e) {
                loop.post(() -> startFailed(node, generation, describe(e)));
            }
        });
    }

    /**
     * What went wrong in a container kind's code, in words: the message; for a {@link LinkageError}
     * (a kind's jar of another build; caught, or the loop would wait for an answer that never
     * comes) or an exception without one, the exception itself, whose class says more.
     */
    static String describe(Throwable e) {
        return e instanceof LinkageError || e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /**
     * Start {@code generation} on the remote launched ahead for it ({@link LaunchAhead}). One that
     * died while it waited, one whose code is stale (the class path changed since it went ahead:
     * a rebuild before {@code svc restart}), or a spare its container cannot hand over, is not
     * this start's failure: the start launches a remote of its own.
     */
    void startOnRemote(ServiceNode node, int generation, LaunchAhead.Ahead ahead) {
        if (!current(node, generation, ServiceState.STARTING)) { // that start ended while it waited for it
            ahead.end();
            return;
        }
        if (ahead.remote.onExit().isDone()) {
            ahead.waiting.stop();
            launchAndStart(node, generation);
            return;
        }
        ports.work().execute(() -> {
            try {
                List<Path> classpath = StartInstructions.classpath(node.spec);
                if (stale(node, ahead, classpath) || ahead.spare && !takeSpare(node, ahead)) {
                    loop.post(() -> {
                        ahead.end();
                        launchAndStart(node, generation);
                    });
                    return;
                }
                loop.post(() -> launched(node, generation, ahead.remote, ahead.waiting, classpath));
            } catch (ContainerException | RuntimeException e) {
                loop.post(() -> {
                    ahead.end();
                    startFailed(node, generation, e.getMessage());
                });
            }
        });
    }

    /** Whether the code sent ahead to {@code ahead} came from another class path than {@code classpath} is now. */
    private static boolean stale(ServiceNode node, LaunchAhead.Ahead ahead, List<Path> classpath) {
        if (ahead.codeStamp == null || ahead.codeStamp.equals(ClassPathStamp.of(classpath))) {
            return false;
        }
        log.info("{}: its class path changed since its waiting remote got the code; launching one", node.name());
        return true;
    }

    /** Makes a spare of the pool the start's remote (off the loop); false if the container could not. */
    private static boolean takeSpare(ServiceNode node, LaunchAhead.Ahead ahead) {
        try {
            node.container.takeSpare(ahead.remote);
            return true;
        } catch (ContainerException | RuntimeException e) {
            log.info("{}: its spare remote could not be used ({}); launching one", node.name(), e.getMessage());
            return false;
        }
    }

    /** The start's remote is there: launched for it, or ahead ({@code waiting} then is its prepared session). */
    private void launched(ServiceNode node, int generation, RemoteProcess remote, ControlSession.Waiting waiting,
            List<Path> classpath) {
        if (!current(node, generation, ServiceState.STARTING)) {
            remote.kill(); // first: see LaunchAhead.Ahead.end
            if (waiting != null) {
                waiting.stop();
            }
            return;
        }
        node.remote = remote;
        remote.onExit().thenAccept(exit -> loop.exited(node, generation, exit));
        ControlSession.Waiting prepared = waiting != null ? waiting
                : ports.sessions().prepare(loop, node, remote, () -> { }); // a loss is told to the start below
        node.session = prepared.start(generation, classpath);
        node.pid(remote.pid()); // after the start is on its way: a container may still be finding it
    }

    /**
     * The start returned. Without a health check the service runs; with one it stays
     * {@code starting} until a check passes, under the same start timeout (R16).
     */
    void started(ServiceNode node, int generation, Optional<HealthSpec> health) {
        if (current(node, generation, ServiceState.STARTING)) {
            if (health.isPresent()) {
                node.health = new HealthProgress(health.get(), node.startBegan);
                node.healthNote("starting");
            } else {
                becomeRunning(node);
            }
        }
    }

    private void becomeRunning(ServiceNode node) {
        node.cancelTimer();
        // its remotes work: remotes launched ahead that died before count anew (a spare killed
        // now and then over days must not end the pool's service for good)
        node.aheadFailures = 0;
        move(node, ServiceState.RUNNING);
        loop.emit(node, Type.RUNNING);
        loop.answerSpawn(node, null);
    }

    /**
     * R16: while starting, the first pass makes the service {@code running} (failures wait for
     * the start timeout); while running, each failure after {@code startPeriod} is an
     * {@code unhealthy} event, and {@code retries} in a row a crash (R9 and the restart policy
     * follow as for any crash). A pass resets the count.
     */
    void health(ServiceNode node, int generation, boolean healthy, String detail) {
        HealthProgress progress = node.health;
        if (node.generation != generation || progress == null) {
            return;
        }
        if (healthy) {
            progress.failures = 0;
            node.healthNote("healthy");
            if (node.state() == ServiceState.STARTING) {
                becomeRunning(node);
            }
            return;
        }
        progress.lastFailure = detail;
        if (node.state() != ServiceState.RUNNING
                || ports.clock().instant().isBefore(progress.startBegan.plus(progress.spec.startPeriod()))) {
            return; // not counted: still starting, or inside startPeriod
        }
        progress.failures++;
        node.healthNote("unhealthy(" + progress.failures + "/" + progress.spec.retries() + ")");
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("failures", progress.failures);
        details.put("detail", detail);
        loop.emit(node, Type.UNHEALTHY, details);
        if (progress.failures >= progress.spec.retries()) {
            fail(node, Type.CRASHED, "unhealthy: " + detail, Map.of());
        }
    }

    /** R12, and R16 for a start that returned but never passed a health check. */
    private void startTimedOut(ServiceNode node, int generation) {
        HealthProgress progress = node.health;
        startFailed(node, generation, progress == null
                ? "start timed out after " + Durations.format(node.spec.startTimeout())
                : "not healthy: " + (progress.lastFailure == null
                        ? "no health check answered within " + Durations.format(node.spec.startTimeout())
                        : progress.lastFailure));
    }

    void startFailed(ServiceNode node, int generation, String reason) {
        if (current(node, generation, ServiceState.STARTING)) {
            fail(node, Type.FAILED, reason, Map.of());
        }
    }

    // ---- close ----------------------------------------------------------------------------

    void beginClose(ServiceNode node) {
        int generation = node.generation;
        String reason = loop.closeReason(node);
        move(node, ServiceState.CLOSING);
        loop.emit(node, Type.CLOSING, "reason", reason);
        node.timer = ports.timers().after(node.spec.closeTimeout(), () -> loop.post(() -> closeTimedOut(node, generation)));
        node.session.requestClose();
    }

    void closed(ServiceNode node, int generation, String error) {
        if (current(node, generation, ServiceState.CLOSING)) {
            node.cancelTimer();
            move(node, ServiceState.CLOSED);
            if (error.isEmpty()) {
                loop.emit(node, Type.CLOSED);
            } else {
                loop.emit(node, Type.CLOSED, "error", error);
            }
        }
    }

    /** R13: a close past its timeout is killed, and counts as closed for ordering. */
    private void closeTimedOut(ServiceNode node, int generation) {
        if (current(node, generation, ServiceState.CLOSING)) {
            node.remote.kill();
            move(node, ServiceState.CLOSED);
            loop.emit(node, Type.CLOSED, "reason",
                    "killed: close took longer than " + Durations.format(node.spec.closeTimeout()));
        }
    }

    // ---- ends nobody asked for --------------------------------------------------------------

    /**
     * The control connection ended unasked. A reason that explains the end (a protocol violation,
     * unresponsiveness) kills the remote now; its exit is the crash. A bare end of stream is
     * mostly the echo of a process that is exiting: it gets its kind's {@link RemoteProcess#exitReportGrace} to exit by itself,
     * so that its own status decides (a clean exit of its own accord is not a crash — killing it
     * first, a sandbox's parent process, would turn its status 0 into a SIGKILL).
     */
    void connectionLost(ServiceNode node, int generation, String reason, boolean explainsEnd) {
        RemoteProcess remote = node.remote;
        if (node.generation != generation || !node.state().isActive() || remote == null) {
            return;
        }
        if (explainsEnd) {
            node.lostReason = reason;
            remote.kill();
        } else {
            ports.timers().after(remote.exitReportGrace(), remote::kill); // does nothing to a process that ended
        }
    }

    void exited(ServiceNode node, int generation, RemoteProcess.Exit exit) {
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
        boolean meantToCycle = node.goal == Goal.CYCLE;
        node.cancelTimer();
        // Kill first: a remote that saw its connection close first would report a lost
        // connection in its last output line, which is not what happened.
        if (node.remote != null) {
            node.remote.kill();
        }
        if (node.session != null) {
            node.session.stop();
        }
        node.problem(reason);
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("reason", reason);
        all.putAll(details);
        loop.emit(node, type, all);
        loop.answerSpawn(node, "child '" + node.name() + "' failed to start: " + reason);
        move(node, ServiceState.CLOSED);
        loop.emit(node, Type.CLOSED);
        recycleDependents(node, "dependency " + node.name() + " " + type.wireName(), new HashSet<>());
        if (!meantToCycle) {
            decideRestart(node, true);
        } // else it stays wanted and starts again once its dependencies run, like a dependent R9 closed
    }

    /** The service's process exited with status 0 while running: not a failure, but not a close either. */
    private void endedOfItsOwnAccord(ServiceNode node) {
        node.cancelTimer();
        node.session.stop();
        move(node, ServiceState.CLOSED);
        loop.emit(node, Type.CLOSED, "reason", "exited of its own accord");
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
                if (dependent.goal != Goal.DOWN) {
                    dependent.goal = Goal.CYCLE;
                }
                dependent.cycleCause = cause;
                recycleDependents(dependent, cause, seen);
            }
        }
    }

    /** After a service ended unasked: restart it later, give up on it, or leave it down (SPEC §4 restart). */
    private void decideRestart(ServiceNode node, boolean failure) {
        if (loop.phase != Phase.RUNNING) {
            return;
        }
        switch (node.restarts.decide(ports.clock().instant(), failure)) {
            case RestartTracker.StayDown stay -> node.goal = Goal.DOWN;
            case RestartTracker.GiveUp giveUp -> {
                node.goal = Goal.DOWN;
                node.problem(giveUp.reason());
                loop.emit(node, Type.FAILED, "reason", giveUp.reason());
            }
            case RestartTracker.Restart restart -> {
                node.goal = Goal.BACKOFF;
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("attempt", restart.attempt());
                details.put("backoff", Durations.format(restart.delay()));
                loop.emit(node, Type.RESTARTING, details);
                node.timer = ports.timers().after(restart.delay(), () -> loop.post(() -> {
                    if (node.goal == Goal.BACKOFF) {
                        node.goal = Goal.UP;
                    }
                }));
            }
        }
    }

    // ---- destroy --------------------------------------------------------------------------

    void beginDestroy(ServiceNode node) {
        move(node, ServiceState.DESTROYING);
        ports.work().execute(() -> {
            node.container.destroy();
            loop.post(() -> {
                move(node, ServiceState.DESTROYED);
                loop.emit(node, Type.DESTROYED);
                if (node.isChild()) {
                    loop.removeChild(node);
                }
            });
        });
    }

    private static boolean current(ServiceNode node, int generation, ServiceState expected) {
        return node.generation == generation && node.state() == expected;
    }
}
