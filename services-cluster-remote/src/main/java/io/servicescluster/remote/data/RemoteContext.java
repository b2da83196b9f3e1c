package io.servicescluster.remote.data;

import io.servicescluster.api.ChildSpec;
import io.servicescluster.api.EventHandler;
import io.servicescluster.api.Peer;
import io.servicescluster.api.RequestHandler;
import io.servicescluster.api.ServiceContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link ServiceContext} of the one service of this process. Identity and settings come from
 * the controller's {@code Code} message; handlers are declarations kept here for the data plane;
 * {@code publish}, {@code peer} and {@code spawn} go to the {@link DirectDataPlane} that made it.
 *
 * <p>Threading: every method is safe from any thread; the handler maps are concurrent.
 */
final class RemoteContext implements ServiceContext {

    private final String name;
    private final Map<String, String> settings;
    private final Path workDir;
    private final DirectDataPlane dataPlane;
    private final Map<String, Declared> requestHandlers = new ConcurrentHashMap<>();
    private final Map<String, EventHandler> eventHandlers = new ConcurrentHashMap<>();

    RemoteContext(String name, Map<String, String> settings, Path workDir, DirectDataPlane dataPlane) {
        this.name = name;
        this.settings = Map.copyOf(settings);
        this.workDir = workDir;
        this.dataPlane = dataPlane;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Map<String, String> settings() {
        return settings;
    }

    @Override
    public Path workDir() {
        return workDir;
    }

    /** A request handler as declared: served on a thread of its own, or on the reading thread ({@code direct}). */
    record Declared(RequestHandler handler, boolean direct) {
    }

    /** @throws IllegalStateException if a handler for {@code method} is already declared */
    @Override
    public void onRequest(String method, RequestHandler handler) {
        declare(method, handler, false);
    }

    /** @throws IllegalStateException if a handler for {@code method} is already declared */
    @Override
    public void onRequestDirect(String method, RequestHandler handler) {
        declare(method, handler, true);
    }

    private void declare(String method, RequestHandler handler, boolean direct) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(handler, "handler");
        if (requestHandlers.putIfAbsent(method, new Declared(handler, direct)) != null) {
            throw new IllegalStateException("a handler for request '" + method + "' is already declared");
        }
    }

    /** @throws IllegalStateException if a handler for {@code event} is already declared */
    @Override
    public void onEvent(String event, EventHandler handler) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(handler, "handler");
        if (eventHandlers.putIfAbsent(event, handler) != null) {
            throw new IllegalStateException("a handler for event '" + event + "' is already declared");
        }
    }

    @Override
    public void publish(String event, byte[] payload) {
        dataPlane.publish(Objects.requireNonNull(event, "event"), Objects.requireNonNull(payload, "payload"));
    }

    @Override
    public Peer peer(String dependency) {
        return dataPlane.peer(Objects.requireNonNull(dependency, "dependency"));
    }

    @Override
    public Peer spawn(ChildSpec child) throws Exception {
        return dataPlane.spawn(Objects.requireNonNull(child, "child"));
    }

    /** The methods that have a handler, sorted, for messages. */
    java.util.List<String> requestMethods() {
        return requestHandlers.keySet().stream().sorted().toList();
    }

    /** The declared handler for requests named {@code method}, or {@code null}. */
    Declared requestHandler(String method) {
        return requestHandlers.get(method);
    }

    /** The declared handler for events named {@code event}, or {@code null}. */
    EventHandler eventHandler(String event) {
        return eventHandlers.get(event);
    }

    @Override
    public String toString() {
        return "ServiceContext[" + name + "]";
    }
}
