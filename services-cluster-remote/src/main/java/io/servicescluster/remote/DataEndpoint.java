package io.servicescluster.remote;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The listening socket of this remote's data plane, bound from {@code SVC_DATA} before
 * {@code Hello} so that the manager learns the real address (a TCP port 0 becomes the port the
 * system chose). Nothing is accepted until the service is loaded ({@link DirectDataPlane}).
 */
final class DataEndpoint {

    final ServerSocketChannel server;
    /** The endpoint as reported in {@code Hello}: {@code unix:/path} or {@code tcp:host:port}. */
    final String endpoint;
    private final Path socketFile;

    private DataEndpoint(ServerSocketChannel server, String endpoint, Path socketFile) {
        this.server = server;
        this.endpoint = endpoint;
        this.socketFile = socketFile;
    }

    /**
     * Binds {@code spec} ({@code unix:/path} or {@code tcp:host:port}).
     *
     * @throws IOException if it cannot be bound
     * @throws IllegalArgumentException if {@code spec} is not an endpoint
     */
    static DataEndpoint bind(String spec) throws IOException {
        if (spec.startsWith("unix:")) {
            Path path = Path.of(spec.substring("unix:".length()));
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path), 256);
            return new DataEndpoint(server, spec, path);
        }
        if (spec.startsWith("tcp:")) {
            String hostPort = spec.substring("tcp:".length());
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("not a tcp:host:port endpoint: " + spec);
            }
            String host = hostPort.substring(0, colon);
            ServerSocketChannel server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1))), 256);
            SocketAddress bound = server.getLocalAddress();
            int port = ((InetSocketAddress) bound).getPort();
            return new DataEndpoint(server, "tcp:" + host + ":" + port, null);
        }
        throw new IllegalArgumentException("unknown endpoint (want unix:/path or tcp:host:port): " + spec);
    }

    /** Stops listening and removes the socket file; never throws. */
    void close() {
        try {
            server.close();
        } catch (IOException e) {
            // best effort
        }
        if (socketFile != null) {
            try {
                Files.deleteIfExists(socketFile);
            } catch (IOException e) {
                // best effort: the manager removes its run folder anyway
            }
        }
    }
}
