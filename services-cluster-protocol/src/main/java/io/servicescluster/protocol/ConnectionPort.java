package io.servicescluster.protocol;

import java.io.Closeable;
import java.io.IOException;

/**
 * One bidirectional channel of frames, whatever carries it (Unix domain socket, TCP, a pair of pipes).
 *
 * <p>Threading: {@link #send} may be called from any number of threads at once, each frame is
 * written whole; {@link #receive} is called by one reader thread at a time. {@link #close} may be
 * called from any thread and never blocks; the peer sees the end of the stream (over pipes: once
 * no other descriptor of the pipe is open, and once a send blocked on a full pipe has ended). Over
 * a socket it also wakes a blocked reader; over pipes the reader wakes when the peer, seeing that
 * end, closes its side or exits.
 */
public interface ConnectionPort extends Closeable {

    /**
     * Writes one frame.
     *
     * @throws FrameTooLargeException if {@code payload} exceeds {@link #maxFrameSize()}; the port
     *     stays open and nothing was written
     * @throws IOException if the connection is closed or broken
     */
    void send(byte[] payload) throws IOException;

    /**
     * Blocks until one whole frame has arrived.
     *
     * @throws java.io.EOFException if the peer closed the connection between frames
     * @throws FrameException if the peer sent a malformed or oversized frame; the port is useless
     *     afterwards and should be closed
     * @throws IOException if the connection broke
     */
    byte[] receive() throws IOException;

    /** The largest payload this port sends or accepts, in bytes. */
    int maxFrameSize();

    /** Whether {@link #close} has not been called yet. */
    boolean isOpen();

    /** Where this port leads, for messages and logs. */
    String describe();

    /** Closes the connection; idempotent, never throws. */
    @Override
    void close();
}
