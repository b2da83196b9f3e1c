package io.servicescluster.remote.data;

import io.servicescluster.protocol.DataCodec;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The dependents connected to this service and the events each subscribed to: where
 * {@code publish} sends. Thread-safe: each dependent's reader subscribes, the service publishes
 * from any thread.
 */
final class Subscribers {

    /** How many event names are kept encoded: a service that makes up names does not grow this without end. */
    private static final int MAX_NAMES = 1024;

    private final Map<String, CopyOnWriteArraySet<DependentConnection>> subscribers = new ConcurrentHashMap<>();
    private final Set<DependentConnection> dependents = ConcurrentHashMap.newKeySet();
    private final Map<String, byte[]> names = new ConcurrentHashMap<>();

    /** A dependent connected (its handshake passed). */
    void add(DependentConnection connection) {
        dependents.add(connection);
    }

    void subscribe(String event, DependentConnection connection) {
        subscribers.computeIfAbsent(event, e -> new CopyOnWriteArraySet<>()).add(connection);
    }

    /** A dependent's connection ended: it gets nothing more. */
    void remove(DependentConnection connection) {
        dependents.remove(connection);
        for (Set<DependentConnection> set : subscribers.values()) {
            set.remove(connection);
        }
    }

    /** Publishes {@code event} to the dependents that subscribed to it; a connection that cannot take it is closed. */
    void publish(String event, byte[] payload) {
        DataCodec.checkPayload("the payload of event '" + event + "'", payload.length);
        Set<DependentConnection> targets = subscribers.get(event);
        if (targets == null || targets.isEmpty()) {
            return;
        }
        byte[] name = names.get(event);
        if (name == null) {
            name = DataCodec.name(event);
            if (names.size() < MAX_NAMES) {
                names.put(event, name);
            }
        }
        for (DependentConnection target : targets) {
            try {
                target.publish(name, payload);
            } catch (IOException e) {
                String reason = "cannot publish '" + event + "' to " + target.peerName + ": " + e.getMessage();
                System.err.println("[services-cluster] " + reason + "; its connection is closed");
                target.close(reason);
            }
        }
    }

    /** Closes every dependent's connection with {@code reason}. */
    void closeAll(String reason) {
        for (DependentConnection dependent : dependents) {
            dependent.close(reason);
        }
    }
}
