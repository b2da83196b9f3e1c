package io.servicescluster.core.manager;

import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.RemoteProcess;
import io.servicescluster.core.container.ServiceContainer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One service and its container, as the decision loop sees it. Fields without {@code volatile}
 * belong to the loop thread alone; the volatile ones and the exception list are published for
 * {@link #status()}, which any thread may call.
 */
final class ServiceNode {

    private static final int KEPT_EXCEPTIONS = 20;

    final ServiceSpec spec;
    final ServiceContainer container;
    /** The service's private work directory, as its remote sees it. */
    final Path workDir;
    final List<ServiceNode> dependencies = new ArrayList<>();
    final List<ServiceNode> dependents = new ArrayList<>();
    /** The service that spawned this one at run time (R8), or {@code null} for a declared service. */
    final ServiceNode parent;
    /** The parent's generation (its start) that spawned this child; 0 for a declared service. */
    final int parentGeneration;

    // ---- loop-confined ----
    /** Bumped at every start; messages of an older start are ignored. */
    int generation;
    /** What the loop should do with this service; {@link Goal#UP} until it ends for good or a user says otherwise. */
    Goal goal = Goal.UP;
    /** While {@link Goal#CYCLE} because a dependency ended unasked (R9): {@code dependency db crashed}; else null. */
    String cycleCause;
    /** The manager's side of the current start's remote, from its launch until the start ends; else null. */
    ControlSession session;
    /** The current start's remote, from its launch; else null. */
    RemoteProcess remote;
    /** The remote launched ahead of its next start while it waits (issue 14), if any ({@link LaunchAhead}). */
    LaunchAhead.Ahead ahead;
    /** Launches ahead that failed or died in a row (since it last ran); at {@link LaunchAhead#MAX_FAILURES} none is tried. */
    int aheadFailures;
    /** {@link #ahead}'s prepared remote, for other threads: its memory counts in the status. */
    volatile ControlSession.Waiting readyRemote;
    /** The start, close or restart-backoff timeout in force, if any. */
    Timers.Timer timer;
    /** Why the control connection was lost, when that explains the end better than the exit status. */
    String lostReason;
    /** The key its dependents' capabilities derive from; new at every start. */
    String capabilityKey;
    /** When the current (or last) start began. */
    Instant startBegan;
    /** The current start's health checks (R16), once its start returned with a check; else null. */
    HealthProgress health;
    /** The children this service spawned that still exist (R8), in spawn order. */
    final List<ServiceNode> children = new ArrayList<>();
    /** For a child: the parent's request to answer once this child runs or cannot, or {@code null} once answered. */
    Long spawnRequest;
    final RestartTracker restarts;

    // ---- published ----
    private volatile ServiceState state = ServiceState.NEW;
    private volatile String problem;
    /** For {@code svc ps}: {@code starting}, {@code healthy}, {@code unhealthy (1/3)}; null without a check. */
    private volatile String healthNote;
    private volatile OptionalLong pid = OptionalLong.empty();
    private volatile Instant runningSince;
    private volatile int starts;
    private volatile ResourceStats stats;
    /**
     * CPU time of the runs that ended, so that the total of {@link #status()} only grows across
     * restarts (a Prometheus counter); guarded by {@code this}, with {@link #stats} changes.
     */
    private long endedRunsCpuNanos;
    private final Deque<ExceptionReport> exceptions = new ArrayDeque<>();

    ServiceNode(ServiceSpec spec, ServiceContainer container, Path workDir) {
        this(spec, container, workDir, null, 0);
    }

    ServiceNode(ServiceSpec spec, ServiceContainer container, Path workDir, ServiceNode parent, int parentGeneration) {
        this.spec = spec;
        this.container = container;
        this.workDir = workDir;
        this.parent = parent;
        this.parentGeneration = parentGeneration;
        this.restarts = new RestartTracker(spec.restart());
    }

    /** Whether this service was spawned at run time (R8). */
    boolean isChild() {
        return parent != null;
    }

    /**
     * The declared service this node descends from (itself if it is one): whose family its
     * children count against, and whose turn of the compilers a child's source takes.
     */
    ServiceNode declaredAncestor() {
        ServiceNode root = this;
        while (root.parent != null) {
            root = root.parent;
        }
        return root;
    }

    String name() {
        return spec.name();
    }

    ServiceState state() {
        return state;
    }

    /**
     * Publishes the new state; loop thread only. Reaching {@code closed} completes a cycle: the
     * service is wanted up again.
     *
     * @throws IllegalStateException if {@link ServiceState#mayMoveTo} forbids it: a bug of the loop
     */
    void moveTo(ServiceState next, Instant now) {
        if (!state.mayMoveTo(next)) {
            throw new IllegalStateException("illegal transition of '" + name() + "': " + state + " -> " + next);
        }
        state = next;
        if (next == ServiceState.CLOSED) {
            if (goal == Goal.CYCLE) {
                goal = Goal.UP;
            }
            cycleCause = null;
        }
        if (next == ServiceState.RUNNING) {
            runningSince = now;
            problem = null;
        } else {
            runningSince = null;
        }
        if (!next.isActive()) {
            pid = OptionalLong.empty();
            endRun();
        }
        if (next == ServiceState.STARTING) {
            starts++;
        }
    }

    void healthNote(String note) {
        healthNote = note;
    }

    void problem(String reason) {
        problem = reason;
    }

    void pid(OptionalLong value) {
        pid = value;
    }

    /** Adds the last sample of the run that ended to the total, and forgets it. */
    private synchronized void endRun() {
        if (stats != null) {
            endedRunsCpuNanos += stats.cpuTimeNanos();
            stats = null;
        }
    }

    /**
     * Keeps a sample of start number {@code run} (the start's generation, which the loop bumps
     * with every move to {@code starting}, as {@link #moveTo} counts {@code starts}). A sample of an older start, or one arriving
     * after its run ended, is dropped: counted again, it would make the CPU total go back down.
     */
    synchronized void stats(int run, ResourceStats value) {
        if (run == starts && state.isActive()) {
            stats = value;
        }
    }

    void exception(ExceptionReport report) {
        synchronized (exceptions) {
            if (exceptions.size() == KEPT_EXCEPTIONS) {
                exceptions.removeFirst();
            }
            exceptions.addLast(report);
        }
    }

    /** Whether the loop wants it up: now ({@link Goal#UP}), or after a close or backoff. */
    boolean wanted() {
        return goal != Goal.DOWN;
    }

    /** Cancels the start, close or backoff timeout, if one is armed. */
    void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    ServiceStatus status() {
        List<ExceptionReport> recent;
        synchronized (exceptions) {
            recent = List.copyOf(exceptions);
        }
        ResourceStats sample;
        long cpuTotal;
        synchronized (this) {
            sample = stats;
            cpuTotal = endedRunsCpuNanos + (sample == null ? 0 : sample.cpuTimeNanos());
        }
        ControlSession.Waiting ready = readyRemote;
        return new ServiceStatus(spec.name(), container.kind(), state, Optional.ofNullable(problem), pid,
                Optional.ofNullable(runningSince), starts, Optional.ofNullable(sample), recent, spec.restrictions(),
                cpuTotal, state.isActive() ? Optional.ofNullable(healthNote) : Optional.empty(),
                ready == null ? 0 : ready.rssBytes());
    }

    /**
     * What the loop should do with a service, besides the rules of its dependencies: the intent
     * that users' commands, crashes and the restart policy set, and the state machine carries out.
     */
    enum Goal {
        /** Keep it running: start it whenever its dependencies run. */
        UP,
        /** Close it if it runs, then keep it up again: a user's restart, or a dependency ended under it (R9). */
        CYCLE,
        /** Keep it down once it is not running: after a restart policy's backoff, {@link #UP}. */
        BACKOFF,
        /** Close it if it runs and keep it down: asked to stop, ended for good, or given up on. */
        DOWN
    }

    @Override
    public String toString() {
        return spec.name() + "[" + state + "]";
    }
}
