package io.servicescluster.core.container.support;

import io.servicescluster.protocol.ConnectionPort;
import io.servicescluster.protocol.ConnectionPorts;
import io.servicescluster.protocol.ControlChannel;
import io.servicescluster.protocol.ControlMessage;
import io.servicescluster.protocol.ControlMessage.Hello;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
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
 */
public final class ControlSocket implements AutoCloseable {

    /** How long a fresh connection may take to say hello before it is dropped. */
    private static final long HELLO_TIMEOUT_SECONDS = 10;

    private static final Logger log = LoggerFactory.getLogger(ControlSocket.class);

    private final Path path;
    private final String label;
    private final ServerSocketChannel server;
    private final Map<String, CompletableFuture<Handshake>> pending = new ConcurrentHashMap<>();

    /** A remote that said hello with an expected token. */
    public record Handshake(ControlChannel channel, Hello hello) {
    }

    private ControlSocket(Path path, String label, ServerSocketChannel server) {
        this.path = path;
        this.label = label;
        this.server = server;
    }

    /** Binds {@code path} (removing a stale socket file) and starts accepting. */
    public static ControlSocket bind(Path path, String label) throws IOException {
        Files.deleteIfExists(path);
        ControlSocket socket = new ControlSocket(path, label, ConnectionPorts.listenUnix(path));
        Thread.ofPlatform().daemon().name("svc-accept-" + label).start(socket::acceptLoop);
        return socket;
    }

    /** The socket file. */
    public Path path() {
        return path;
    }

    /** The endpoint a remote is given, {@code unix:/path}. */
    public String endpoint() {
        return "unix:" + path;
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
        ConnectionPort port = ConnectionPorts.wrap(socket, ConnectionPorts.DEFAULT_MAX_FRAME_SIZE, label + " remote");
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
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.debug("{}: could not remove {}: {}", label, path, e.toString());
        }
        pending.values().forEach(f -> f.completeExceptionally(new IOException("the container was destroyed")));
    }
}
