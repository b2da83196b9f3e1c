package io.servicescluster.core.manager;

import io.servicescluster.protocol.ControlMessage.OutputStream;

/**
 * Observes a cluster. Register with {@link ServicesManager.Builder#listener}.
 *
 * <p>Threading: every callback runs on one thread of the manager's, never the decision loop's,
 * one at a time: events in {@code seq} order, each service's output and exceptions in the order
 * the service reported them, interleaved as they came. A slow listener delays the other
 * listeners, never a decision (output waits when thousands of lines are queued). A listener
 * must not call the manager's blocking methods ({@code await…}, {@code close}): they wait for
 * deliveries that come after the callback. The manager's futures ({@code whenStartupSettled},
 * {@code whenIdle}, {@code whenTerminated}) complete after every event before them was delivered.
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
     * {@code exception} event of the same report follows, in decision order.
     */
    default void onException(String service, ExceptionReport report) {
    }
}
