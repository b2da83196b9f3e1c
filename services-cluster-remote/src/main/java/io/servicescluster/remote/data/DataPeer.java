package io.servicescluster.remote.data;

import io.servicescluster.api.EventHandler;
import io.servicescluster.api.Peer;
import io.servicescluster.api.PeerUnavailableException;
import io.servicescluster.protocol.ControlMessage.PeerUp;
import io.servicescluster.protocol.DataCodec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link Peer} for one declared dependency: one per dependency, shared by every caller. It
 * owns the subscriptions and one {@link DependencyConnection}, opened on first use and opened
 * again after a new {@code PeerUp} (the dependency was started anew): then the subscriptions are
 * sent again, so they survive a restart of the dependency.
 */
final class DataPeer implements Peer {

    private static final int NAME_CACHE = 1024;

    private final String name;
    private final DirectDataPlane plane;
    private final ReentrantLock connecting = new ReentrantLock();
    private final Map<String, CopyOnWriteArrayList<EventHandler>> subscriptions = new ConcurrentHashMap<>();
    private final Map<String, byte[]> names = new ConcurrentHashMap<>();
    private volatile PeerUp current;
    private volatile DependencyConnection connection;

    DataPeer(String name, PeerUp up, DirectDataPlane plane) {
        this.name = name;
        this.current = up;
        this.plane = plane;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletableFuture<byte[]> request(String method, byte[] body) {
        return request(method, body, plane.requestTimeoutNanos());
    }

    @Override
    public CompletableFuture<byte[]> request(String method, byte[] body, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a request timeout must be positive: " + timeout);
        }
        return request(method, body, timeout.toNanos());
    }

    private CompletableFuture<byte[]> request(String method, byte[] body, long timeoutNanos) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(body, "body");
        try {
            DataCodec.checkPayload("the body of request '" + method + "' to " + name, body.length);
            byte[] methodName = nameBytes(method);
            return connection().request(method, methodName, body, timeoutNanos);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void send(String event, byte[] payload) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(payload, "payload");
        DataCodec.checkPayload("the payload of event '" + event + "' to " + name, payload.length);
        connection().send(nameBytes(event), payload);
    }

    @Override
    public void subscribe(String event, EventHandler handler) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(handler, "handler");
        DataCodec.name(event);
        boolean added = subscriptions.computeIfAbsent(event, e -> new CopyOnWriteArrayList<>()).addIfAbsent(handler);
        DependencyConnection open = connection(); // a new connection subscribes to everything itself
        if (added) {
            open.subscribe(event); // idempotent on the dependency's side
        }
    }

    /** The handlers subscribed to {@code event}; empty if none. */
    List<EventHandler> handlers(String event) {
        List<EventHandler> handlers = subscriptions.get(event);
        return handlers == null ? List.of() : handlers;
    }

    /** The dependency was started anew: connect to it again now if there are subscriptions to carry over. */
    void peerUp(PeerUp up) {
        current = up;
        DependencyConnection open = connection;
        if (open != null && !open.endpoint.equals(up.endpoint())) {
            open.close(name + " was started anew at " + up.endpoint());
        }
        if (!subscriptions.isEmpty()) {
            Thread.ofVirtual().name("sc-data-resubscribe").start(new Reconnect());
        }
    }

    /** Forgets a connection that ended. */
    void connectionClosed(DependencyConnection closed) {
        if (connection == closed) {
            connection = null;
        }
    }

    private DependencyConnection connection() {
        DependencyConnection open = connection;
        if (open != null && open.isOpen()) {
            return open;
        }
        connecting.lock();
        try {
            open = connection;
            if (open != null && open.isOpen()) {
                return open;
            }
            PeerUp up = current;
            open = plane.connect(this, up);
            connection = open;
            for (String event : subscriptions.keySet()) {
                open.subscribe(event);
            }
            return open;
        } finally {
            connecting.unlock();
        }
    }

    private byte[] nameBytes(String value) {
        byte[] bytes = names.get(value);
        if (bytes == null) {
            bytes = DataCodec.name(value);
            if (names.size() < NAME_CACHE) {
                names.put(value, bytes);
            }
        }
        return bytes;
    }

    @Override
    public String toString() {
        return "Peer[" + name + "]";
    }

    /** Opens the connection again after a new start of the dependency, with the subscriptions. */
    private final class Reconnect implements Runnable {
        @Override
        public void run() {
            try {
                connection();
            } catch (PeerUnavailableException e) {
                System.err.println("[services-cluster] cannot subscribe again to " + name + ": " + e.getMessage());
            }
        }
    }
}
