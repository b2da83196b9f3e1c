package io.servicescluster.remote.data;

import io.servicescluster.protocol.ConnectionPorts;
import io.servicescluster.protocol.TlsCredentials;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;

/**
 * The dependency's side of the data plane: accepts dependents on the {@link DataEndpoint} (one
 * platform thread "sc-data-accept"), checks each one's {@link Handshake} on a platform thread of
 * its own, which then becomes that connection's reader (over {@code tls:}, the TLS handshake too,
 * on that thread: a slow or silent peer never holds up the accepting). Ends when the endpoint closes.
 */
final class DataAcceptor implements Runnable {

    private final DataEndpoint endpoint;
    private final Handshake handshake;
    private final DirectDataPlane plane;
    private final Subscribers subscribers;
    private final ClassLoader loader;

    /** @param loader the service's class loader: the context loader of every thread started here */
    DataAcceptor(DataEndpoint endpoint, Handshake handshake, DirectDataPlane plane, Subscribers subscribers,
            ClassLoader loader) {
        this.endpoint = endpoint;
        this.handshake = handshake;
        this.plane = plane;
        this.subscribers = subscribers;
        this.loader = loader;
    }

    @Override
    public void run() {
        for (;;) {
            SocketChannel channel;
            try {
                channel = endpoint.server.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                if (channel.getRemoteAddress() instanceof InetSocketAddress) {
                    channel.socket().setTcpNoDelay(true);
                }
            } catch (IOException e) {
                // keep the default
            }
            ByteChannel link;
            try {
                TlsCredentials tls = endpoint.tls();
                link = tls == null ? channel : ConnectionPorts.secure(channel, tls);
            } catch (IOException e) {
                continue; // closed: the peer sees the end
            }
            DirectDataPlane.daemon(() -> inbound(link), "sc-data-handshake", loader);
        }
    }

    /** Checks a new connection's handshake, then becomes its reader (this thread, renamed). */
    private void inbound(ByteChannel channel) {
        FrameInput input = new FrameInput(channel, "a dependent");
        DependentConnection connection;
        try {
            String dependent = handshake.accept(channel, input);
            if (dependent == null) {
                return; // refused
            }
            connection = new DependentConnection(channel, input, dependent, plane, loader);
            subscribers.add(connection);
            Thread.currentThread().setName("sc-data-reader-" + dependent);
        } catch (IOException | RuntimeException e) {
            Handshake.closeQuietly(channel);
            return;
        }
        connection.run();
    }
}
