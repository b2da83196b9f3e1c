package io.servicescluster.protocol;

import java.io.EOFException;

/**
 * What every {@link ConnectionPort} transport shares: the frame limit, the description, and the
 * checks and messages of the framing (a 4-byte big-endian payload length, then the payload).
 */
abstract class FramedPort implements ConnectionPort {

    /** The length prefix of every frame, in bytes. */
    static final int HEADER = 4;

    final int maxFrameSize;
    final String description;

    FramedPort(int maxFrameSize, String description) {
        if (maxFrameSize < 1) {
            throw new IllegalArgumentException("maxFrameSize must be positive: " + maxFrameSize);
        }
        this.maxFrameSize = maxFrameSize;
        this.description = description;
    }

    /** Refuses to send {@code payload} if it exceeds the limit; nothing is written then. */
    final void checkOutgoing(byte[] payload) throws FrameTooLargeException {
        if (payload.length > maxFrameSize) {
            throw new FrameTooLargeException(payload.length, maxFrameSize);
        }
    }

    /** The announced length of an incoming frame, refused (before allocating) if over the limit. */
    final int checkIncoming(int length) throws FrameTooLargeException {
        if (length < 0 || length > maxFrameSize) {
            throw new FrameTooLargeException(Integer.toUnsignedLong(length), maxFrameSize);
        }
        return length;
    }

    /** The peer ended the stream cleanly, between frames. */
    final EOFException endBetweenFrames() {
        return new EOFException("connection closed by " + description);
    }

    /** The peer ended the stream inside a frame. */
    final FrameException endInsideFrame() {
        return new FrameException("connection closed by " + description + " in the middle of a frame");
    }

    @Override
    public final int maxFrameSize() {
        return maxFrameSize;
    }

    @Override
    public final String describe() {
        return description;
    }

    @Override
    public String toString() {
        return "ConnectionPort[" + description + "]";
    }
}
