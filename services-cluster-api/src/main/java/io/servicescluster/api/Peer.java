package io.servicescluster.api;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Another service of the cluster, as seen by a service that depends on it ({@link
 * ServiceContext#peer}). One connection per dependency carries every request, event and
 * subscription; all callers share it, and every method is safe from any thread.
 *
 * <p>Failures: a request's future completes exceptionally with {@link RemoteException} (the
 * peer's handler threw, or it has no handler for the method), {@link
 * java.util.concurrent.TimeoutException} (no reply within the timeout), {@link
 * PeerUnavailableException} (the connection was refused, broke or closed: every pending request
 * fails at once), or {@link IllegalArgumentException} (the body exceeds the message size limit;
 * nothing was sent). {@link #send} throws the same exceptions instead of failing a future.
 *
 * <p>Threading: futures are completed on the connection's reader thread, so stages attached with
 * the non-async {@code then…} methods run there and must not block; use {@code join()}/{@code
 * get()} from your own (virtual) thread or the {@code …Async} variants for blocking work.
 * Subscribed handlers run on a virtual thread of their own per connection, one event after
 * another, in the order the peer published them.
 */
public interface Peer {

    /** The peer's name in the cluster. */
    String name();

    /**
     * Sends a request to the peer's handler for {@code method}, with the default timeout (the
     * service's {@code requestTimeout} setting, 30s if unset).
     *
     * @return the reply; completes exceptionally if the handler throws, no handler is registered,
     *     the request times out, or the peer closes or crashes first
     */
    CompletableFuture<byte[]> request(String method, byte[] body);

    /**
     * Sends a request that fails with {@link java.util.concurrent.TimeoutException} unless its
     * reply arrives within {@code timeout}. Otherwise as {@link #request(String, byte[])}.
     */
    default CompletableFuture<byte[]> request(String method, byte[] body, Duration timeout) {
        return request(method, body).orTimeout(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /**
     * Sends an event to the peer's {@link ServiceContext#onEvent} handler. Events from one sender
     * arrive in the order sent. Blocks briefly while the connection's send queue is full
     * (backpressure).
     *
     * @throws IllegalArgumentException if the payload exceeds the message size limit
     * @throws PeerUnavailableException if the peer cannot be reached or stopped reading
     */
    void send(String event, byte[] payload);

    /** Receives the events that the peer {@link ServiceContext#publish publishes} as {@code event}. */
    void subscribe(String event, EventHandler handler);

    /** {@link #request(String, byte[])} with a UTF-8 body and reply. */
    default CompletableFuture<String> requestText(String method, String body) {
        return request(method, Text.bytes(body)).thenApply(Text::string);
    }

    /** {@link #request(String, byte[], Duration)} with a UTF-8 body and reply. */
    default CompletableFuture<String> requestText(String method, String body, Duration timeout) {
        return request(method, Text.bytes(body), timeout).thenApply(Text::string);
    }

    /** {@link #send} with a UTF-8 payload. */
    default void sendText(String event, String payload) {
        send(event, Text.bytes(payload));
    }

    /** {@link #subscribe} with the payload decoded as UTF-8. */
    default void subscribeText(String event, Consumer<String> handler) {
        subscribe(event, (name, payload) -> handler.accept(Text.string(payload)));
    }
}
