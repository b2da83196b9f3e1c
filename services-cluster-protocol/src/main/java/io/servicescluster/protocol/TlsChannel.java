package io.servicescluster.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.SocketChannel;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;

/**
 * A TCP {@link SocketChannel} (blocking) with TLS on top, as a {@link ByteChannel}: what the
 * control channel's {@link SocketConnectionPort} and the remote's data plane read and write
 * whatever the transport. JSSE's {@link SSLSocket}, layered over the channel's socket, does the
 * TLS; reads and writes take separate locks there, so a blocked reader never stalls a sender.
 * JSSE reads the channel through a {@link ReadAheadSocket}: one system call for many records.
 *
 * <p>{@link #close} closes the TCP channel itself, never the TLS layer: that never blocks (JSSE's
 * close waits for a sender stuck on a full socket) and wakes a blocked reader and sender at once.
 * The peer reads the end of the stream without a {@code close_notify}, which JSSE takes as the end
 * (the frames' own lengths tell a cut frame from a clean end).
 */
final class TlsChannel implements ByteChannel, GatheringByteChannel {

    private final SocketChannel tcp;
    private final SSLSocket tls;
    private final InputStream in;
    private final OutputStream out;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private volatile boolean handshaken; // startHandshake on an established TLS 1.3 session would send a KeyUpdate

    private TlsChannel(SocketChannel tcp, SSLSocket tls) throws IOException {
        this.tcp = tcp;
        this.tls = tls;
        this.in = tls.getInputStream();
        this.out = tls.getOutputStream();
    }

    /**
     * TLS over {@code tcp}, a connected channel: the client's side if {@code client}, else the
     * server's. The handshake is not started: {@link #handshake} (or the first read or write) does it.
     */
    static TlsChannel over(SocketChannel tcp, TlsCredentials credentials, boolean client) throws IOException {
        try {
            return new TlsChannel(tcp, credentials.layer(new ReadAheadSocket(tcp), client));
        } catch (IOException | RuntimeException e) {
            tcp.close();
            throw e;
        }
    }

    /**
     * Completes the handshake (once; later calls return at once) and returns the peer's certificate,
     * which chains to the cluster's CA.
     *
     * @throws javax.net.ssl.SSLException if the handshake fails: the peer spoke no TLS, or its
     *     certificate is not of this cluster
     */
    X509Certificate handshake() throws IOException {
        if (!handshaken) {
            tls.startHandshake();
            handshaken = true;
        }
        try {
            return (X509Certificate) tls.getSession().getPeerCertificates()[0];
        } catch (SSLPeerUnverifiedException e) {
            throw new javax.net.ssl.SSLHandshakeException("the peer presented no certificate");
        }
    }

    /** Where the TCP channel leads, for messages. */
    String remoteAddress() {
        try {
            return String.valueOf(tcp.getRemoteAddress());
        } catch (IOException e) {
            return "a closed connection";
        }
    }

    @Override
    public int read(ByteBuffer target) throws IOException {
        ensureOpen();
        if (!target.hasRemaining()) {
            return 0;
        }
        int n;
        if (target.hasArray()) {
            n = in.read(target.array(), target.arrayOffset() + target.position(), target.remaining());
            if (n > 0) {
                target.position(target.position() + n);
            }
        } else {
            byte[] bytes = new byte[Math.min(target.remaining(), 64 * 1024)];
            n = in.read(bytes);
            if (n > 0) {
                target.put(bytes, 0, n);
            }
        }
        return n;
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        ensureOpen();
        int n = source.remaining();
        if (source.hasArray()) {
            out.write(source.array(), source.arrayOffset() + source.position(), n);
            source.position(source.limit());
        } else {
            byte[] bytes = new byte[n];
            source.get(bytes);
            out.write(bytes);
        }
        return n;
    }

    /** Gathers the buffers into one write, so that a frame's length and payload go in one TLS record. */
    @Override
    public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += sources[i].remaining();
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IOException("too much to write at once: " + total + " bytes");
        }
        ByteBuffer whole = ByteBuffer.allocate((int) total);
        for (int i = offset; i < offset + length; i++) {
            whole.put(sources[i]);
        }
        return write(whole.flip());
    }

    @Override
    public long write(ByteBuffer[] sources) throws IOException {
        return write(sources, 0, sources.length);
    }

    private void ensureOpen() throws IOException {
        if (!open.get()) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    @Override
    public void close() throws IOException {
        if (open.compareAndSet(true, false)) {
            tcp.close();
        }
    }
}
