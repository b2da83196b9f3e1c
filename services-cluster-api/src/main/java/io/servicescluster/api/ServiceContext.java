package io.servicescluster.api;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a running service sees of its cluster. Passed to {@link Service#start}; safe to use from
 * any thread until the service is closed.
 *
 * <p>Threading of handlers: each request runs its {@link RequestHandler} on a thread of its own,
 * so requests are served concurrently and a handler may block. A request that arrives alone on
 * its connection runs on the platform thread that read it, which hands the reading to another
 * thread first (no thread switch between the request and its reply); requests that arrive
 * together, or while another request of the same connection is being handled, run on virtual
 * threads ({@link #onRequestDirect}: on the reading thread itself). Do not rely on either kind of thread (nor on thread-local state across requests); an
 * interrupt or context class loader a handler leaves on its thread ends with the handler. Events sent to this
 * service ({@link #onEvent}) run on one virtual thread per sending connection, one after another
 * in the order sent; a slow event handler holds back later events of that sender only (and, once
 * its queue is full, that sender: backpressure). Declare handlers in {@link Service#start} before
 * it returns: dependents can reach this service as soon as it is {@code running}.
 */
public interface ServiceContext {

    /** The service's name in the cluster (R1). */
    String name();

    /** The service's {@code settings} from the cluster file; never {@code null}, unmodifiable. */
    Map<String, String> settings();

    /** A private, writable directory that exists before {@link Service#start} is called. */
    Path workDir();

    /** Serves requests named {@code method} from the services that depend on this one. */
    void onRequest(String method, RequestHandler handler);

    /**
     * Serves requests named {@code method} as {@link #onRequest} does, but on the thread that read
     * them ("direct", as gRPC's direct executor): no hand-off to another thread, so a busy
     * connection's requests cost fewer thread switches and their replies share writes. For
     * handlers that never block and return quickly (compute on the body, read memory): while one
     * runs, its connection reads nothing else, so a handler that waits (on a lock held long, on I/O,
     * on a request to another service) holds back every later request of that dependent (and the
     * replies of the direct requests read with it, written together at the end of the read). A context
     * that cannot serve directly (a test double) serves as {@link #onRequest}.
     */
    default void onRequestDirect(String method, RequestHandler handler) {
        onRequest(method, handler);
    }

    /** Receives events named {@code event} that dependents {@link Peer#send send} to this service. */
    void onEvent(String event, EventHandler handler);

    /**
     * Publishes an event to the dependents that {@link Peer#subscribe subscribed} to it, in order.
     * Blocks briefly while a subscriber's send queue is full (backpressure).
     *
     * @throws IllegalArgumentException if the payload exceeds the message size limit
     */
    void publish(String event, byte[] payload);

    /**
     * Returns a declared dependency that is {@code running} (R6, R15).
     *
     * @throws IllegalArgumentException if {@code dependency} is not declared in {@code dependsOn}
     * @throws IllegalStateException if the dependency is not running
     */
    Peer peer(String dependency);

    /**
     * Spawns a child service that depends on this one (R8). Needs permission {@code spawn}.
     *
     * @return the child, once it is running
     * @throws Exception if the spawn is refused or the child fails to start
     */
    Peer spawn(ChildSpec child) throws Exception;

    /**
     * Registers this service's own health check (R16): once registered in {@link Service#start},
     * the service is {@code running} only after the check first passes, and, once running,
     * {@code retries} failing checks in a row make it {@code crashed} (the cluster file's
     * {@code health:} sets interval, timeout, retries and startPeriod; without it, 1s, 1s, 3 and
     * 0s). A later call replaces the check. The check runs on a thread of its own, so it sees a
     * service whose request handlers are stuck.
     *
     * @throws UnsupportedOperationException if this context runs no health checks (a test double)
     */
    default void health(HealthCheck check) {
        throw new UnsupportedOperationException("this context runs no health checks");
    }

    /** {@link #onRequest} for a UTF-8 body and reply. */
    default void onRequestText(String method, TextRequestHandler handler) {
        onRequest(method, body -> Text.bytes(handler.handle(Text.string(body))));
    }

    /** {@link #onEvent} with the payload decoded as UTF-8. */
    default void onEventText(String event, Consumer<String> handler) {
        onEvent(event, (name, payload) -> handler.accept(Text.string(payload)));
    }

    /** {@link #publish} with a UTF-8 payload. */
    default void publishText(String event, String payload) {
        publish(event, Text.bytes(payload));
    }
}
