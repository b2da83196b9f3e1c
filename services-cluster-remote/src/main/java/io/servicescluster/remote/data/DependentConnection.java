package io.servicescluster.remote.data;

import io.servicescluster.api.EventHandler;
import io.servicescluster.protocol.DataCodec;
import io.servicescluster.protocol.DataMessage;
import io.servicescluster.protocol.DataMessage.Event;
import io.servicescluster.protocol.DataMessage.Failure;
import io.servicescluster.protocol.DataMessage.Request;
import io.servicescluster.protocol.DataMessage.Subscribe;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A dependency's side of a connection from one of its dependents: serves its requests (each on
 * a thread of its own, at most {@value #MAX_IN_FLIGHT} at once: beyond that the reader waits, and
 * the dependent meets backpressure) — one that came alone in its read, when no other handler runs, on the
 * reader itself once it handed the reading on ({@link ReaderRelay}), the others on virtual
 * threads, those of direct handlers ({@code onRequestDirect}) on the reader where it read them — runs its events in order
 * on the lane, records its subscriptions, and carries what this service publishes to it.
 */
final class DependentConnection extends DataConnection {

    static final int MAX_IN_FLIGHT = 1024;

    private final DirectDataPlane plane;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    /** Requests read and not yet handled (their handlers not yet returned; the reply's write not counted). */
    private final AtomicInteger unanswered = new AtomicInteger();
    private final Set<String> unhandledEvents = ConcurrentHashMap.newKeySet();
    /** Requests read and not yet given a thread: started at the end of the read (reader thread only). */
    private final List<Serve> toStart = new ArrayList<>();
    private static final int START_BATCH = 16;

    DependentConnection(ByteChannel channel, FrameInput input, String dependent, DirectDataPlane plane,
            ClassLoader loader) {
        super(channel, input, dependent, loader);
        this.plane = plane;
    }

    @Override
    boolean dispatch(DataMessage message) throws InterruptedException {
        if (message instanceof Request request) {
            RemoteContext.Declared declared = plane.context().requestHandler(request.method());
            if (declared != null && declared.direct()) {
                startServing(); // the requests read before it do not wait for a direct handler, which may be slow
                serveDirect(request, declared);
                return true;
            }
            if (!inFlight.tryAcquire()) {
                startServing(); // never wait for a permit while holding some unstarted
                inFlight.acquire();
            }
            unanswered.incrementAndGet();
            toStart.add(new Serve(request));
            if (toStart.size() >= START_BATCH) {
                startServing();
            }
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

    /**
     * A request is served by the reader only when it came alone in its read, while no other
     * request of this connection waits for its handler or runs it and no reply waits to be
     * written: then it is alone (one request outstanding), and the hand-off of the reading costs
     * less than the wake-up of another thread. With others under way, the reader reads on at once
     * instead, as a hand-off would stall the reading until the next reader gets a CPU (and, for
     * direct handlers, would cost a hand-off per read).
     */
    @Override
    Runnable serveHere(DataMessage message) throws InterruptedException {
        if (message instanceof Request request && unanswered.get() == 0 && output.nothingWaits()) {
            inFlight.acquire();
            unanswered.incrementAndGet();
            return new Serve(request);
        }
        return null;
    }

    /**
     * Starts the handlers of the requests read together at once, at the end of the read: the
     * carriers wake once for the lot rather than once for each, and the first reply's writer
     * finds the others under way (FrameOutput.endAfterOthers).
     */
    @Override
    void readDone() {
        startServing();
    }

    private void startServing() {
        int count = toStart.size();
        if (count == 1) {
            Thread.ofVirtual().start(toStart.get(0));
        } else if (count > 1) {
            Thread.ofVirtual().start(new StartThenServe(toStart.toArray(new Serve[0])));
        }
        toStart.clear();
    }

    /** Starts the others' threads from a carrier (its own queue), then serves the first. */
    private record StartThenServe(Serve[] serves) implements Runnable {
        @Override
        public void run() {
            for (int i = 1; i < serves.length; i++) {
                Thread.ofVirtual().start(serves[i]);
            }
            serves[0].run();
        }
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
        Outcome outcome;
        try {
            outcome = handle(request, plane.context().requestHandler(request.method()));
        } finally {
            unanswered.decrementAndGet(); // handled: only the answer's write may wait, for the dependent
            // an interrupt the handler left (say it restored one it caught) is its own: this thread
            // writes the answer next, and an interrupted thread's write closes the channel
            Thread.interrupted();
        }
        answer(request, outcome, false);
    }

    /** What a request's handler gave: a reply, or a failure to send instead. */
    private record Outcome(byte[] reply, Failure failure) {
    }

    /** Runs the request's handler, {@code declared} for its method ({@code null}: none). */
    private Outcome handle(Request request, RemoteContext.Declared declared) {
        if (declared == null) {
            return failed(request, "java.lang.UnsupportedOperationException", plane.context().name()
                    + " has no handler for request '" + request.method() + "' (it serves: "
                    + plane.context().requestMethods() + ")");
        }
        byte[] reply;
        try {
            reply = declared.handler().handle(request.body());
        } catch (Throwable thrown) {
            return failed(request, thrown.getClass().getName(), messageOf(thrown));
        }
        if (reply == null) {
            reply = new byte[0];
        }
        if (reply.length > DataCodec.MAX_PAYLOAD) {
            return failed(request, "java.lang.IllegalArgumentException", "the reply to '" + request.method() + "' of "
                    + reply.length + " bytes exceeds the limit of " + DataCodec.MAX_PAYLOAD + " bytes");
        }
        return new Outcome(reply, null);
    }

    /** The thrown exception's message, "" for none; a getMessage that throws itself must not leave the request unanswered. */
    private static String messageOf(Throwable thrown) {
        try {
            return thrown.getMessage() == null ? "" : thrown.getMessage();
        } catch (Throwable broken) {
            return "(its getMessage threw " + broken.getClass().getName() + ")";
        }
    }

    private static Outcome failed(Request request, String exceptionClass, String message) {
        return new Outcome(null, new Failure(request.id(), exceptionClass, message));
    }

    /**
     * Serves a direct handler's request on the reader, among others read with it: the reply waits,
     * with the others', for the end of the read (or a bound), when a flusher writes them together.
     */
    private void serveDirect(Request request, RemoteContext.Declared declared) {
        Outcome outcome;
        try {
            outcome = handle(request, declared);
        } finally {
            Thread.interrupted(); // what the handler left on the reader is its own: a later read would close the channel
            Thread thread = Thread.currentThread();
            if (thread.getContextClassLoader() != loader) {
                thread.setContextClassLoader(loader);
            }
        }
        answer(request, outcome, true);
    }

    /**
     * Writes the reply, or the failure the handler came to instead; {@code held}: on the reader,
     * for the end of the read. Either waits while the dependent reads its replies slowly
     * (backpressure: a waiting reader reads no more requests), and the dependent's reader never
     * waits to send, so it drains them.
     */
    private void answer(Request request, Outcome outcome, boolean held) {
        Failure failure = outcome.failure();
        int size = failure != null ? DataCodec.frameSize(failure) : DataCodec.replySize(outcome.reply().length);
        try {
            ByteBuffer out = output.begin(size, plane.sendWaitNanos());
            try {
                if (failure != null) {
                    DataCodec.encode(failure, out);
                } else {
                    DataCodec.writeReply(out, request.id(), outcome.reply());
                }
            } finally {
                if (held) {
                    output.endHeld();
                } else {
                    output.endAfterOthers(unanswered.get() > 0);
                }
            }
        } catch (IOException e) {
            close("cannot reply to " + peerName + ": " + e.getMessage());
        }
    }

    /** Serves one request on its thread. */
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
