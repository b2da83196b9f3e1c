package io.servicescluster.remote;

import io.servicescluster.api.ChildSpec;
import io.servicescluster.api.Peer;

/**
 * The requests and events that services exchange (R14: never through the controller). The
 * {@link RemoteContext} delegates its outgoing operations here; handlers that the service declared
 * are read from {@link RemoteContext#requestHandler} and {@link RemoteContext#eventHandler}. The
 * implementation is {@link DirectDataPlane}; {@link #UNAVAILABLE} is for a context without one.
 *
 * <p>Threading: called from any service thread, concurrently; implementations must be thread-safe.
 */
interface DataPlane {

    /** The data plane of this build: every operation throws {@link UnsupportedOperationException}. */
    DataPlane UNAVAILABLE = new Unavailable();

    /** Publishes {@code event} to the dependents that subscribed to it. */
    void publish(String event, byte[] payload);

    /** A declared, running dependency (R6, R15). */
    Peer peer(String dependency);

    /** Spawns a child service (R8). */
    Peer spawn(ChildSpec child) throws Exception;

    /** Refuses everything with one clear message. */
    final class Unavailable implements DataPlane {

        static final String MESSAGE = "requests and events between services are not available in this build yet";
        static final String SPAWN = "spawning child services is not available in this build yet";

        @Override
        public void publish(String event, byte[] payload) {
            throw new UnsupportedOperationException(MESSAGE + " (publish '" + event + "')");
        }

        @Override
        public Peer peer(String dependency) {
            throw new UnsupportedOperationException(MESSAGE + " (peer '" + dependency + "')");
        }

        @Override
        public Peer spawn(ChildSpec child) {
            throw new UnsupportedOperationException(MESSAGE + " (spawn " + child + ")");
        }
    }
}
