package io.servicescluster.core.container.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.servicescluster.core.container.RemoteProcess.Exit;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API server's watch of one pod (never polling): completes {@link #unstartable} with the API's
 * reason when the pod will not start (a bad image, no node for it), and {@link #ended} with how
 * its container ended ({@link PodOutcome}), or when the pod is deleted. A watch the server closes
 * (its history expired) is opened again until the pod has ended.
 */
final class PodWatch implements Watcher<Pod>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PodWatch.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final CompletableFuture<String> unstartable = new CompletableFuture<>();
    private final CompletableFuture<Exit> ended = new CompletableFuture<>();
    private volatile Watch watch;
    private volatile boolean closed;

    private PodWatch(KubernetesClient client, String namespace, String name) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
    }

    /** Starts watching pod {@code namespace/name}; the first event is its state now. */
    static PodWatch of(KubernetesClient client, String namespace, String name) {
        PodWatch watcher = new PodWatch(client, namespace, name);
        watcher.open();
        return watcher;
    }

    private void open() {
        try {
            watch = client.pods().inNamespace(namespace).withName(name).watch(this);
        } catch (KubernetesClientException e) {
            ended.complete(new Exit(-1, "ended (its pod cannot be watched: " + Api.describe(e) + ")", false));
        }
    }

    /** The API's reason when the pod will not start. */
    CompletableFuture<String> unstartable() {
        return unstartable;
    }

    /** How the pod's container ended, once it has. */
    CompletableFuture<Exit> ended() {
        return ended;
    }

    @Override
    public void eventReceived(Action action, Pod pod) {
        if (action == Action.DELETED) {
            PodOutcome last = PodOutcome.of(pod);
            ended.complete(last.kind() == PodOutcome.Kind.ENDED ? last.exit()
                    : new Exit(-1, "ended: its pod was deleted", false));
            return;
        }
        PodOutcome outcome = PodOutcome.of(pod);
        switch (outcome.kind()) {
            case ENDED -> ended.complete(outcome.exit());
            case UNSTARTABLE -> unstartable.complete(outcome.reason());
            default -> { }
        }
    }

    @Override
    public void onClose(WatcherException cause) {
        if (closed || ended.isDone()) {
            return;
        }
        log.debug("the watch of pod {}/{} closed ({}); watching again", namespace, name, cause.getMessage());
        open();
    }

    @Override
    public void close() {
        closed = true;
        Watch current = watch;
        if (current != null) {
            current.close();
        }
    }
}
