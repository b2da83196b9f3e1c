package io.servicescluster.protocol;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link ConnectionPort} over a pair of byte streams, such as the pipes between a parent process
 * and the child it started. Same framing as {@link SocketConnectionPort}: a 4-byte big-endian
 * payload length, then the payload.
 *
 * <p>Unlike a socket, a pipe cannot be shut from another thread while a reader is blocked on it:
 * {@link #close} closes the output, which the peer reads as the end of the stream, and a blocked
 * reader here wakes when the peer, seeing that end, exits or closes its own side. (A peer that
 * holds another descriptor of the same pipe — the remote keeps the ones it inherited — is seen to
 * end only when it exits.)
 */
final class StreamConnectionPort extends FramedPort {

    private final InputStream in;
    private final OutputStream out;
    private final InputStream rawIn;
    private final OutputStream rawOut;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final byte[] header = new byte[HEADER];

    StreamConnectionPort(InputStream in, OutputStream out, int maxFrameSize, String description) {
        super(maxFrameSize, description);
        this.rawIn = in;
        this.rawOut = out;
        this.in = new BufferedInputStream(in, 64 * 1024);
        this.out = new BufferedOutputStream(out, 8 * 1024);
    }

    @Override
    public void send(byte[] payload) throws IOException {
        checkOutgoing(payload);
        byte[] length = {(byte) (payload.length >>> 24), (byte) (payload.length >>> 16),
            (byte) (payload.length >>> 8), (byte) payload.length};
        writeLock.lock();
        try {
            if (closed.get()) {
                throw new IOException("connection to " + description + " is closed");
            }
            out.write(length);
            out.write(payload);
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public byte[] receive() throws IOException {
        if (!fill(header, true)) {
            throw endBetweenFrames();
        }
        int length = checkIncoming(((header[0] & 0xff) << 24) | ((header[1] & 0xff) << 16) | ((header[2] & 0xff) << 8)
                | (header[3] & 0xff));
        byte[] payload = new byte[length];
        fill(payload, false);
        return payload;
    }

    /** Fills {@code target}; returns false on a clean end of stream before the first byte if allowed. */
    private boolean fill(byte[] target, boolean endAllowed) throws IOException {
        int filled = 0;
        while (filled < target.length) {
            int n = in.read(target, filled, target.length - filled);
            if (n < 0) {
                if (endAllowed && filled == 0) {
                    return false;
                }
                throw endInsideFrame();
            }
            filled += n;
        }
        return true;
    }

    @Override
    public boolean isOpen() {
        return !closed.get();
    }

    /**
     * Closes the output first (the peer sees the end at once), then the input. Never blocks: if a
     * sender is stuck on a full pipe, it holds the lock that closing the output needs (a process's
     * stdin flushes under it), so the output is closed as soon as that send ends — when the peer
     * reads again or dies.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (writeLock.tryLock()) {
            try {
                closeOutput();
            } finally {
                writeLock.unlock();
            }
        } else {
            Thread.ofVirtual().name("svc-pipe-close").start(() -> {
                writeLock.lock();
                try {
                    closeOutput();
                } finally {
                    writeLock.unlock();
                }
            });
        }
        try {
            rawIn.close();
        } catch (IOException ignored) {
            // best effort
        }
    }

    private void closeOutput() {
        try {
            rawOut.close();
        } catch (IOException ignored) {
            // best effort: a broken pipe is closed already
        }
    }
}
