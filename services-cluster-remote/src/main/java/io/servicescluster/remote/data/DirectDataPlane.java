package io.servicescluster.remote.data;

import io.servicescluster.api.ChildSpec;
import io.servicescluster.api.Peer;
import io.servicescluster.api.PeerUnavailableException;
import io.servicescluster.api.ServiceContext;
import io.servicescluster.protocol.Capabilities;
import io.servicescluster.protocol.ConnectionPorts;
import io.servicescluster.protocol.ControlMessage.Code;
import io.servicescluster.protocol.ControlMessage.PeerUp;
import io.servicescluster.protocol.ControlMessage.SpawnResult;
import io.servicescluster.protocol.DataCodec;
import io.servicescluster.protocol.DataMessage;
import io.servicescluster.protocol.DataMessage.Accepted;
import io.servicescluster.protocol.DataMessage.Open;
import io.servicescluster.protocol.DataMessage.Refused;
import io.servicescluster.protocol.Durations;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The data plane of this remote (R14: requests and events go straight from service to service,
 * never through the controller).
 *
 * <p>As a <b>dependency</b> it accepts connections on its {@link DataEndpoint} (one platform
 * thread "sc-data-accept"); each connection must open with a capability that {@link
 * Capabilities#verify} accepts for this start's key, or it is refused and closed (R15: the
 * receiver checks, whatever the caller's library did). As a <b>dependent</b> it hands out one
 * {@link DataPeer} per declared dependency whose {@code PeerUp} came (R6, R15).
 *
 * <p>Threads: per connection one platform reader, one virtual event thread, a virtual thread per
 * request being served; one timer for all ({@link DataTimer}). Writes happen on the sending
 * threads ({@link FrameOutput}).
 *
 * <p>As a <b>parent</b> (R8) it asks the manager to spawn children (a {@link DataPlane.Spawner}) and
 * hands out a {@link DataPeer} per child, with the endpoint and capability of the manager's answer:
 * the one case where a service peers a service that depends on it.
 *
 * <p>Settings read from the service's {@code settings}: {@code requestTimeout} (default 30s),
 * {@code sendTimeout} (how long a send waits for a peer that reads nothing, default 30s) and
 * {@code spawnTimeout} (how long {@code spawn} waits for the manager's answer, default 2m), each
 * a positive duration ({@link Durations}).
 */
final class DirectDataPlane implements DataPlane {

    private static final long HANDSHAKE_NANOS = 10_000_000_000L;
    private static final long DEFAULT_TIMEOUT_NANOS = 30_000_000_000L;
    private static final long DEFAULT_SPAWN_TIMEOUT_NANOS = 120_000_000_000L;

    private final Code code;
    private final DataEndpoint endpoint;
    private final Map<String, PeerUp> peerUps = new ConcurrentHashMap<>();
    private final Spawner spawner;
    private final DataTimer timer = new DataTimer();
    private final Map<String, DataPeer> peers = new ConcurrentHashMap<>();
    private final Map<String, CopyOnWriteArraySet<DependentConnection>> subscribers = new ConcurrentHashMap<>();
    private final Set<DependentConnection> dependents = ConcurrentHashMap.newKeySet();
    private final Map<String, byte[]> names = new ConcurrentHashMap<>();
    private volatile RemoteContext context;
    private volatile ClassLoader loader;
    private volatile long requestTimeoutNanos = DEFAULT_TIMEOUT_NANOS;
    private volatile long sendWaitNanos = DEFAULT_TIMEOUT_NANOS;
    private volatile long spawnTimeoutNanos = DEFAULT_SPAWN_TIMEOUT_NANOS;

    /** See {@link DataPlane#direct}. */
    DirectDataPlane(Code code, DataEndpoint endpoint, Spawner spawner) {
        this.code = code;
        this.endpoint = endpoint;
        this.spawner = spawner;
    }

    @Override
    public ServiceContext open(Path workDir, ClassLoader loader) {
        requestTimeoutNanos = timeoutNanos("requestTimeout", DEFAULT_TIMEOUT_NANOS);
        sendWaitNanos = timeoutNanos("sendTimeout", DEFAULT_TIMEOUT_NANOS);
        spawnTimeoutNanos = timeoutNanos("spawnTimeout", DEFAULT_SPAWN_TIMEOUT_NANOS);
        this.loader = loader;
        RemoteContext opened = new RemoteContext(code.serviceName(), code.settings(), workDir, this);
        context = opened;
        if (endpoint != null) {
            daemon(new Acceptor(), "sc-data-accept", loader);
        }
        return opened;
    }

    /** The setting {@code name} as a positive duration, or {@code defaultNanos} if it is not set. */
    private long timeoutNanos(String name, long defaultNanos) {
        String text = code.settings().get(name);
        if (text == null) {
            return defaultNanos;
        }
        Duration timeout;
        try {
            timeout = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("setting " + name + ": " + e.getMessage());
        }
        if (timeout.isZero()) {
            throw new IllegalArgumentException("setting " + name + ": invalid duration '" + text
                    + "': a timeout must be more than zero");
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE; // beyond 292 years: never
        }
    }

    RemoteContext context() {
        return context;
    }

    long requestTimeoutNanos() {
        return requestTimeoutNanos;
    }

    long sendWaitNanos() {
        return sendWaitNanos;
    }

    // ---- the service's calls ----------------------------------------------------------------

    /** Publishes {@code event} to the dependents that subscribed to it. */
    void publish(String event, byte[] payload) {
        DataCodec.checkPayload("the payload of event '" + event + "'", payload.length);
        Set<DependentConnection> targets = subscribers.get(event);
        if (targets == null || targets.isEmpty()) {
            return;
        }
        byte[] name = names.get(event);
        if (name == null) {
            name = DataCodec.name(event);
            if (names.size() < 1024) {
                names.put(event, name);
            }
        }
        for (DependentConnection target : targets) {
            try {
                target.publish(name, payload);
            } catch (IOException e) {
                String reason = "cannot publish '" + event + "' to " + target.peerName + ": " + e.getMessage();
                System.err.println("[services-cluster] " + reason + "; its connection is closed");
                target.close(reason);
            }
        }
    }

    /** A declared, running dependency (R6, R15). */
    Peer peer(String dependency) {
        if (!code.dependsOn().contains(dependency)) {
            throw new IllegalArgumentException("'" + dependency + "' is not a declared dependency of '"
                    + code.serviceName() + "': it may use only " + code.dependsOn() + " (dependsOn, R15)");
        }
        PeerUp up = peerUps.get(dependency);
        if (up == null || up.endpoint().isEmpty()) {
            throw new IllegalStateException(up == null ? "'" + dependency + "' is not running (R6)"
                    : "'" + dependency + "' serves no data endpoint");
        }
        DataPeer peer = peers.get(dependency);
        if (peer == null) {
            DataPeer made = new DataPeer(dependency, up, this);
            peer = peers.putIfAbsent(dependency, made);
            if (peer == null) {
                peer = made;
            }
        }
        return peer;
    }

    /**
     * Asks the manager to spawn {@code child} (R8) and returns a {@link Peer} to it once it runs.
     * The manager decides: it refuses without {@code permissions.spawn}, for a bad or taken name,
     * or while this service is not running; a child that fails to start is an error too.
     *
     * @throws IllegalStateException with the manager's reason if the spawn was refused or failed
     * @throws java.util.concurrent.TimeoutException if no answer came within {@code spawnTimeout}
     */
    Peer spawn(ChildSpec child) throws Exception {
        SpawnResult result = spawner.spawn(child, spawnTimeoutNanos);
        if (!result.error().isEmpty()) {
            throw new IllegalStateException(result.error());
        }
        if (result.endpoint().isEmpty()) {
            throw new IllegalStateException("child '" + child.name() + "' runs but serves no data endpoint");
        }
        return new DataPeer(child.name(), new PeerUp(child.name(), result.endpoint(), result.capability()), this);
    }

    /** A {@code PeerUp} came (reader thread): remembers it, and re-connects that peer if it is in use. */
    @Override
    public void peerUp(PeerUp up) {
        peerUps.put(up.name(), up);
        DataPeer peer = peers.get(up.name());
        if (peer != null) {
            peer.peerUp(up);
        }
    }

    @Override
    public void close() {
        if (endpoint != null) {
            endpoint.close();
        }
        for (DependentConnection dependent : dependents) {
            dependent.close("the service closed");
        }
    }

    // ---- dependency side ----------------------------------------------------------------------

    void subscribe(String event, DependentConnection connection) {
        subscribers.computeIfAbsent(event, e -> new CopyOnWriteArraySet<>()).add(connection);
    }

    void unsubscribe(DependentConnection connection) {
        dependents.remove(connection);
        for (Set<DependentConnection> set : subscribers.values()) {
            set.remove(connection);
        }
    }

    /** Accepts dependents, each handled on a platform thread of its own. */
    private final class Acceptor implements Runnable {
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
                daemon(new Inbound(channel), "sc-data-handshake", loader);
            }
        }
    }

    /** Checks a new connection's {@link Open}, then becomes its reader. */
    private final class Inbound implements Runnable {
        private final SocketChannel channel;

        Inbound(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public void run() {
            Deadline deadline = new Deadline(channel);
            timer.register(deadline);
            FrameInput input = new FrameInput(channel, "a dependent");
            DependentConnection connection;
            try {
                DataMessage first = read(input);
                String refusal = refusal(first);
                if (refusal != null) {
                    System.err.println("[services-cluster] refused a data connection: " + refusal);
                    writeAndClose(new Refused(refusal));
                    return;
                }
                String dependent = ((Open) first).fromService();
                write(channel, new Accepted());
                deadline.done = true;
                connection = new DependentConnection(channel, input, dependent, DirectDataPlane.this, loader);
                dependents.add(connection);
                Thread.currentThread().setName("sc-data-reader-" + dependent);
            } catch (IOException | RuntimeException e) {
                closeQuietly(channel);
                return;
            } finally {
                deadline.done = true;
            }
            connection.run();
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

        private void writeAndClose(DataMessage message) {
            try {
                write(channel, message);
            } catch (IOException e) {
                // closing anyway
            }
            closeQuietly(channel);
        }
    }

    // ---- dependent side ---------------------------------------------------------------------

    /**
     * Opens a connection to a dependency and says {@link Open} with its capability (calling thread).
     *
     * @throws PeerUnavailableException if it cannot be reached or refuses
     */
    DependencyConnection connect(DataPeer peer, PeerUp up) {
        SocketChannel channel;
        try {
            SocketAddress address = ConnectionPorts.parseAddress(up.endpoint());
            channel = SocketChannel.open(address);
            if (address instanceof InetSocketAddress) {
                channel.socket().setTcpNoDelay(true);
            }
        } catch (IOException | RuntimeException e) {
            throw new PeerUnavailableException("cannot reach " + peer.name() + " at " + up.endpoint() + ": " + e, e);
        }
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

    // ---- helpers ----------------------------------------------------------------------------

    /** Starts a platform daemon thread whose context loader is the service's (a data plane thread may run its handlers). */
    static void daemon(Runnable task, String name, ClassLoader loader) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.setContextClassLoader(loader);
        thread.start();
    }

    private static DataMessage read(FrameInput input) throws IOException {
        DataMessage message;
        while ((message = input.poll()) == null) {
            input.fill();
        }
        return message;
    }

    private static void write(SocketChannel channel, DataMessage message) throws IOException {
        ByteBuffer frame = ByteBuffer.wrap(DataCodec.encode(message));
        while (frame.hasRemaining()) {
            channel.write(frame);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // best effort
        }
    }

    /** Closes a channel whose handshake did not finish within {@link #HANDSHAKE_NANOS}. */
    private static final class Deadline implements DataTimer.Timed {
        private final SocketChannel channel;
        private final long at = DataTimer.deadline(HANDSHAKE_NANOS);
        volatile boolean done;

        Deadline(SocketChannel channel) {
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
