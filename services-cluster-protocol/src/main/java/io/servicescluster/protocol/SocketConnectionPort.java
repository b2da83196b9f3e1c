package io.servicescluster.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link ConnectionPort} over a blocking {@link SocketChannel}: Unix domain or TCP alike, since
 * both are stream sockets. A frame is a 4-byte big-endian payload length followed by the payload.
 *
 * <p>Reads go straight to the channel through a private buffer rather than a stream adapter: the
 * JDK's channel streams share one lock between reading and writing, which would stall a sender
 * behind a blocked reader.
 */
final class SocketConnectionPort implements ConnectionPort {

    private static final int HEADER = 4;

    private final SocketChannel channel;
    private final int maxFrameSize;
    private final String description;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ByteBuffer header = ByteBuffer.allocate(HEADER);
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024).flip();

    SocketConnectionPort(SocketChannel channel, int maxFrameSize, String description) {
        if (maxFrameSize < 1) {
            throw new IllegalArgumentException("maxFrameSize must be positive: " + maxFrameSize);
        }
        this.channel = channel;
        this.maxFrameSize = maxFrameSize;
        this.description = description;
    }

    @Override
    public void send(byte[] payload) throws IOException {
        if (payload.length > maxFrameSize) {
            throw new FrameTooLargeException(payload.length, maxFrameSize);
        }
        ByteBuffer[] frame = {ByteBuffer.allocate(HEADER).putInt(0, payload.length), ByteBuffer.wrap(payload)};
        writeLock.lock();
        try {
            while (frame[1].hasRemaining() || frame[0].hasRemaining()) {
                channel.write(frame);
            }
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public byte[] receive() throws IOException {
        header.clear();
        if (!fill(header, true)) {
            throw new EOFException("connection closed by " + description);
        }
        int length = header.getInt(0);
        if (length < 0 || length > maxFrameSize) {
            throw new FrameTooLargeException(Integer.toUnsignedLong(length), maxFrameSize);
        }
        ByteBuffer payload = ByteBuffer.allocate(length);
        fill(payload, false);
        return payload.array();
    }

    /** Fills {@code target}; returns false on a clean end of stream before the first byte if allowed. */
    private boolean fill(ByteBuffer target, boolean endAllowed) throws IOException {
        while (target.hasRemaining()) {
            if (!readBuffer.hasRemaining()) {
                readBuffer.clear();
                int n = channel.read(readBuffer);
                readBuffer.flip();
                if (n < 0) {
                    if (endAllowed && target.position() == 0) {
                        return false;
                    }
                    throw new FrameException("connection closed by " + description + " in the middle of a frame");
                }
            }
            int n = Math.min(target.remaining(), readBuffer.remaining());
            target.put(target.position(), readBuffer, readBuffer.position(), n);
            target.position(target.position() + n);
            readBuffer.position(readBuffer.position() + n);
        }
        return true;
    }

    @Override
    public int maxFrameSize() {
        return maxFrameSize;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing is best effort: the peer sees the end of the stream either way
        }
    }

    @Override
    public String toString() {
        return "ConnectionPort[" + description + "]";
    }
}
