package io.servicescluster.core.container.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import com.github.dockerjava.api.model.TaskStatus;
import io.servicescluster.core.container.RemoteProcess;
import io.servicescluster.protocol.ControlChannel;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The remote of one start: a swarm service with one task, anywhere in the swarm. Its end is known
 * from the engine's events ({@link SwarmEvents}: the service removed, or its container's {@code
 * die} on the manager's node), or, for a task on another node, when the manager kills it after its
 * control connection ended (the remote exits then by itself, R11) — the task's last status then
 * says how it ended. Killing it removes the service (the swarm stops the task) and its secret.
 */
final class SwarmRemote implements RemoteProcess {

    /**
     * How long a kill waits for the swarm to report the task ended: a node that answers does in
     * about 0.1–0.3 s; one cut off never does, and its service's crash (R9) must not wait long.
     */
    static final long KILL_WAIT_MILLIS = 1000;
    private static final Exit KILLED = new Exit(137, "was killed (its swarm service removed)", false);
    /** How long a task that was killed but not reported ended keeps its service (so that its end can still be seen). */
    static final long FINISH_WAIT_MILLIS = 5000;

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SwarmRemote.class);

    private final DockerClient docker;
    private final SwarmEvents events;
    private final String serviceId;
    private final String secretId;
    private final TaskLogs logs;
    private final Runnable onRemoved;
    private final CompletableFuture<Exit> exit = new CompletableFuture<>();
    private final AtomicBoolean removed = new AtomicBoolean();
    private final AtomicBoolean reaping = new AtomicBoolean();
    /** Completes once the service is removed. */
    private final CompletableFuture<Void> gone = new CompletableFuture<>();
    private volatile ControlChannel channel;
    private volatile String dataEndpoint = "";
    private volatile long pid;

    /**
     * @param removed run once the service is removed: the start is done with its code configs
     */
    SwarmRemote(DockerClient docker, SwarmEvents events, String serviceId, String secretId, TaskLogs logs,
            Runnable removed) {
        this.docker = docker;
        this.onRemoved = removed;
        this.logs = logs;
        this.events = events;
        this.serviceId = serviceId;
        this.secretId = secretId;
        events.watch(serviceId, this::onEvent);
    }

    /**
     * Connected: its control channel, its data endpoint as its dependents reach it, and its pid
     * where its node is this machine (0: elsewhere, or not known).
     */
    SwarmRemote connected(ControlChannel channel, String dataEndpoint, long pid) {
        this.channel = channel;
        this.dataEndpoint = dataEndpoint;
        this.pid = pid;
        return this;
    }

    String serviceId() {
        return serviceId;
    }

    TaskLogs logs() {
        return logs;
    }

    private void onEvent(Event event) {
        String type = SwarmEvents.eventType(event);
        if (type.equals("service") && "remove".equals(event.getAction())) {
            exit.complete(new Exit(-1, "ended: its swarm service was removed", false));
        } else if (type.equals("container") && "die".equals(event.getAction())) {
            String code = event.getActor().getAttributes().get("exitCode");
            int status = code == null ? -1 : Integer.parseInt(code);
            exit.complete(new Exit(status, Exit.describeStatus(status), false));
        }
    }

    /** The service's task as the swarm sees it now, if it has one yet. */
    Optional<Task> task() {
        try {
            List<Task> tasks = docker.listTasksCmd().withServiceFilter(serviceId).exec();
            return tasks.stream().max(Comparator.comparing(t -> t.getCreatedAt() == null ? "" : t.getCreatedAt()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether the task cannot run (any more): ended, refused, or waiting for a node the swarm says it has not. */
    static Optional<String> hopeless(Task task) {
        TaskStatus status = task.getStatus();
        if (status == null || status.getState() == null) {
            return Optional.empty();
        }
        TaskState state = status.getState();
        String err = status.getErr() == null || status.getErr().isBlank() ? status.getMessage() : status.getErr();
        return switch (state) {
            case FAILED, REJECTED, COMPLETE, SHUTDOWN, ORPHANED -> Optional.of(state.getValue() + ": " + err);
            case PENDING -> status.getErr() == null || status.getErr().isBlank() ? Optional.empty()
                    : Optional.of("pending: " + status.getErr());
            default -> Optional.empty();
        };
    }

    /** How a task that ended, ended; empty while it runs. */
    static Optional<Exit> exitOf(Task task) {
        TaskStatus status = task.getStatus();
        if (status == null || status.getState() == null) {
            return Optional.empty();
        }
        return switch (status.getState()) {
            case FAILED, COMPLETE, REJECTED, SHUTDOWN, ORPHANED -> {
                Integer code = status.getContainerStatus() == null ? null : status.getContainerStatus().getExitCode();
                int exitCode = code == null ? -1 : code;
                String err = status.getErr() == null || status.getErr().isBlank() ? "" : " (" + status.getErr() + ")";
                yield Optional.of(new Exit(exitCode, Exit.describeStatus(exitCode) + err, false));
            }
            default -> Optional.empty();
        };
    }

    @Override
    public ControlChannel channel() {
        return channel;
    }

    @Override
    public String dataEndpoint() {
        return dataEndpoint;
    }

    /** The task's process as this host sees it, when its node is this machine; else none. */
    @Override
    public OptionalLong pid() {
        return pid > 0 ? OptionalLong.of(pid) : OptionalLong.empty();
    }

    @Override
    public CompletableFuture<Exit> onExit() {
        return exit;
    }

    /**
     * Ends the task: the service is scaled to no task, so that its node kills it (stop signal
     * SIGKILL) and the swarm reports it shut down once its container stopped. Waits at most
     * {@value #KILL_WAIT_MILLIS} ms for that report. The service and its secret are removed in the
     * background ({@link #finish} waits for that): once the swarm deleted the ended task
     * ({@link ServiceRemoval}), or after {@value #FINISH_WAIT_MILLIS} ms if the task's end is not
     * reported. A task that had ended by itself, or that the swarm would not scale, goes at once.
     * The end is the task's last status if it had ended by itself. Idempotent.
     */
    @Override
    public void kill() {
        if (removed.get() || reaping.get()) {
            exit.complete(KILLED);
            return;
        }
        Optional<Task> task = task();
        Optional<Exit> ended = task.flatMap(SwarmRemote::exitOf);
        if (task.isEmpty() || ended.isPresent() || !scaleToNothing()) {
            remove();
        } else {
            boolean endReported = awaitTaskEnded(KILL_WAIT_MILLIS); // a node cut off never reports it
            if (reaping.compareAndSet(false, true)) {
                Thread.ofVirtual().name("swarm-reap-" + serviceId).start(() -> {
                    if (!endReported) {
                        awaitTaskEnded(FINISH_WAIT_MILLIS);
                    }
                    remove();
                });
            }
        }
        exit.complete(ended.orElse(KILLED));
    }

    /**
     * Kills the task if it runs, and waits at most {@code millis} for the swarm to report it ended
     * and the service removed (a node cut off reports nothing: its task ends there by itself when
     * its control connection is lost, R11, and its node removes it once it rejoins); then removes
     * the service and its secret in any case, and returns once they are (a removal already under
     * way on the background thread may still wait out the task reaper: at most {@link
     * ServiceRemoval#REAP_WAIT_MILLIS} more).
     */
    void finish(long millis) {
        kill();
        boolean interrupted = false;
        try {
            gone.get(millis, TimeUnit.MILLISECONDS);
            return;
        } catch (TimeoutException | ExecutionException e) {
            // removed below
        } catch (InterruptedException e) {
            interrupted = true;
        }
        remove(); // does nothing if the background thread removes it already: wait for that below
        try {
            gone.get(ServiceRemoval.REAP_WAIT_MILLIS + KILL_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.debug("swarm service {} not removed yet; its removal goes on in the background", serviceId);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the swarm took the order; if not, the service is removed at once (its task with it). */
    private boolean scaleToNothing() {
        try {
            Service service = docker.inspectServiceCmd(serviceId).exec();
            ServiceSpec spec = service.getSpec();
            spec.withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(0)));
            docker.updateServiceCmd(serviceId, spec).withVersion(service.getVersion().getIndex()).exec();
            return true;
        } catch (RuntimeException e) {
            log.debug("cannot scale swarm service {} down ({}); removing it", serviceId, e.toString());
            return false;
        }
    }

    /** Reads the task until the swarm reports it ended, at most {@code millis}: Docker 20.10 has no task events to wait on. */
    private boolean awaitTaskEnded(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (true) {
            Optional<Task> task = task();
            if (task.isEmpty() || exitOf(task.get()).isPresent()) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /**
     * Removes the service, once the swarm deleted its tasks that it was about to ({@link
     * ServiceRemoval}), and its secret; once; never throws.
     */
    void remove() {
        if (removed.compareAndSet(false, true)) {
            events.forget(serviceId);
            try {
                logs.close();
            } catch (java.io.IOException e) {
                // closing anyway
            }
            try {
                ServiceRemoval.remove(docker, serviceId, ServiceRemoval.REAP_WAIT_MILLIS);
            } catch (RuntimeException e) {
                // removed already
            }
            try {
                docker.removeSecretCmd(secretId).exec();
            } catch (RuntimeException e) {
                // removed already, or still held for a moment by the ending task: the orphan clean-up takes it
            }
            try {
                onRemoved.run();
            } finally {
                gone.complete(null);
            }
        }
    }
}
