package io.servicescluster.protocol;

/**
 * The messages of the data plane: requests and events between services (R14: never through the
 * controller). A dependent opens one connection to each dependency it uses, says {@link Open},
 * and is {@link Accepted} or {@link Refused}; then the dependent sends {@link Request}, {@link
 * Event} and {@link Subscribe}, and the dependency answers {@link Reply} or {@link Failure} and
 * pushes {@link Published}. The wire form is in {@link DataCodec} and {@code docs/protocol.md}.
 *
 * <p>Bodies and payloads are held as given, not copied; the records are not meant to be mutated.
 */
public sealed interface DataMessage {

    /**
     * First message of a connection, from the dependent.
     *
     * @param version {@link DataCodec#VERSION}
     * @param fromService the dependent's service name
     * @param capability {@code HMAC(key of the dependency's start, fromService)}, see {@link Capabilities}
     */
    record Open(int version, String fromService, String capability) implements DataMessage {
    }

    /** The dependency accepted the {@link Open}. */
    record Accepted() implements DataMessage {
    }

    /** The dependency refused the {@link Open}; it closes the connection after this message. */
    record Refused(String reason) implements DataMessage {
    }

    /** A request to the dependency's handler for {@code method}; {@code id} is unique per connection. */
    record Request(long id, String method, byte[] body) implements DataMessage {
    }

    /** The reply to request {@code id}. */
    record Reply(long id, byte[] body) implements DataMessage {
    }

    /** Request {@code id} failed on the dependency's side: its handler threw {@code exceptionClass}. */
    record Failure(long id, String exceptionClass, String message) implements DataMessage {
    }

    /** An event for the dependency's {@code onEvent} handler. */
    record Event(String name, byte[] payload) implements DataMessage {
    }

    /** The dependent wants the events that the dependency publishes as {@code event}. */
    record Subscribe(String event) implements DataMessage {
    }

    /** An event that the dependency published, sent to each dependent that subscribed to it. */
    record Published(String event, byte[] payload) implements DataMessage {
    }
}
