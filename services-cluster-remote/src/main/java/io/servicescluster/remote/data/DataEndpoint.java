package io.servicescluster.remote.data;

import io.servicescluster.protocol.ConnectionPorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The listening socket of this remote's data plane, bound from {@code SVC_DATA} before
 * {@code Hello} so that the manager learns the real address (a TCP port 0 becomes the port the
 * system chose). Nothing is accepted until the service is loaded ({@link DataPlane#open}).
 */
public final class DataEndpoint {

    final ServerSocketChannel server;
    private final String endpoint;
    private final Path socketFile;

    private DataEndpoint(ServerSocketChannel server, String endpoint, Path socketFile) {
        this.server = server;
        this.endpoint = endpoint;
        this.socketFile = socketFile;
    }

    /**
     * Binds {@code spec} ({@code unix:/path} or {@code tcp:host:port}, read by {@link
     * ConnectionPorts#parseAddress}).
     *
     * @throws IOException if it cannot be bound
     * @throws IllegalArgumentException if {@code spec} is not an endpoint
     */
    public static DataEndpoint bind(String spec) throws IOException {
        SocketAddress address = ConnectionPorts.parseAddress(spec);
        ServerSocketChannel server = ConnectionPorts.listen(address, 256);
        if (address instanceof InetSocketAddress requested) {
            // the host as written, the port as bound: port 0 becomes the one the system chose
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            return new DataEndpoint(server,
                    ConnectionPorts.endpoint(InetSocketAddress.createUnresolved(requested.getHostString(), port)), null);
        }
        Path socketFile = ((UnixDomainSocketAddress) address).getPath();
        // connecting needs write permission on the socket, and a dependent may be another user
        // of the same group (a root manager's services: docs/security.md): open to the group, which
        // the folder (set-group-id) gives the socket. Who may reach the file is decided by the
        // sandbox (only dependents see the folder), who may call by the capability each request
        // carries (R15).
        Files.setPosixFilePermissions(socketFile, PosixFilePermissions.fromString("rw-rw----"));
        return new DataEndpoint(server, spec, socketFile);
    }

    /** The endpoint as reported in {@code Hello}: {@code unix:/path} or {@code tcp:host:port}. */
    public String endpoint() {
        return endpoint;
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
