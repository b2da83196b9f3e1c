package io.servicescluster.api;

/** Receives events. Events from one sender arrive in the order they were sent. */
@FunctionalInterface
public interface EventHandler {

    /**
     * @param event the event's name
     * @param payload the event's payload, never {@code null}
     */
    void handle(String event, byte[] payload);
}
