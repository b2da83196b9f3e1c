package io.servicescluster.remote.data;

import io.servicescluster.protocol.DataCodec;
import io.servicescluster.protocol.DataMessage;
import io.servicescluster.protocol.FrameException;
import io.servicescluster.protocol.FrameTooLargeException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;

/**
 * The reading side of one data connection: reads as much as the socket has into one buffer and
 * hands out the whole frames in it, so that many small messages cost one system call. A frame
 * larger than the buffer is read into an array of its own. One reader thread only.
 */
final class FrameInput {

    private static final int BUFFER = 256 * 1024;

    private final ByteChannel channel;
    private final String peer;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER).flip();
    private ByteBuffer large; // a frame that did not fit, once read whole

    FrameInput(ByteChannel channel, String peer) {
        this.channel = channel;
        this.peer = peer;
    }

    /**
     * The next message already read, or {@code null} if none is complete: then call {@link #fill}.
     *
     * @throws FrameException if the peer broke the protocol (the connection must be closed)
     */
    DataMessage poll() throws FrameException {
        if (large != null) {
            ByteBuffer frame = large;
            large = null;
            return DataCodec.decode(frame);
        }
        if (buffer.remaining() < 4) {
            return null;
        }
        int length = buffer.getInt(buffer.position());
        if (length <= 0 || length > DataCodec.MAX_FRAME) {
            throw length <= 0 ? new FrameException("malformed data frame of length " + length + " from " + peer)
                    : new FrameTooLargeException(Integer.toUnsignedLong(length), DataCodec.MAX_FRAME);
        }
        if (buffer.remaining() < 4 + length) {
            return null;
        }
        int start = buffer.position() + 4;
        int end = start + length;
        ByteBuffer frame = buffer.slice(start, length);
        buffer.position(end);
        return DataCodec.decode(frame);
    }

    /**
     * Whether {@link #poll} has a message (or a broken frame to report) without reading: false
     * when the reader would block in {@link #fill} next.
     */
    boolean hasWholeFrame() {
        if (large != null) {
            return true;
        }
        if (buffer.remaining() < 4) {
            return false;
        }
        int length = buffer.getInt(buffer.position());
        return length <= 0 || length > DataCodec.MAX_FRAME || buffer.remaining() >= 4 + length;
    }

    /**
     * Blocks until more bytes came: at least one more frame is complete or a large frame was
     * read whole.
     *
     * @throws EOFException if the peer closed the connection
     * @throws IOException if reading failed
     */
    void fill() throws IOException {
        if (buffer.remaining() >= 4) {
            int length = buffer.getInt(buffer.position());
            if (length > buffer.capacity() - 4) {
                readLarge(length);
                return;
            }
        }
        buffer.compact();
        try {
            if (channel.read(buffer) < 0) {
                throw new EOFException(buffer.position() == 0 ? "connection closed by " + peer
                        : "connection closed by " + peer + " in the middle of a frame");
            }
        } finally {
            buffer.flip();
        }
    }

    private void readLarge(int length) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(length);
        buffer.position(buffer.position() + 4);
        frame.put(buffer);
        while (frame.hasRemaining()) {
            buffer.clear();
            buffer.limit(Math.min(buffer.capacity(), frame.remaining()));
            int n = channel.read(buffer);
            buffer.flip();
            if (n < 0) {
                throw new EOFException("connection closed by " + peer + " in the middle of a frame");
            }
            frame.put(buffer);
        }
        buffer.clear().flip();
        large = frame.flip();
    }
}
