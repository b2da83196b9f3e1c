package io.servicescluster.core.manager;

import io.servicescluster.protocol.ControlMessage.OutputStream;

/**
 * Observes a cluster. Register with {@link ServicesManager.Builder#listener}.
 *
 * <p>Threading: {@link #onEvent} is called on the manager's decision loop, one event at a time in
 * {@code seq} order; it must return quickly and must not call back into the manager's blocking
 * methods. {@link #onOutput} and {@link #onException} are called on a thread of the service's
 * own, in the order the service reported; different services call them concurrently.
 */
public interface ClusterListener {

    /** A lifecycle decision was taken. */
    default void onEvent(ServiceEvent event) {
    }

    /** A service wrote a line to standard output or standard error. */
    default void onOutput(String service, OutputStream stream, String line) {
    }

    /**
     * An exception that no code of the service caught, with its full stack trace; the
     * {@code exception} event of the same report follows on the decision loop.
     */
    default void onException(String service, ExceptionReport report) {
    }
}
