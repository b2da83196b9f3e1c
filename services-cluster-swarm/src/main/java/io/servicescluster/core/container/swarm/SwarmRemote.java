package io.servicescluster.core.container.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Event;
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
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The remote of one start: a swarm service with one task, anywhere in the swarm. Its end is known
 * from the engine's events ({@link SwarmEvents}: the service removed, or its container's {@code
 * die} on the manager's node), or, for a task on another node, when the manager kills it after its
 * control connection ended (the remote exits then by itself, R11) — the task's last status then
 * says how it ended. Killing it removes the service (the swarm stops the task) and its secret.
 */
final class SwarmRemote implements RemoteProcess {

    private final DockerClient docker;
    private final SwarmEvents events;
    private final String serviceId;
    private final String secretId;
    private final TaskLogs logs;
    private final CompletableFuture<Exit> exit = new CompletableFuture<>();
    private final AtomicBoolean removed = new AtomicBoolean();
    private volatile ControlChannel channel;
    private volatile String dataEndpoint = "";

    SwarmRemote(DockerClient docker, SwarmEvents events, String serviceId, String secretId, TaskLogs logs) {
        this.docker = docker;
        this.logs = logs;
        this.events = events;
        this.serviceId = serviceId;
        this.secretId = secretId;
        events.watch(serviceId, this::onEvent);
    }

    /** Connected: its control channel and its data endpoint as its dependents reach it. */
    SwarmRemote connected(ControlChannel channel, String dataEndpoint) {
        this.channel = channel;
        this.dataEndpoint = dataEndpoint;
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

    /** None: the task's process is on its node, not in this host's pid space. */
    @Override
    public OptionalLong pid() {
        return OptionalLong.empty();
    }

    @Override
    public CompletableFuture<Exit> onExit() {
        return exit;
    }

    /** Removes the service (its task is stopped by its node) and its secret; the end is the task's last status, if it had one. */
    @Override
    public void kill() {
        if (!exit.isDone()) {
            Exit ended = task().flatMap(SwarmRemote::exitOf)
                    .orElse(new Exit(137, "was killed (its swarm service removed)", false));
            remove();
            exit.complete(ended);
        } else {
            remove();
        }
    }

    /** Removes the service and its secret, once; never throws. */
    void remove() {
        if (removed.compareAndSet(false, true)) {
            events.forget(serviceId);
            try {
                logs.close();
            } catch (java.io.IOException e) {
                // closing anyway
            }
            try {
                docker.removeServiceCmd(serviceId).exec();
            } catch (RuntimeException e) {
                // removed already
            }
            try {
                docker.removeSecretCmd(secretId).exec();
            } catch (RuntimeException e) {
                // removed already, or still held for a moment by the ending task: the orphan clean-up takes it
            }
        }
    }
}
