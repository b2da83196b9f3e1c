package io.servicescluster.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link ConnectionPort} over a blocking socket: a {@link java.nio.channels.SocketChannel}, Unix
 * domain or TCP alike since both are stream sockets, or TLS over TCP ({@link TlsChannel}). A frame is a 4-byte big-endian payload length followed by the payload.
 *
 * <p>Reads go straight to the channel through a private buffer rather than a stream adapter: the
 * JDK's channel streams share one lock between reading and writing, which would stall a sender
 * behind a blocked reader.
 */
final class SocketConnectionPort extends FramedPort {

    private final ByteChannel channel;
    private final GatheringByteChannel gathering; // the same channel: a frame's length and payload in one write
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ByteBuffer header = ByteBuffer.allocate(HEADER);
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024).flip();

    <C extends ByteChannel & GatheringByteChannel> SocketConnectionPort(C channel, int maxFrameSize,
            String description) {
        super(maxFrameSize, description);
        this.channel = channel;
        this.gathering = channel;
    }

    @Override
    public void send(byte[] payload) throws IOException {
        checkOutgoing(payload);
        ByteBuffer[] frame = {ByteBuffer.allocate(HEADER).putInt(0, payload.length), ByteBuffer.wrap(payload)};
        writeLock.lock();
        try {
            while (frame[1].hasRemaining() || frame[0].hasRemaining()) {
                gathering.write(frame);
            }
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public byte[] receive() throws IOException {
        header.clear();
        if (!fill(header, true)) {
            throw endBetweenFrames();
        }
        int length = checkIncoming(header.getInt(0));
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
                    throw endInsideFrame();
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
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing is best effort: the peer sees the end of the stream either way
        }
    }
}
