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
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return server;
    }

    /** Parses an endpoint written as {@code unix:/path} or {@code tcp:host:port}. */
    public static SocketAddress parseAddress(String endpoint) {
        if (endpoint.startsWith("unix:")) {
            return UnixDomainSocketAddress.of(endpoint.substring("unix:".length()));
        }
        if (endpoint.startsWith("tcp:")) {
            String hostPort = endpoint.substring("tcp:".length());
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("not a tcp:host:port endpoint: " + endpoint);
            }
            return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
        }
        throw new IllegalArgumentException("unknown endpoint (want unix:/path or tcp:host:port): " + endpoint);
    }
}
