package io.servicescluster.remote.data;

import io.servicescluster.protocol.DataMessage;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One open data connection between a dependent and a dependency, after the handshake. Holds
 * the socket, its {@link FrameOutput} (any thread writes) and {@link FrameInput}, and the reader
 * loop, which runs on a platform thread ("sc-data-reader"): it dispatches replies and requests
 * as they come and hands events to the connection's {@link EventLane} in batches. A subclass
 * says what each message means on its side. A message that came alone in its read and that the subclass would
 * serve itself ({@link #serveHere}: a request, on the dependency's side) is served by the
 * reader, which first hands the reading on to another thread of the connection ({@link
 * ReaderRelay}): no thread wakes on the way from a lone request to its reply.
 *
 * <p>The connection ends once ({@link #close}): the output fails, the socket closes, the lane runs
 * what it has and stops, and {@link #closed} lets the subclass fail what waits.
 */
abstract class DataConnection implements Runnable, EventLane.Sink {

    private static final int BATCH = 1024;

    final ByteChannel channel;
    final String peerName;
    final FrameOutput output;
    final FrameInput input;
    final EventLane lane;
    final ClassLoader loader;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile String closeReason;
    private volatile Thread reader;
    private final List<DataMessage> events = new ArrayList<>(); // the reading thread only
    private long eventBytes;                                     // the reading thread only
    private final ReaderRelay relay;

    DataConnection(ByteChannel channel, FrameInput input, String peerName, ClassLoader loader) {
        this.channel = channel;
        this.input = input;
        this.peerName = peerName;
        this.loader = loader;
        this.output = new FrameOutput(channel, new Closer(this));
        this.lane = new EventLane(this, loader);
        this.relay = new ReaderRelay(this::read, "sc-data-reader-" + peerName, loader);
    }

    /** Starts the reader on a platform daemon thread of its own. */
    void startReader() {
        DirectDataPlane.daemon(this, "sc-data-reader-" + peerName, loader);
    }

    /** Whether the caller is this connection's reader (which must never wait to send). */
    boolean onReader() {
        return Thread.currentThread() == reader;
    }

    /** Handles one message on the reader thread; false if it breaks the protocol on this side. */
    abstract boolean dispatch(DataMessage message) throws InterruptedException;

    /**
     * The work {@code message} asks for, for the reader to do itself once it handed the reading
     * on (reader thread; called for a message that came alone in its read, instead of {@link
     * #dispatch}); null: {@link #dispatch} it. By default null.
     */
    Runnable serveHere(DataMessage message) throws InterruptedException {
        return null;
    }

    /**
     * The reader handled every whole frame it read and will block for more next, or may wait for
     * room in the event lane (reader thread): what the subclass kept for the end of the read
     * starts now. By default nothing.
     */
    void readDone() {
    }

    /** Called once when the connection ended, with the reason. */
    abstract void closed(String reason);

    /** Queues an event for the lane (reader thread). */
    final void queueEvent(DataMessage event, byte[] payload) throws InterruptedException {
        events.add(event);
        eventBytes += EventLane.weight(payload);
        if (events.size() >= BATCH) {
            passEvents();
        }
    }

    /**
     * Hands the queued events to the lane, which waits while it is full (a slow event handler):
     * what the read kept (handlers to start, held frames) goes first, so that it never waits for
     * event handlers (reader thread).
     */
    private void passEvents() throws InterruptedException {
        readDone();
        output.releaseHeld();
        flushEvents();
    }

    private void flushEvents() throws InterruptedException {
        if (!events.isEmpty()) {
            lane.addAll(events, eventBytes);
            events.clear();
            eventBytes = 0;
        }
    }

    /** The first reading thread: reads, and then, if it kept work, does it and joins the relay. */
    @Override
    public void run() {
        Runnable own = read();
        if (own != null) {
            relay.serveThenRead(own);
        }
    }

    /**
     * Reads and dispatches until the connection ends (null) or this thread keeps the last
     * message's work for itself, having handed the reading on (the work).
     */
    private Runnable read() {
        reader = Thread.currentThread();
        String reason;
        try {
            for (;;) {
                DataMessage message;
                boolean first = true;
                while ((message = input.poll()) != null) {
                    // only a message that came alone (the read's first and last) may be served here
                    Runnable own = !first || input.hasWholeFrame() ? null : serveHere(message);
                    first = false;
                    if (own != null) {
                        reader = null; // before the next reader says it is
                        if (relay.handOn()) {
                            return own;
                        }
                        reader = Thread.currentThread();
                        Thread.ofVirtual().start(own); // no thread to read on: served beside, as the others
                    } else if (!dispatch(message)) {
                        throw new IOException("protocol violation: unexpected " + message.getClass().getSimpleName()
                                + " from " + peerName);
                    }
                }
                passEvents();
                input.fill();
            }
        } catch (EOFException e) {
            reason = e.getMessage();
        } catch (IOException e) {
            reason = closed.get() ? closeReason : "connection to " + peerName + " broke: " + e.getMessage();
        } catch (InterruptedException e) {
            reason = "interrupted";
        }
        try {
            flushEvents();
        } catch (InterruptedException e) {
            // the lane is closing anyway
        }
        close(reason);
        return null;
    }

    /** Ends the connection (idempotent, any thread). */
    void close(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeReason = reason;
        output.fail(new IOException(reason));
        try {
            channel.close();
        } catch (IOException e) {
            // closing is best effort
        }
        lane.close();
        relay.close();
        closed(reason);
    }

    /** Whether {@link #close} has not happened. */
    boolean isOpen() {
        return !closed.get();
    }

    /** Why the connection ended, or {@code null} while open. */
    String closeReason() {
        return closeReason;
    }

    /** Closes the connection when a write fails (a class, not a lambda). */
    private record Closer(DataConnection connection) implements Runnable {
        @Override
        public void run() {
            connection.close("writing to " + connection.peerName + " failed");
        }
    }
}
