package io.servicescluster.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The socket JSSE's {@code SSLSocket} is layered over: a connected, blocking {@link SocketChannel}'s
 * own socket, except that reading goes through a {@value #READ_AHEAD}-byte buffer.
 *
 * <p>Why: a layered {@code SSLSocket} reads each TLS record with two reads of the socket's stream,
 * its 5-byte header and then its body. Straight on the socket that is two system calls a record,
 * and a busy connection carries thousands of records a second. Read ahead, one system call fetches
 * whatever has arrived — often many records — and the record reads are copies out of memory.
 * Writes go to the socket as they are: JSSE writes a record at a time and needs each one sent (a
 * handshake message must not wait in a buffer).
 *
 * <p>Every other method is the channel's socket's. The input stream is JSSE's alone (one reader at
 * a time, under its read lock); it ends at the channel's end of stream, and honours {@code
 * SO_TIMEOUT} as a socket's stream does.
 */
final class ReadAheadSocket extends Socket {

    /** As much as one read takes from the kernel: four full TLS records. */
    static final int READ_AHEAD = 64 * 1024;

    private final SocketChannel channel;
    private final Socket plain;
    private final InputStream input;
    /** {@code SO_TIMEOUT}: 0, or a read that waits at most this (through the channel's socket, which knows it). */
    private volatile int readTimeout;

    ReadAheadSocket(SocketChannel channel) throws SocketException {
        super((java.net.SocketImpl) null);
        this.channel = channel;
        this.plain = channel.socket();
        this.input = new ReadAhead();
    }

    @Override
    public InputStream getInputStream() throws IOException {
        if (!channel.isOpen()) {
            throw new SocketException("Socket is closed");
        }
        return input;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return plain.getOutputStream();
    }

    /** Reads the channel in large pieces and hands them out in small ones. */
    private final class ReadAhead extends InputStream {
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(READ_AHEAD).flip();

        @Override
        public int read() throws IOException {
            if (!fill()) {
                return -1;
            }
            return buffer.get() & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            java.util.Objects.checkFromIndexSize(offset, length, target.length);
            if (length == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(length, buffer.remaining());
            buffer.get(target, offset, n);
            return n;
        }

        /** True when bytes wait in the buffer, reading the channel (blocking) if none do; false at its end. */
        private boolean fill() throws IOException {
            while (!buffer.hasRemaining()) {
                buffer.clear();
                int n;
                try {
                    n = readTimeout == 0 ? channel.read(buffer) : readWithin();
                } finally {
                    buffer.flip();
                }
                if (n < 0) {
                    return false;
                }
            }
            return true;
        }

        /** A read of the channel's socket, which throws a {@link java.net.SocketTimeoutException} after {@code SO_TIMEOUT}. */
        private int readWithin() throws IOException {
            byte[] chunk = new byte[buffer.remaining()];
            int n = plain.getInputStream().read(chunk);
            if (n > 0) {
                buffer.put(chunk, 0, n);
            }
            return n;
        }

        @Override
        public int available() {
            return buffer.remaining();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    // ---- everything else is the channel's socket's

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        plain.connect(endpoint, timeout);
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        plain.bind(local);
    }

    @Override
    public InetAddress getInetAddress() {
        return plain.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return plain.getLocalAddress();
    }

    @Override
    public int getPort() {
        return plain.getPort();
    }

    @Override
    public int getLocalPort() {
        return plain.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return plain.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return plain.getLocalSocketAddress();
    }

    @Override
    public SocketChannel getChannel() {
        return null; // JSSE must not bypass this socket's reading
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        plain.setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return plain.getTcpNoDelay();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        plain.setSoLinger(on, linger);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return plain.getSoLinger();
    }

    /**
     * JSSE sets one when it closes the connection (after a fatal alert, say): it reads what is left
     * for a millisecond, so that the close sends no reset that could swallow its alert. Refused,
     * JSSE's close stopped there, before it closed the socket.
     */
    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        plain.setSoTimeout(timeout);
        readTimeout = timeout;
    }

    @Override
    public int getSoTimeout() {
        return readTimeout;
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        plain.setSendBufferSize(size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return plain.getSendBufferSize();
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        plain.setReceiveBufferSize(size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return plain.getReceiveBufferSize();
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        plain.setKeepAlive(on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return plain.getKeepAlive();
    }

    @Override
    public void setTrafficClass(int tc) throws SocketException {
        plain.setTrafficClass(tc);
    }

    @Override
    public int getTrafficClass() throws SocketException {
        return plain.getTrafficClass();
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        plain.setReuseAddress(on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return plain.getReuseAddress();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public void shutdownInput() throws IOException {
        plain.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        plain.shutdownOutput();
    }

    @Override
    public boolean isConnected() {
        return plain.isConnected();
    }

    @Override
    public boolean isBound() {
        return plain.isBound();
    }

    @Override
    public boolean isClosed() {
        return !channel.isOpen();
    }

    @Override
    public boolean isInputShutdown() {
        return plain.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return plain.isOutputShutdown();
    }

    @Override
    public String toString() {
        return "read-ahead " + plain;
    }
}
