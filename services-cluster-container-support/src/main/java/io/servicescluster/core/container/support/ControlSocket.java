package io.servicescluster.core.container.support;

import io.servicescluster.protocol.ConnectionPort;
import io.servicescluster.protocol.ConnectionPorts;
import io.servicescluster.protocol.ControlChannel;
import io.servicescluster.protocol.ControlMessage;
import io.servicescluster.protocol.ControlMessage.Hello;
import io.servicescluster.protocol.TlsCredentials;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening end of a container's control channel: a Unix domain socket that remotes connect
 * to. Every connection must open with a {@link Hello} that carries the protocol version and the
 * secret token of a launch this socket {@link #expect expects}; anything else is logged and
 * closed, and never disturbs the manager. Tokens are 128-bit random values known only to the
 * manager and the process it launched, and the socket lies in the manager's private run folder.
 *
 * <p>Used by container kinds whose remote cannot inherit pipes from the manager: the Docker
 * container mounts it into its containers. (The process container uses pipes instead, and
 * checks the hello that comes through them with {@link #versionProblem}.)
 *
 * <p>Or a TCP port with mutual TLS ({@link #bindTls}, R17): for remotes elsewhere, or any kind
 * under {@code transport: tls}. A connection must first pass the TLS handshake with a certificate
 * of the cluster's CA (a plain-TCP client or a foreign certificate is refused and logged with its
 * address and reason); its hello's token is then the serial of the certificate it presented, which
 * is the one the manager issued to that start ({@link ClusterCa#issue}), so a start cannot speak
 * with another start's certificate.
 */
public final class ControlSocket implements AutoCloseable {

    /** How long a fresh connection may take to say hello before it is dropped. */
    private static final long HELLO_TIMEOUT_SECONDS = 10;

    private static final Logger log = LoggerFactory.getLogger(ControlSocket.class);

    private final Path path;                 // null for TLS
    private final String label;
    private final ServerSocketChannel server;
    private final TlsCredentials tls;        // null for a Unix socket
    private final String endpoint;
    private final Map<String, CompletableFuture<Handshake>> pending = new ConcurrentHashMap<>();

    /** A remote that said hello with an expected token. */
    public record Handshake(ControlChannel channel, Hello hello) {
    }

    private ControlSocket(Path path, String label, ServerSocketChannel server, TlsCredentials tls, String endpoint) {
        this.path = path;
        this.label = label;
        this.server = server;
        this.tls = tls;
        this.endpoint = endpoint;
    }

    /** Binds {@code path} (removing a stale socket file) and starts accepting. */
    public static ControlSocket bind(Path path, String label) throws IOException {
        Files.deleteIfExists(path);
        return start(new ControlSocket(path, label, ConnectionPorts.listenUnix(path), null, "unix:" + path));
    }

    /**
     * Listens on {@code address} (port 0: the system chooses) for remotes that connect with mutual
     * TLS, presenting the manager's {@code credentials}; starts accepting.
     */
    public static ControlSocket bindTls(InetSocketAddress address, TlsCredentials credentials, String label)
            throws IOException {
        ServerSocketChannel server = ConnectionPorts.listen(address, 0);
        int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
        String endpoint = ConnectionPorts.tlsEndpoint(InetSocketAddress.createUnresolved(address.getHostString(), port));
        return start(new ControlSocket(null, label, server, credentials, endpoint));
    }

    private static ControlSocket start(ControlSocket socket) {
        Thread.ofPlatform().daemon().name("svc-accept-" + socket.label).start(socket::acceptLoop);
        return socket;
    }

    /** The socket file; null for TLS. */
    public Path path() {
        return path;
    }

    /** The endpoint a remote is given, {@code unix:/path} or {@code tls:host:port}. */
    public String endpoint() {
        return endpoint;
    }

    /** Waits for the remote that will say hello with {@code token}. */
    public CompletableFuture<Handshake> expect(String token) {
        CompletableFuture<Handshake> handshake = new CompletableFuture<>();
        pending.put(token, handshake);
        handshake.whenComplete((h, e) -> pending.remove(token, handshake));
        return handshake;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel channel = server.accept();
                Thread.ofVirtual().name("svc-hello-" + label).start(() -> handshake(channel));
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException e) {
                log.warn("{}: accepting a control connection failed: {}", label, e.toString());
            }
        }
    }

    private void handshake(SocketChannel socket) {
        String from = ConnectionPorts.remoteAddress(socket);
        ByteChannel link;
        try {
            link = tls == null ? socket : ConnectionPorts.secure(socket, tls);
        } catch (IOException e) {
            log.warn("{}: control connection from {} refused: {}", label, from, e.toString());
            return;
        }
        ConnectionPort port = ConnectionPorts.wrap(link, ConnectionPorts.DEFAULT_MAX_FRAME_SIZE, label + " remote");
        ControlChannel channel = new ControlChannel(port);
        AtomicBoolean identified = new AtomicBoolean();
        CompletableFuture<Void> deadline = CompletableFuture.runAsync(() -> { },
                CompletableFuture.delayedExecutor(HELLO_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        deadline.thenRun(() -> {
            if (!identified.get()) {
                log.warn("{}: control connection said no hello within {} s; closed", label, HELLO_TIMEOUT_SECONDS);
                channel.close();
            }
        });
        try {
            Optional<X509Certificate> peer;
            try {
                peer = ConnectionPorts.handshake(link);
            } catch (IOException e) {
                refuse(channel, "the TLS handshake with " + from + " failed (" + e.getMessage()
                        + "): only a remote with a certificate of this cluster's CA may connect");
                return;
            }
            ControlMessage first = channel.receive();
            if (!(first instanceof Hello hello)) {
                refuse(channel, "the first message was " + first.getClass().getSimpleName() + ", not Hello");
                return;
            }
            CompletableFuture<Handshake> waiting = pending.get(hello.token());
            if (waiting == null) {
                refuse(channel, "hello with an unknown token from pid " + hello.pid());
                return;
            }
            if (peer.isPresent() && !hello.token().equals(TlsCredentials.serial(peer.get()))) {
                refuse(channel, "the hello from " + from + " names another start than the certificate it presented ("
                        + peer.get().getSubjectX500Principal().getName() + ")");
                return;
            }
            peer.ifPresent(p -> log.debug("{}: control connection from {} ({})", label, from,
                    p.getSubjectX500Principal().getName()));
            Optional<String> versionProblem = versionProblem(hello);
            if (versionProblem.isPresent()) {
                String reason = versionProblem.get();
                refuse(channel, reason);
                waiting.completeExceptionally(new CompletionException(new IOException(reason)));
                return;
            }
            identified.set(true);
            if (!waiting.complete(new Handshake(channel, hello))) {
                channel.close();
            }
        } catch (IOException e) {
            refuse(channel, e.getMessage());
        } finally {
            deadline.cancel(false);
        }
    }

    /** Why a remote that said {@code hello} cannot be spoken to, if its protocol version is not this one. */
    public static Optional<String> versionProblem(Hello hello) {
        return hello.protocolVersion() == ControlMessage.PROTOCOL_VERSION ? Optional.empty()
                : Optional.of("remote speaks control protocol version " + hello.protocolVersion()
                        + ", this manager speaks " + ControlMessage.PROTOCOL_VERSION);
    }

    private void refuse(ControlChannel channel, String reason) {
        log.warn("{}: control connection refused: {}", label, reason);
        channel.close();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // the socket file is removed below either way
        }
        try {
            if (path != null) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            log.debug("{}: could not remove {}: {}", label, path, e.toString());
        }
        pending.values().forEach(f -> f.completeExceptionally(new IOException("the container was destroyed")));
    }
}
