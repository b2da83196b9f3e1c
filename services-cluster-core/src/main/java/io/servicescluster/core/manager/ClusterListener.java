package io.servicescluster.core.manager;

import io.servicescluster.protocol.ControlMessage.OutputStream;

/**
 * Observes a cluster. Register with {@link ServicesManager.Builder#listener}.
 *
 * <p>Threading: {@link #onEvent} is called on the manager's decision loop, one event at a time in
 * {@code seq} order; it must return quickly and must not call back into the manager's blocking
 * methods. {@link #onOutput} is called on a thread of the service's own, in the order the
 * service wrote; different services call it concurrently.
 */
public interface ClusterListener {

    /** A lifecycle decision was taken. */
    default void onEvent(ServiceEvent event) {
    }

    /** A service wrote a line to standard output or standard error. */
    default void onOutput(String service, OutputStream stream, String line) {
    }
}
