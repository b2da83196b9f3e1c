package io.servicescluster.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.servicescluster.api.EventHandler;
import io.servicescluster.api.Peer;
import io.servicescluster.api.RequestHandler;
import io.servicescluster.api.ServiceContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Records (and anything else Jackson maps) as the JSON bodies of requests, replies and events:
 *
 * <pre>{@code
 * record Quote(String product, long cents) {}
 * Json.onRequest(context, "quote", String.class, product -> new Quote(product, 120));   // dependency
 * Quote quote = Json.request(context.peer("catalog"), "quote", "apple", Quote.class).join(); // dependent
 * }</pre>
 *
 * A body that cannot be read as the expected type fails the request with the parser's message
 * (on the handler's side: the caller gets a {@link io.servicescluster.api.RemoteException}).
 * Uses one shared {@link ObjectMapper} that ignores unknown properties; thread-safe.
 */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Json() {
    }

    /** A function from one type to another that may throw; the body of a typed request handler. */
    @FunctionalInterface
    public interface Handler<I, O> {
        /** Answers one request. */
        O handle(I input) throws Exception;
    }

    /** {@code value} as JSON bytes (UTF-8). */
    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** JSON bytes read as {@code type}. */
    public static <T> T value(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + type.getSimpleName() + " from JSON: " + e.getMessage(), e);
        }
    }

    /** Sends {@code value} as a JSON request and reads the reply as {@code replyType}. */
    public static <T> CompletableFuture<T> request(Peer peer, String method, Object value, Class<T> replyType) {
        return peer.request(method, bytes(value)).thenApply(reply -> value(reply, replyType));
    }

    /** {@link #request(Peer, String, Object, Class)} with a timeout. */
    public static <T> CompletableFuture<T> request(Peer peer, String method, Object value, Class<T> replyType,
            Duration timeout) {
        return peer.request(method, bytes(value), timeout).thenApply(reply -> value(reply, replyType));
    }

    /** A request handler that reads its body as {@code inputType} and answers with JSON. */
    public static <I> RequestHandler handler(Class<I> inputType, Handler<? super I, ?> handler) {
        return body -> bytes(handler.handle(value(body, inputType)));
    }

    /** Declares {@link #handler} for {@code method}. */
    public static <I> void onRequest(ServiceContext context, String method, Class<I> inputType,
            Handler<? super I, ?> handler) {
        context.onRequest(method, handler(inputType, handler));
    }

    /** An event handler that reads each payload as {@code type}. */
    public static <T> EventHandler events(Class<T> type, Consumer<? super T> handler) {
        return (event, payload) -> handler.accept(value(payload, type));
    }

    /** Sends {@code value} as a JSON event. */
    public static void send(Peer peer, String event, Object value) {
        peer.send(event, bytes(value));
    }

    /** Publishes {@code value} as a JSON event. */
    public static void publish(ServiceContext context, String event, Object value) {
        context.publish(event, bytes(value));
    }

    /** Subscribes to {@code event}, each payload read as {@code type}. */
    public static <T> void subscribe(Peer peer, String event, Class<T> type, Consumer<? super T> handler) {
        peer.subscribe(event, events(type, handler));
    }
}
