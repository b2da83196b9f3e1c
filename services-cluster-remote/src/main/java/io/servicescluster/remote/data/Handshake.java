package io.servicescluster.remote.data;

import io.servicescluster.api.PeerUnavailableException;
import io.servicescluster.protocol.Capabilities;
import io.servicescluster.protocol.ConnectionPorts;
import io.servicescluster.protocol.ControlMessage.Code;
import io.servicescluster.protocol.ControlMessage.PeerUp;
import io.servicescluster.protocol.DataCodec;
import io.servicescluster.protocol.DataMessage;
import io.servicescluster.protocol.DataMessage.Accepted;
import io.servicescluster.protocol.DataMessage.Open;
import io.servicescluster.protocol.DataMessage.Refused;
import io.servicescluster.protocol.TlsCredentials;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;

/**
 * Both sides of a data connection's first exchange: the dependent says {@link Open} with its
 * capability, the dependency answers {@link Accepted} or {@link Refused} (R15: the receiver
 * checks, whatever the caller's library did). A channel whose handshake does not finish within
 * {@link #HANDSHAKE_NANOS} is closed (a TLS handshake included). Runs on the calling thread, blocking.
 *
 * <p>Over {@code tls:} (R17) both sides have shown a certificate of the cluster's CA first; the
 * dependent checks that the dependency's names the dependency, and the dependency that the
 * dependent's names the service its {@code Open} says: a start cannot speak for another service.
 */
final class Handshake {

    private static final long HANDSHAKE_NANOS = 10_000_000_000L;

    private final Code code;
    private final DataTimer timer;
    private final TlsCredentials tls;

    /**
     * @param code this service's code: its name and the key its capabilities are checked with
     * @param tls this start's credentials for {@code tls:} endpoints; null without
     */
    Handshake(Code code, DataTimer timer, TlsCredentials tls) {
        this.code = code;
        this.timer = timer;
        this.tls = tls;
    }

    /**
     * The dependency's side: reads the first message of a new connection and answers it.
     *
     * @return the dependent's name once accepted; null if refused (the channel is then closed)
     * @throws IOException if the channel fails (the caller closes it)
     */
    String accept(ByteChannel channel, FrameInput input) throws IOException {
        Deadline deadline = new Deadline(channel);
        timer.register(deadline);
        try {
            String certified;
            try {
                certified = ConnectionPorts.handshake(channel).map(TlsCredentials::commonName).orElse(null);
            } catch (IOException e) {
                System.err.println("[services-cluster] refused a data connection from "
                        + ConnectionPorts.remoteAddress(channel) + ": the TLS handshake failed (" + e.getMessage()
                        + "): only a service with a certificate of this cluster's CA may connect");
                closeQuietly(channel);
                return null;
            }
            DataMessage first = read(input);
            String refusal = refusal(first);
            if (refusal == null && certified != null && !certified.equals(((Open) first).fromService())) {
                refusal = "the Open says '" + ((Open) first).fromService() + "' but the certificate names '"
                        + certified + "'";
            }
            if (refusal != null) {
                System.err.println("[services-cluster] refused a data connection: " + refusal);
                writeAndClose(channel, new Refused(refusal));
                return null;
            }
            write(channel, new Accepted());
            return ((Open) first).fromService();
        } finally {
            deadline.done = true;
        }
    }

    private String refusal(DataMessage first) {
        if (!(first instanceof Open open)) {
            return "the first message must be Open, not " + first.getClass().getSimpleName();
        }
        if (open.version() != DataCodec.VERSION) {
            return "data protocol version " + open.version() + " is not spoken here (" + DataCodec.VERSION + ")";
        }
        boolean valid;
        try {
            valid = Capabilities.verify(code.capabilityKey(), open.fromService(), open.capability());
        } catch (RuntimeException e) {
            valid = false;
        }
        return valid ? null : "'" + open.fromService() + "' holds no capability for '" + code.serviceName()
                + "': only its declared dependents may connect, with the capability the manager gave them (R15)";
    }

    /**
     * The dependent's side: opens a connection to a dependency and says {@link Open} with its
     * capability; once accepted, the connection's reader runs and the timer watches its requests.
     *
     * @throws PeerUnavailableException if it cannot be reached or refuses
     */
    DependencyConnection connect(DataPeer peer, PeerUp up, ClassLoader loader, long sendWaitNanos) {
        ByteChannel channel = open(peer, up);
        Deadline deadline = new Deadline(channel);
        timer.register(deadline);
        try {
            write(channel, new Open(DataCodec.VERSION, code.serviceName(), up.capability()));
            FrameInput input = new FrameInput(channel, peer.name());
            DataMessage answer = read(input);
            deadline.done = true;
            if (answer instanceof Refused refused) {
                throw new PeerUnavailableException(peer.name() + " refused the connection: " + refused.reason());
            }
            if (!(answer instanceof Accepted)) {
                throw new PeerUnavailableException(peer.name() + " broke the data protocol: answered "
                        + answer.getClass().getSimpleName() + " to Open");
            }
            DependencyConnection connection = new DependencyConnection(channel, input, peer, up.endpoint(), loader,
                    sendWaitNanos);
            connection.startReader();
            timer.register(connection);
            return connection;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new PeerUnavailableException("cannot open a connection to " + peer.name() + " at "
                    + up.endpoint() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        } finally {
            deadline.done = true;
        }
    }

    /** A connection to the peer's endpoint: for {@code tls:}, its handshake done and the peer's name checked. */
    private ByteChannel open(DataPeer peer, PeerUp up) {
        try {
            return ConnectionPorts.openChannel(up.endpoint(), tls, peer.name());
        } catch (IOException | RuntimeException e) {
            throw new PeerUnavailableException("cannot reach " + peer.name() + " at " + up.endpoint() + ": " + e, e);
        }
    }

    private static DataMessage read(FrameInput input) throws IOException {
        DataMessage message;
        while ((message = input.poll()) == null) {
            input.fill();
        }
        return message;
    }

    private static void write(ByteChannel channel, DataMessage message) throws IOException {
        ByteBuffer frame = ByteBuffer.wrap(DataCodec.encode(message));
        while (frame.hasRemaining()) {
            channel.write(frame);
        }
    }

    private static void writeAndClose(ByteChannel channel, DataMessage message) {
        try {
            write(channel, message);
        } catch (IOException e) {
            // closing anyway
        }
        closeQuietly(channel);
    }

    static void closeQuietly(ByteChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // best effort
        }
    }

    /** Closes a channel whose handshake did not finish within {@link #HANDSHAKE_NANOS}. */
    private static final class Deadline implements DataTimer.Timed {
        private final ByteChannel channel;
        private final long at = DataTimer.deadline(HANDSHAKE_NANOS);
        volatile boolean done;

        Deadline(ByteChannel channel) {
            this.channel = channel;
        }

        @Override
        public boolean tick(long now) {
            if (done) {
                return false;
            }
            if (now >= at) {
                closeQuietly(channel);
                return false;
            }
            return true;
        }
    }
}
