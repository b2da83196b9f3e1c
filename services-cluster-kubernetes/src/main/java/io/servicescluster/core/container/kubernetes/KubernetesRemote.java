package io.servicescluster.core.container.kubernetes;

import io.servicescluster.core.container.RemoteProcess;
import io.servicescluster.protocol.ControlChannel;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * A remote in a pod. Its end is what the pod's watch reports ({@link PodWatch}); it has no pid
 * this manager can see (it runs on some node); a kill deletes the pod at once.
 */
final class KubernetesRemote implements RemoteProcess {

    private final ControlChannel channel;
    private final String dataEndpoint;
    private final CompletableFuture<Exit> exit;
    private final Runnable delete;
    private final OptionalLong pid;

    KubernetesRemote(ControlChannel channel, String dataEndpoint, CompletableFuture<Exit> exit, Runnable delete,
            OptionalLong pid) {
        this.channel = channel;
        this.pid = pid;
        this.dataEndpoint = dataEndpoint;
        this.exit = exit;
        this.delete = delete;
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
        return pid;
    }

    @Override
    public CompletableFuture<Exit> onExit() {
        return exit;
    }

    /**
     * 10 s: a container's end reaches the manager only once the kubelet has noticed it (its
     * relist runs every second) and written the pod's status, which under load took over 2 s; the
     * kill before that would report the pod's deletion, not the container's own exit status.
     */
    @Override
    public java.time.Duration exitReportGrace() {
        return java.time.Duration.ofSeconds(10);
    }

    @Override
    public void kill() {
        if (!exit.isDone()) {
            delete.run();
        }
    }
}
