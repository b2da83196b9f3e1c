package io.servicescluster.remote.data;

import io.servicescluster.api.ChildSpec;
import io.servicescluster.api.Peer;
import io.servicescluster.api.ServiceContext;
import io.servicescluster.protocol.Capabilities;
import io.servicescluster.protocol.ControlMessage.Code;
import io.servicescluster.protocol.ControlMessage.PeerUp;
import io.servicescluster.protocol.ControlMessage.SpawnResult;
import io.servicescluster.protocol.Durations;
import io.servicescluster.protocol.TlsCredentials;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The data plane of this remote (R14: requests and events go straight from service to service,
 * never through the controller).
 *
 * <p>As a <b>dependency</b> it accepts connections on its {@link DataEndpoint} ({@link
 * DataAcceptor}); each connection must open with a capability that {@link Capabilities#verify}
 * accepts for this start's key, or it is refused and closed ({@link Handshake}; R15: the receiver
 * checks, whatever the caller's library did). What the service publishes goes to the dependents
 * that subscribed ({@link Subscribers}). As a <b>dependent</b> it hands out one {@link DataPeer}
 * per declared dependency whose {@code PeerUp} came (R6, R15).
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
 * a positive duration ({@link Durations}; {@link DataSettings}).
 */
final class DirectDataPlane implements DataPlane {

    private final Code code;
    private final DataEndpoint endpoint;
    private final Map<String, PeerUp> peerUps = new ConcurrentHashMap<>();
    private final Spawner spawner;
    private final DataTimer timer = new DataTimer();
    private final Handshake handshake;
    private final Map<String, DataPeer> peers = new ConcurrentHashMap<>();
    private final Subscribers subscribers = new Subscribers();
    private volatile RemoteContext context;
    private volatile ClassLoader loader;
    private volatile DataSettings settings = DataSettings.DEFAULTS;

    /** See {@link DataPlane#direct}. */
    DirectDataPlane(Code code, DataEndpoint endpoint, TlsCredentials tls, Spawner spawner) {
        this.code = code;
        this.endpoint = endpoint;
        this.spawner = spawner;
        this.handshake = new Handshake(code, timer, tls);
    }

    @Override
    public ServiceContext open(Path workDir, ClassLoader loader) {
        settings = DataSettings.from(code.settings());
        this.loader = loader;
        RemoteContext opened = new RemoteContext(code.serviceName(), code.settings(), workDir, this);
        context = opened;
        if (endpoint != null) {
            daemon(new DataAcceptor(endpoint, handshake, this, subscribers, loader), "sc-data-accept", loader);
        }
        return opened;
    }

    RemoteContext context() {
        return context;
    }

    long requestTimeoutNanos() {
        return settings.requestTimeoutNanos();
    }

    long sendWaitNanos() {
        return settings.sendWaitNanos();
    }

    // ---- the service's calls ----------------------------------------------------------------

    /** Publishes {@code event} to the dependents that subscribed to it. */
    void publish(String event, byte[] payload) {
        subscribers.publish(event, payload);
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
        SpawnResult result = spawner.spawn(child, settings.spawnTimeoutNanos());
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
        subscribers.closeAll("the service closed");
    }

    // ---- dependency side ----------------------------------------------------------------------

    void subscribe(String event, DependentConnection connection) {
        subscribers.subscribe(event, connection);
    }

    void unsubscribe(DependentConnection connection) {
        subscribers.remove(connection);
    }

    // ---- dependent side ---------------------------------------------------------------------

    /**
     * Opens a connection to a dependency and says {@code Open} with its capability (calling thread).
     *
     * @throws io.servicescluster.api.PeerUnavailableException if it cannot be reached or refuses
     */
    DependencyConnection connect(DataPeer peer, PeerUp up) {
        return handshake.connect(peer, up, loader, settings.sendWaitNanos());
    }

    /** Starts a platform daemon thread whose context loader is the service's (a data plane thread may run its handlers). */
    static void daemon(Runnable task, String name, ClassLoader loader) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.setContextClassLoader(loader);
        thread.start();
    }
}
