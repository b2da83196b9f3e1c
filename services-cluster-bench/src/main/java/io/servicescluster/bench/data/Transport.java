package io.servicescluster.bench.data;

import java.util.concurrent.CompletableFuture;

/** What the load driver needs of a request/reply system: ours or gRPC. */
public interface Transport {

    /** One request whose reply is the body echoed. */
    CompletableFuture<byte[]> request(byte[] body);

    /** One one-way event; may block while the receiver lags (backpressure). */
    void event(byte[] payload) throws Exception;

    /** Ends a burst of events, if the transport needs that (a gRPC stream is completed). */
    default void endEvents() throws Exception {
    }

    /** How many events the server received so far. */
    long eventsReceived() throws Exception;
}
