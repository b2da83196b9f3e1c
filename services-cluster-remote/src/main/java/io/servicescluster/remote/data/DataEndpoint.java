package io.servicescluster.remote.data;

import io.servicescluster.protocol.ConnectionPorts;
import io.servicescluster.protocol.TlsCredentials;
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
    private final TlsCredentials tls;

    private DataEndpoint(ServerSocketChannel server, String endpoint, Path socketFile, TlsCredentials tls) {
        this.server = server;
        this.endpoint = endpoint;
        this.socketFile = socketFile;
        this.tls = tls;
    }

    /**
     * Binds {@code spec} ({@code unix:/path}, {@code tcp:host:port} or {@code tls:host:port}, read by
     * {@link ConnectionPorts#parseAddress}); a {@code tls:} endpoint serves with {@code tls}.
     *
     * @throws IOException if it cannot be bound
     * @throws IllegalArgumentException if {@code spec} is not an endpoint, or is {@code tls:} without credentials
     */
    public static DataEndpoint bind(String spec, TlsCredentials tls) throws IOException {
        SocketAddress address = ConnectionPorts.parseAddress(spec);
        boolean secured = ConnectionPorts.isTls(spec);
        if (secured && tls == null) {
            throw new IllegalArgumentException(spec + " needs TLS credentials (SVC_TLS), and there are none");
        }
        ServerSocketChannel server = ConnectionPorts.listen(address, 256);
        if (address instanceof InetSocketAddress requested) {
            // the host as written, the port as bound: port 0 becomes the one the system chose
            InetSocketAddress bound = InetSocketAddress.createUnresolved(requested.getHostString(),
                    ((InetSocketAddress) server.getLocalAddress()).getPort());
            return secured ? new DataEndpoint(server, ConnectionPorts.tlsEndpoint(bound), null, tls)
                    : new DataEndpoint(server, ConnectionPorts.endpoint(bound), null, null);
        }
        Path socketFile = ((UnixDomainSocketAddress) address).getPath();
        // connecting needs write permission on the socket, and a dependent may be another user
        // of the same group (a root manager's services: docs/security.md): open to the group, which
        // the folder (set-group-id) gives the socket. Who may reach the file is decided by the
        // sandbox (only dependents see the folder), who may call by the capability each request
        // carries (R15).
        Files.setPosixFilePermissions(socketFile, PosixFilePermissions.fromString("rw-rw----"));
        return new DataEndpoint(server, spec, socketFile, null);
    }

    /** The credentials this endpoint serves TLS with; null for a plain one. */
    TlsCredentials tls() {
        return tls;
    }

    /** The endpoint as reported in {@code Hello}: {@code unix:/path}, {@code tcp:host:port} or {@code tls:host:port}. */
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
