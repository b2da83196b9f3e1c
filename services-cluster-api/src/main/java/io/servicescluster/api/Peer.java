package io.servicescluster.api;

import java.util.concurrent.CompletableFuture;

/** Another service of the cluster, as seen by a service that depends on it. */
public interface Peer {

    /** The peer's name in the cluster. */
    String name();

    /**
     * Sends a request to the peer's handler for {@code method}.
     *
     * @return the reply; completes exceptionally if the handler throws, no handler is registered,
     *     the request times out, or the peer closes or crashes first
     */
    CompletableFuture<byte[]> request(String method, byte[] body);

    /** Sends an event to the peer's {@link ServiceContext#onEvent} handler. */
    void send(String event, byte[] payload);

    /** Receives the events that the peer {@link ServiceContext#publish publishes} as {@code event}. */
    void subscribe(String event, EventHandler handler);
}
