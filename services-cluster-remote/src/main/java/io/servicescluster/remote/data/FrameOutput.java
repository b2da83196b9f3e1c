package io.servicescluster.remote.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The writing side of one data connection: senders encode frames straight into a shared buffer,
 * and whoever finds no write under way becomes the flusher and writes everything queued in one
 * system call, so a lone request goes out at once on the caller's thread and a crowd of senders
 * shares each write (batching without a hand-off).
 *
 * <p>Usage, from any thread: {@code ByteBuffer out = begin(size, wait); try { write size bytes }
 * finally { end(); }}. Between {@code begin} and {@code end} the caller holds the lock.
 *
 * <p>Backpressure: at most {@value #LIMIT} bytes wait (a larger frame alone); {@code begin} waits
 * for room while the peer reads slowly, and fails with {@link SendStalledException} after the
 * given time. Once the connection broke, every {@code begin} fails at once.
 */
final class FrameOutput {

    static final int LIMIT = 1 << 20;
    private static final int INITIAL = 64 * 1024;
    private static final int WRITE_CHUNK = 256 * 1024;
    private static final int MAX_ROUNDS = 64;
    static final int HOLD_FRAMES = 16;
    static final int HOLD_BYTES = 16 * 1024;

    private final ByteChannel channel;
    private final Runnable onFailure;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private ByteBuffer fill = ByteBuffer.allocate(INITIAL);  // guarded by lock: frames not yet taken by a flusher
    private ByteBuffer spare = ByteBuffer.allocate(INITIAL); // guarded by lock: null while a flusher holds it
    private boolean flushing;                                // guarded by lock
    private int held;                                        // guarded by lock: frames queued by the reader since the last batch was taken
    private boolean heldByReader;                            // the reader's thread only: it queued frames since its last release
    private volatile IOException failure;

    /** @param onFailure called once, on the flusher's thread, when a write fails */
    FrameOutput(ByteChannel channel, Runnable onFailure) {
        this.channel = channel;
        this.onFailure = onFailure;
    }

    /** Thrown by {@link #begin} when the peer did not make room in time. */
    static final class SendStalledException extends IOException {
        private static final long serialVersionUID = 1L;

        SendStalledException(String message) {
            super(message);
        }
    }

    /**
     * Locks and returns a buffer with {@code size} bytes of room; the caller writes them and calls
     * {@link #end} (also if it fails).
     *
     * @param waitNanos how long to wait for room; 0 never waits (the frame goes over the limit)
     * @throws IOException if the connection broke, or no room came in time (nothing was locked)
     */
    ByteBuffer begin(int size, long waitNanos) throws IOException {
        lock.lock();
        try {
            long nanos = waitNanos;
            while (failure == null && waitNanos > 0 && fill.position() > 0 && fill.position() + size > LIMIT) {
                if (nanos <= 0) {
                    throw new SendStalledException("the peer read nothing for " + (waitNanos / 1_000_000)
                            + " ms while " + fill.position() + " bytes waited to be sent");
                }
                if (!flushing) { // frames held for the reader's release (endHeld): only their write makes room
                    flushing = true;
                    startFlusher();
                }
                nanos = room.awaitNanos(nanos);
            }
            if (failure != null) {
                throw failure;
            }
            if (fill.remaining() < size) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(fill.position() + size, fill.capacity() * 2));
                fill.flip();
                bigger.put(fill);
                fill = bigger;
            }
            return fill;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lock.unlock();
            throw new IOException("interrupted while waiting to send", e);
        } catch (IOException | RuntimeException e) {
            lock.unlock();
            throw e;
        }
    }

    /**
     * Ends what {@link #begin} started: unlocks, and writes the queued frames on this thread
     * unless a flusher is at it already (or the thread is interrupted: then as {@link #endLater}).
     * For requests and replies, where latency counts.
     */
    void end() {
        if (Thread.currentThread().isInterrupted()) {
            // an interrupted thread's write closes the channel (InterruptibleChannel): one caller's
            // interrupt must not end the connection that every caller shares
            endLater();
            return;
        }
        if (claimAndUnlock(true)) {
            flushLoop();
        }
    }

    /**
     * As {@link #end}, but when {@code othersComing} (more frames are about to be queued by other
     * virtual threads, e.g. the replies of requests read together) this thread, if it becomes the
     * flusher, first yields once so that they queue theirs: one write carries them all.
     */
    void endAfterOthers(boolean othersComing) {
        if (!othersComing || !Thread.currentThread().isVirtual() || Thread.currentThread().isInterrupted()) {
            end();
            return;
        }
        if (claimAndUnlock(true)) {
            Thread.yield();
            flushLoop();
        }
    }

    /**
     * Ends what {@link #begin} started and leaves the writing to a flusher thread, started if none
     * is at it. For one-way events: a sender that streams them does not pay a system call each;
     * the flusher writes whatever accumulated meanwhile in one go.
     */
    void endLater() {
        if (claimAndUnlock(true)) {
            startFlusher();
        }
    }

    /**
     * Ends what {@link #begin} started, for the connection's reader: the frame waits for the
     * reader's {@link #releaseHeld} (it is done with what it read) unless {@value #HOLD_FRAMES}
     * frames or {@value #HOLD_BYTES} bytes wait already; then a flusher thread writes, as with
     * {@link #endLater}. The requests that a read's replies trigger share a write and a TLS record;
     * the bound keeps the peer busy meanwhile (holding a whole read's worth starves it).
     */
    void endHeld() {
        heldByReader = true;
        if (claimAndUnlock(++held >= HOLD_FRAMES || fill.position() >= HOLD_BYTES)) {
            startFlusher();
        }
    }

    /** The reader is done with what it read: what it held is written (reader thread). */
    void releaseHeld() {
        if (!heldByReader) {
            return;
        }
        heldByReader = false;
        lock.lock();
        if (claimAndUnlock(fill.position() > 0)) {
            startFlusher();
        }
    }

    /**
     * Unlocks, having claimed the write for the caller if it {@code wants} it and no write is under
     * way nor the output broken (then the caller must write, or start a flusher).
     */
    private boolean claimAndUnlock(boolean wants) {
        boolean claimed = wants && !flushing && failure == null;
        if (claimed) {
            flushing = true;
        }
        lock.unlock();
        return claimed;
    }

    private void startFlusher() {
        Thread.ofVirtual().name("sc-data-flush").start(new Flusher());
    }

    /**
     * Whether nothing waits to be written (a quiet connection, as at one request outstanding); a
     * write under way does not count: at one outstanding, the last reply's writer may still be
     * leaving its write when the next request comes.
     */
    boolean nothingWaits() {
        lock.lock();
        try {
            return fill.position() == 0;
        } finally {
            lock.unlock();
        }
    }

    /** Marks the output broken (the connection is closing); waiting and later senders fail with {@code cause}. */
    void fail(IOException cause) {
        lock.lock();
        try {
            if (failure == null) {
                failure = cause;
            }
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void flushLoop() {
        ByteBuffer batch = null;
        for (int rounds = 0; ; rounds++) {
            lock.lock();
            try {
                if (batch != null) {
                    spare = batch.capacity() > 4 * INITIAL ? ByteBuffer.allocate(INITIAL) : batch.clear();
                }
                if (failure != null || fill.position() == 0) {
                    flushing = false;
                    room.signalAll();
                    return;
                }
                if (rounds == MAX_ROUNDS) { // a long stream: let a thread of our own carry on, not this caller
                    startFlusher();
                    return;
                }
                batch = fill;
                held = 0;
                fill = spare;
                spare = null;
                room.signalAll();
            } finally {
                lock.unlock();
            }
            batch.flip();
            try {
                writeFully(batch);
            } catch (IOException e) {
                fail(e);
                lock.lock();
                try {
                    flushing = false;
                    spare = ByteBuffer.allocate(INITIAL);
                } finally {
                    lock.unlock();
                }
                onFailure.run();
                return;
            }
        }
    }

    /** Writes in chunks, so that the JDK's temporary direct buffers stay small whatever the frame size. */
    private void writeFully(ByteBuffer batch) throws IOException {
        int end = batch.limit();
        while (batch.position() < end) {
            batch.limit(Math.min(end, batch.position() + WRITE_CHUNK));
            while (batch.hasRemaining()) {
                channel.write(batch);
            }
        }
    }

    /** Continues a long flush on a thread of its own (a class, not a lambda: no bootstrap). */
    private final class Flusher implements Runnable {
        @Override
        public void run() {
            flushLoop();
        }
    }
}
