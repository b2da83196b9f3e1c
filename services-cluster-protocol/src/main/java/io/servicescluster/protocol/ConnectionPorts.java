package io.servicescluster.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * Opens {@link ConnectionPort}s. Unix domain sockets and TCP share one implementation: only the
 * address differs, so a transport is a configuration, not a rewrite.
 */
public final class ConnectionPorts {

    /** The default frame limit of the control channel: 16 MiB, room for a large source string. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 16 * 1024 * 1024;

    private static final String UNIX = "unix:";
    private static final String TCP = "tcp:";

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
     * Parses an endpoint written as {@code unix:/path} or {@code tcp:host:port} (port 0 to 65535;
     * the host is the text before the last colon). The one reader of endpoints: the control channel
     * ({@code SVC_CONTROL}), the data plane ({@code SVC_DATA}, {@code PeerUp}) and the manager all
     * use it; {@link #endpoint} writes them.
     *
     * @throws IllegalArgumentException if {@code endpoint} is neither, with a message that quotes it
     */
    public static SocketAddress parseAddress(String endpoint) {
        if (endpoint.startsWith(UNIX) && endpoint.length() > UNIX.length()) {
            return UnixDomainSocketAddress.of(endpoint.substring(UNIX.length()));
        }
        if (endpoint.startsWith(TCP)) {
            String hostPort = endpoint.substring(TCP.length());
            int colon = hostPort.lastIndexOf(':');
            int port = colon > 0 ? port(hostPort.substring(colon + 1)) : -1;
            if (port < 0) {
                throw new IllegalArgumentException("not a tcp:host:port endpoint (port 0 to 65535): " + endpoint);
            }
            return new InetSocketAddress(hostPort.substring(0, colon), port);
        }
        throw new IllegalArgumentException("unknown endpoint (want unix:/path or tcp:host:port): " + endpoint);
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
