package io.servicescluster.remote.data;

import io.servicescluster.api.EventHandler;
import io.servicescluster.api.PeerUnavailableException;
import io.servicescluster.api.RemoteException;
import io.servicescluster.protocol.DataCodec;
import io.servicescluster.protocol.DataMessage;
import io.servicescluster.protocol.DataMessage.Failure;
import io.servicescluster.protocol.DataMessage.Published;
import io.servicescluster.protocol.DataMessage.Reply;
import io.servicescluster.protocol.DataMessage.Subscribe;
import io.servicescluster.protocol.Durations;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A dependent's connection to one dependency: sends requests, events and subscriptions; matches
 * replies to pending requests; hands published events to the subscribers of its {@link DataPeer}.
 *
 * <p>Every pending request ends exactly once: by its reply or failure (reader thread), by its
 * timeout ({@link DataTimer} thread), or when the connection ends ({@link #closed}: at once, with
 * {@link PeerUnavailableException}). A request that races the end of the connection is failed by
 * whichever side removes it from {@link #pending} first.
 */
final class DependencyConnection extends DataConnection implements DataTimer.Timed {

    private final DataPeer peer;
    final String endpoint;
    private final long sendWaitNanos;
    private final ConcurrentHashMap<Long, PendingRequest> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong();
    private final AtomicLong earliest = new AtomicLong(Long.MAX_VALUE);

    DependencyConnection(ByteChannel channel, FrameInput input, DataPeer peer, String endpoint,
            ClassLoader loader, long sendWaitNanos) {
        super(channel, input, peer.name(), loader);
        this.peer = peer;
        this.endpoint = endpoint;
        this.sendWaitNanos = sendWaitNanos;
    }

    /** Sends a request; the returned future is completed on the reader, the timer or at close. */
    PendingRequest request(String method, byte[] methodName, byte[] body, long timeoutNanos) {
        long id = nextId.incrementAndGet();
        PendingRequest request = new PendingRequest(id, method, DataTimer.deadline(timeoutNanos), timeoutNanos);
        pending.put(id, request);
        for (long e; request.deadline < (e = earliest.get()) && !earliest.compareAndSet(e, request.deadline); ) {
            // lowered the earliest deadline
        }
        if (!isOpen()) {
            fail(request, unavailable(closeReason(), null));
            return request;
        }
        try {
            ByteBuffer out = output.begin(DataCodec.requestSize(methodName, body.length), waitNanos());
            try {
                DataCodec.writeRequest(out, id, methodName, body);
            } finally {
                // a request made on the reader (from a reply's callback) is written by a flusher: the
                // reader goes on reading while it writes, and the requests that a batch of replies
                // triggers share writes (over TLS, records) instead of one write each on the reader's
                // time; docs/performance.md, "Over mutual TLS"
                if (onReader()) {
                    output.endHeld();
                } else {
                    output.end();
                }
            }
        } catch (IOException e) {
            fail(request, unavailable("cannot send request '" + method + "' to " + peerName, e));
        }
        return request;
    }

    /** Sends an event to the dependency's {@code onEvent} handler. */
    void send(byte[] name, byte[] payload) {
        try {
            ByteBuffer out = output.begin(DataCodec.eventSize(name, payload.length), waitNanos());
            try {
                DataCodec.writeEvent(out, false, name, payload);
            } finally {
                output.endLater();
            }
        } catch (IOException e) {
            throw unavailable("cannot send an event to " + peerName, e);
        }
    }

    /** Asks the dependency for its published {@code event}s. */
    void subscribe(String event) {
        Subscribe message = new Subscribe(event);
        try {
            ByteBuffer out = output.begin(DataCodec.frameSize(message), waitNanos());
            try {
                DataCodec.encode(message, out);
            } finally {
                output.end();
            }
        } catch (IOException e) {
            throw unavailable("cannot subscribe to '" + event + "' of " + peerName, e);
        }
    }

    private long waitNanos() {
        return onReader() ? 0 : sendWaitNanos;
    }

    @Override
    boolean dispatch(DataMessage message) throws InterruptedException {
        if (message instanceof Reply reply) {
            PendingRequest request = pending.remove(reply.id());
            if (request != null) {
                request.complete(reply.body());
            }
            return true;
        } else if (message instanceof Published published) {
            queueEvent(published, published.payload());
            return true;
        } else if (message instanceof Failure failure) {
            PendingRequest request = pending.remove(failure.id());
            if (request != null) {
                request.completeExceptionally(new RemoteException(failure.exceptionClass(), failure.message()));
            }
            return true;
        }
        return false;
    }

    @Override
    public void deliver(DataMessage event) {
        Published published = (Published) event;
        List<EventHandler> handlers = peer.handlers(published.event());
        for (EventHandler handler : handlers) {
            handler.handle(published.event(), published.payload());
        }
    }

    @Override
    public boolean tick(long now) {
        if (!isOpen() && pending.isEmpty()) {
            return false;
        }
        if (now < earliest.get()) {
            return true;
        }
        earliest.set(Long.MAX_VALUE);
        for (PendingRequest request : pending.values()) {
            if (request.deadline <= now) {
                if (pending.remove(request.id, request)) {
                    request.completeExceptionally(new TimeoutException("request '" + request.method + "' to "
                            + peerName + " got no reply within " + Durations.format(Duration.ofNanos(request.timeoutNanos))));
                }
            } else {
                for (long e; request.deadline < (e = earliest.get())
                        && !earliest.compareAndSet(e, request.deadline); ) {
                    // lowered the earliest deadline
                }
            }
        }
        return true;
    }

    @Override
    void closed(String reason) {
        PeerUnavailableException failure = null;
        for (PendingRequest request : pending.values()) {
            if (failure == null) {
                failure = unavailable(reason, null);
            }
            fail(request, failure);
        }
        peer.connectionClosed(this);
    }

    private void fail(PendingRequest request, PeerUnavailableException failure) {
        if (pending.remove(request.id, request)) {
            request.completeExceptionally(failure);
        }
    }

    private PeerUnavailableException unavailable(String what, IOException cause) {
        String reason = closeReason();
        String message = cause == null ? peerName + " is unavailable: " + what
                : what + ": " + (reason != null ? reason : cause.getMessage());
        return new PeerUnavailableException(message, cause);
    }
}
