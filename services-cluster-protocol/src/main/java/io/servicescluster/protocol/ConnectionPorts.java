package io.servicescluster.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Opens {@link ConnectionPort}s. Unix domain sockets and TCP share one implementation: only the
 * address differs, so a transport is a configuration, not a rewrite. Mutual TLS over TCP
 * ({@code tls:host:port}, R17) is that same socket with {@link TlsCredentials} layered on: the
 * listening side is a plain TCP listener whose accepted channels are {@linkplain #secure secured}
 * on the connection's own thread (a slow handshake never holds up the accepting loop).
 */
public final class ConnectionPorts {

    /** The default frame limit of the control channel: 16 MiB, room for a large source string. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 16 * 1024 * 1024;

    private static final String UNIX = "unix:";
    private static final String TCP = "tcp:";
    private static final String TLS = "tls:";

    private ConnectionPorts() {
    }

    /** Connects to a Unix domain socket. */
    public static ConnectionPort connectUnix(Path socket, int maxFrameSize) throws IOException {
        return connect(UnixDomainSocketAddress.of(socket), maxFrameSize);
    }

    /** Connects to a TCP address. */
    public static ConnectionPort connectTcp(InetSocketAddress address, int maxFrameSize) throws IOException {
        return connect(address, maxFrameSize);
    }

    /** Connects to {@code address}, Unix domain or TCP. */
    public static ConnectionPort connect(SocketAddress address, int maxFrameSize) throws IOException {
        SocketChannel channel = SocketChannel.open(address);
        if (address instanceof InetSocketAddress) {
            channel.socket().setTcpNoDelay(true);
        }
        return new SocketConnectionPort(channel, maxFrameSize, address.toString());
    }

    /** Wraps an accepted or connected channel (blocking mode). */
    public static ConnectionPort wrap(SocketChannel channel, int maxFrameSize, String description) {
        return new SocketConnectionPort(channel, maxFrameSize, description);
    }

    /**
     * Wraps a channel from {@link #openChannel} or {@link #secure}: a socket channel, or TLS over one.
     *
     * @throws IllegalArgumentException if it is neither
     */
    public static ConnectionPort wrap(ByteChannel channel, int maxFrameSize, String description) {
        if (channel instanceof TlsChannel tls) {
            return new SocketConnectionPort(tls, maxFrameSize, description);
        }
        if (channel instanceof SocketChannel socket) {
            return new SocketConnectionPort(socket, maxFrameSize, description);
        }
        throw new IllegalArgumentException("not a socket channel: " + channel);
    }

    /**
     * Connects to {@code endpoint} ({@code unix:}, {@code tcp:} or {@code tls:}): for {@code tls:}
     * with {@code credentials}, completing the handshake and checking that the peer's certificate
     * names {@code expectedPeer} (if not null).
     *
     * @throws IOException if it cannot be reached, the handshake fails, or the peer is another
     * @throws IllegalArgumentException if {@code endpoint} is none of these, or is {@code tls:} without credentials
     */
    public static ConnectionPort connect(String endpoint, int maxFrameSize, TlsCredentials credentials,
            String expectedPeer) throws IOException {
        return wrap(openChannel(endpoint, credentials, expectedPeer), maxFrameSize, endpoint);
    }

    /**
     * A connected channel to {@code endpoint}, as {@link #connect} opens it but without framing (the
     * data plane frames its own): TCP without Nagle's delay, and for {@code tls:} the handshake done
     * and the peer checked.
     */
    public static ByteChannel openChannel(String endpoint, TlsCredentials credentials, String expectedPeer)
            throws IOException {
        SocketAddress address = parseAddress(endpoint);
        boolean tls = isTls(endpoint);
        if (tls && credentials == null) {
            throw new IllegalArgumentException("the endpoint " + endpoint + " needs TLS credentials, and this side "
                    + "has none (SVC_TLS)");
        }
        SocketChannel channel = SocketChannel.open(address);
        if (address instanceof InetSocketAddress) {
            channel.socket().setTcpNoDelay(true);
        }
        if (!tls) {
            return channel;
        }
        TlsChannel secured = TlsChannel.over(channel, credentials, true);
        try {
            X509Certificate peer = secured.handshake();
            String name = TlsCredentials.commonName(peer);
            if (expectedPeer != null && !expectedPeer.equals(name)) {
                throw new javax.net.ssl.SSLPeerUnverifiedException("the peer at " + endpoint + " presented the "
                        + "certificate of '" + name + "', not of '" + expectedPeer + "'");
            }
            return secured;
        } catch (IOException | RuntimeException e) {
            secured.close();
            throw e;
        }
    }

    /**
     * The server's side of TLS over {@code accepted}, a channel a {@code tls:} endpoint's listener
     * accepted; the handshake happens on the first read or {@link #handshake}, on the caller's thread.
     */
    public static ByteChannel secure(SocketChannel accepted, TlsCredentials credentials) throws IOException {
        return TlsChannel.over(accepted, credentials, false);
    }

    /**
     * Completes the TLS handshake of {@code channel} and returns the peer's certificate (of this
     * cluster: any other fails the handshake); empty for a channel without TLS.
     *
     * @throws javax.net.ssl.SSLException if the handshake fails (plain TCP, a foreign certificate, none)
     */
    public static Optional<X509Certificate> handshake(ByteChannel channel) throws IOException {
        return channel instanceof TlsChannel tls ? Optional.of(tls.handshake()) : Optional.empty();
    }

    /** Where an accepted {@code channel} comes from, for logs. */
    public static String remoteAddress(ByteChannel channel) {
        if (channel instanceof TlsChannel tls) {
            return tls.remoteAddress();
        }
        try {
            return channel instanceof SocketChannel socket ? String.valueOf(socket.getRemoteAddress()) : "?";
        } catch (IOException e) {
            return "a closed connection";
        }
    }

    /** Whether {@code endpoint} is a {@code tls:host:port} endpoint (R17's mutual TLS over TCP). */
    public static boolean isTls(String endpoint) {
        return endpoint.startsWith(TLS);
    }

    /**
     * A port over a pair of streams, such as a child process's pipes: frames are read from
     * {@code in} and written to {@code out}. See {@link StreamConnectionPort} for how closing differs
     * from a socket's.
     */
    public static ConnectionPort overStreams(InputStream in, OutputStream out, int maxFrameSize, String description) {
        return new StreamConnectionPort(in, out, maxFrameSize, description);
    }

    /** Binds a listening Unix domain socket at {@code socket}, which must not exist yet. */
    public static ServerSocketChannel listenUnix(Path socket) throws IOException {
        return listen(UnixDomainSocketAddress.of(socket), 0);
    }

    /**
     * Binds a listening socket at {@code address}, Unix domain or TCP (port 0: the system chooses).
     *
     * @param backlog the queue of pending connections; 0 for the system's default
     */
    public static ServerSocketChannel listen(SocketAddress address, int backlog) throws IOException {
        ServerSocketChannel server = address instanceof UnixDomainSocketAddress
                ? ServerSocketChannel.open(StandardProtocolFamily.UNIX) : ServerSocketChannel.open();
        try {
            server.bind(address, backlog);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /**
     * Parses an endpoint written as {@code unix:/path}, {@code tcp:host:port} or {@code tls:host:port}
     * (port 0 to 65535; the host is the text before the last colon; {@code tls:} is TCP with
     * {@link TlsCredentials} on top, so its address is TCP's). The one reader of endpoints: the control channel
     * ({@code SVC_CONTROL}), the data plane ({@code SVC_DATA}, {@code PeerUp}) and the manager all
     * use it; {@link #endpoint} writes them.
     *
     * @throws IllegalArgumentException if {@code endpoint} is neither, with a message that quotes it
     */
    public static SocketAddress parseAddress(String endpoint) {
        if (endpoint.startsWith(UNIX) && endpoint.length() > UNIX.length()) {
            return UnixDomainSocketAddress.of(endpoint.substring(UNIX.length()));
        }
        if (endpoint.startsWith(TCP) || endpoint.startsWith(TLS)) {
            String scheme = endpoint.substring(0, TCP.length());
            String hostPort = endpoint.substring(scheme.length());
            int colon = hostPort.lastIndexOf(':');
            int port = colon > 0 ? port(hostPort.substring(colon + 1)) : -1;
            if (port < 0) {
                throw new IllegalArgumentException("not a " + scheme + "host:port endpoint (port 0 to 65535): "
                        + endpoint);
            }
            return new InetSocketAddress(hostPort.substring(0, colon), port);
        }
        throw new IllegalArgumentException("unknown endpoint (want unix:/path, tcp:host:port or tls:host:port): "
                + endpoint);
    }

    /**
     * {@code address} written as an endpoint that {@link #parseAddress} reads back: {@code unix:/path},
     * or {@code tcp:host:port} with the host as given (not resolved).
     *
     * @throws IllegalArgumentException if it is neither a Unix domain nor a TCP address
     */
    public static String endpoint(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress unix) {
            return UNIX + unix.getPath();
        }
        if (address instanceof InetSocketAddress inet) {
            return TCP + inet.getHostString() + ":" + inet.getPort();
        }
        throw new IllegalArgumentException("not a Unix domain or TCP address: " + address);
    }

    /** {@code address} as a {@code tls:host:port} endpoint, the host as given (not resolved). */
    public static String tlsEndpoint(InetSocketAddress address) {
        return TLS + address.getHostString() + ":" + address.getPort();
    }

    /** A port number 0 to 65535 in ASCII digits, or -1. A loop, not a stream: the remote reads this on its start path. */
    private static int port(String text) {
        if (text.isEmpty() || text.length() > 5) {
            return -1;
        }
        int port = 0;
        for (int i = 0; i < text.length(); i++) {
            char digit = text.charAt(i);
            if (digit < '0' || digit > '9') {
                return -1;
            }
            port = port * 10 + (digit - '0');
        }
        return port <= 65_535 ? port : -1;
    }
}
