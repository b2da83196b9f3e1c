package io.servicescluster.core.container.docker;

import com.github.dockerjava.api.DockerClient;
import io.servicescluster.core.container.RemoteProcess;
import io.servicescluster.protocol.ControlChannel;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * A remote in a Docker container. Its end is the engine's {@code wait} answer; its pid is the
 * container's main process as the host sees it ({@code State.Pid}), 0 if the engine runs elsewhere.
 */
final class DockerRemote implements RemoteProcess {

    private final DockerClient docker;
    private final String containerId;
    private final ControlChannel channel;
    private final String dataEndpoint;
    private final long pid;
    private final CompletableFuture<Exit> exit;

    DockerRemote(DockerClient docker, String containerId, ControlChannel channel, String dataEndpoint, long pid,
            CompletableFuture<Exit> exit) {
        this.docker = docker;
        this.containerId = containerId;
        this.channel = channel;
        this.dataEndpoint = dataEndpoint;
        this.pid = pid;
        this.exit = exit;
    }

    /** The container's id. */
    String containerId() {
        return containerId;
    }

    @Override
    public ControlChannel channel() {
        return channel;
    }

    @Override
    public String dataEndpoint() {
        return dataEndpoint;
    }

    @Override
    public OptionalLong pid() {
        return pid > 0 ? OptionalLong.of(pid) : OptionalLong.empty();
    }

    @Override
    public CompletableFuture<Exit> onExit() {
        return exit;
    }

    @Override
    public void kill() {
        if (!exit.isDone()) {
            kill(docker, containerId);
        }
    }

    /** SIGKILL through the engine; a container that is not running any more is no error. */
    static void kill(DockerClient docker, String id) {
        try {
            docker.killContainerCmd(id).withSignal("KILL").exec();
        } catch (RuntimeException e) {
            // not running, or already removed
        }
    }
}
