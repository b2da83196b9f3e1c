package io.servicescluster.remote.data;

import io.servicescluster.api.EventHandler;
import io.servicescluster.api.RequestHandler;
import io.servicescluster.protocol.DataCodec;
import io.servicescluster.protocol.DataMessage;
import io.servicescluster.protocol.DataMessage.Event;
import io.servicescluster.protocol.DataMessage.Failure;
import io.servicescluster.protocol.DataMessage.Request;
import io.servicescluster.protocol.DataMessage.Subscribe;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * A dependency's side of a connection from one of its dependents: serves its requests (each on
 * a virtual thread of its own, at most {@value #MAX_IN_FLIGHT} at once: beyond that the reader
 * waits, and the dependent meets backpressure), runs its events in order on the lane, records
 * its subscriptions, and carries what this service publishes to it.
 */
final class DependentConnection extends DataConnection {

    static final int MAX_IN_FLIGHT = 1024;

    private final DirectDataPlane plane;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final Set<String> unhandledEvents = ConcurrentHashMap.newKeySet();

    DependentConnection(ByteChannel channel, FrameInput input, String dependent, DirectDataPlane plane,
            ClassLoader loader) {
        super(channel, input, dependent, loader);
        this.plane = plane;
    }

    @Override
    boolean dispatch(DataMessage message) throws InterruptedException {
        if (message instanceof Request request) {
            inFlight.acquire();
            Thread.ofVirtual().start(new Serve(request));
            return true;
        } else if (message instanceof Event event) {
            queueEvent(event, event.payload());
            return true;
        } else if (message instanceof Subscribe subscribe) {
            plane.subscribe(subscribe.event(), this);
            return true;
        }
        return false;
    }

    @Override
    public void deliver(DataMessage message) {
        Event event = (Event) message;
        EventHandler handler = plane.context().eventHandler(event.name());
        if (handler != null) {
            handler.handle(event.name(), event.payload());
        } else if (unhandledEvents.add(event.name())) {
            System.err.println("[services-cluster] " + peerName + " sent event '" + event.name()
                    + "' but this service has no handler for it (onEvent); such events are dropped");
        }
    }

    /** Sends an event this service published (any thread; waits while this dependent reads slowly). */
    void publish(byte[] name, byte[] payload) throws IOException {
        ByteBuffer out = output.begin(DataCodec.eventSize(name, payload.length), plane.sendWaitNanos());
        try {
            DataCodec.writeEvent(out, true, name, payload);
        } finally {
            output.endLater();
        }
    }

    @Override
    void closed(String reason) {
        plane.unsubscribe(this);
    }

    private void serve(Request request) {
        byte[] reply;
        try {
            RequestHandler handler = plane.context().requestHandler(request.method());
            if (handler == null) {
                failure(request, "java.lang.UnsupportedOperationException", plane.context().name()
                        + " has no handler for request '" + request.method() + "' (it serves: "
                        + plane.context().requestMethods() + ")");
                return;
            }
            reply = handler.handle(request.body());
            if (reply == null) {
                reply = new byte[0];
            }
        } catch (Throwable thrown) {
            failure(request, thrown.getClass().getName(), thrown.getMessage() == null ? "" : thrown.getMessage());
            return;
        }
        if (reply.length > DataCodec.MAX_PAYLOAD) {
            failure(request, "java.lang.IllegalArgumentException", "the reply to '" + request.method() + "' of "
                    + reply.length + " bytes exceeds the limit of " + DataCodec.MAX_PAYLOAD + " bytes");
            return;
        }
        try {
            ByteBuffer out = output.begin(DataCodec.replySize(reply.length), plane.sendWaitNanos());
            try {
                DataCodec.writeReply(out, request.id(), reply);
            } finally {
                output.end();
            }
        } catch (IOException e) {
            close("cannot reply to " + peerName + ": " + e.getMessage());
        }
    }

    private void failure(Request request, String exceptionClass, String message) {
        Failure failure = new Failure(request.id(), exceptionClass, message);
        try {
            ByteBuffer out = output.begin(DataCodec.frameSize(failure), plane.sendWaitNanos());
            try {
                DataCodec.encode(failure, out);
            } finally {
                output.end();
            }
        } catch (IOException e) {
            close("cannot reply to " + peerName + ": " + e.getMessage());
        }
    }

    /** Serves one request on its virtual thread. */
    private final class Serve implements Runnable {
        private final Request request;

        Serve(Request request) {
            this.request = request;
        }

        @Override
        public void run() {
            try {
                serve(request);
            } finally {
                inFlight.release();
            }
        }
    }
}
