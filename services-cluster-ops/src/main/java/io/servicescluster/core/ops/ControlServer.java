package io.servicescluster.core.ops;

import io.servicescluster.core.manager.ServicesManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.LoggerFactory;

/**
 * The manager's control endpoint: a Unix domain socket (mode 0600, in the manager's 0700 run
 * folder) that answers JSON-lines requests — {@code status}, {@code stop}, {@code restart},
 * {@code dump} — one response line per request line. The protocol is in {@code docs/operations.md}.
 *
 * <p>Threading: one virtual thread accepts, one per connection answers; the manager methods it
 * calls are thread-safe and return at once.
 */
public final class ControlServer implements AutoCloseable {

    /** The socket's file name in the run folder. */
    public static final String SOCKET_NAME = "control.sock";

    private final ServicesManager manager;
    private final ServerSocketChannel server;
    private final Path socket;
    /** The one user served: the manager's own (the socket's owner). */
    private final String servedUser;
    /** Serves the dashboard for the command {@code ui}; null: there is none to serve. */
    private volatile DashboardOnDemand dashboard;

    private ControlServer(ServicesManager manager, ServerSocketChannel server, Path socket, String servedUser) {
        this.manager = manager;
        this.server = server;
        this.socket = socket;
        this.servedUser = servedUser;
    }

    /** Lets the command {@code ui} serve the dashboard through {@code onDemand}. */
    void dashboard(DashboardOnDemand onDemand) {
        this.dashboard = onDemand;
    }

    /**
     * Binds {@code socket} (mode 0600) and begins answering requests about {@code manager}, from
     * the manager's own user only.
     */
    public static ControlServer start(ServicesManager manager, Path socket) throws IOException {
        return start(manager, socket, null);
    }

    /** For tests: serves {@code servedUser} instead of the socket's owner (null: the owner). */
    static ControlServer start(ServicesManager manager, Path socket, String servedUser) throws IOException {
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        String user = servedUser != null ? servedUser : Files.getOwner(socket).getName();
        ControlServer control = new ControlServer(manager, server, socket, user);
        Thread.ofVirtual().name("svc-control-server").start(control::acceptLoop);
        return control;
    }

    /** The socket's path. */
    public Path socket() {
        return socket;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                Thread.ofVirtual().name("svc-control-client").start(() -> serve(client));
            } catch (IOException e) {
                if (server.isOpen()) {
                    LoggerFactory.getLogger(ControlServer.class).warn("control socket: {}", e.toString());
                }
                return;
            }
        }
    }

    /**
     * Whether the process at the other end runs as the manager's user ({@code SO_PEERCRED}): the
     * file mode keeps others out, but a root process ignores it, and a service running as root
     * (unconfined, issue 18) must not stop or restart the cluster. Refused with one line, logged.
     */
    private boolean callerAllowed(SocketChannel client) throws IOException {
        UnixDomainPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
        if (peer.user().getName().equals(servedUser)) {
            return true;
        }
        LoggerFactory.getLogger(ControlServer.class).warn("control socket: refused a caller running as '{}'",
                peer.user().getName());
        Channels.newOutputStream(client).write((ControlCommands.error("refused: this control socket serves only the user '"
                + servedUser + "' that runs the manager, not '" + peer.user().getName() + "'") + "\n")
                .getBytes(StandardCharsets.UTF_8));
        return false;
    }

    private void serve(SocketChannel client) {
        try {
            if (!callerAllowed(client)) {
                client.close();
                return;
            }
        } catch (IOException e) {
            closeQuietly(client);
            return;
        }
        try (client; BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client),
                StandardCharsets.UTF_8)); OutputStream out = Channels.newOutputStream(client)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                out.write((answer(line) + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException ignored) {
            // the client went away
        }
    }

    private static void closeQuietly(SocketChannel client) {
        try {
            client.close();
        } catch (IOException ignored) {
            // gone already
        }
    }

    /**
     * The response line to one request line: the command {@code ui} here (only the control
     * socket's caller, the manager's own user, may have a dashboard served), the rest through
     * {@link ControlCommands}, as the dashboard's own actions.
     */
    String answer(String line) {
        if (line.contains("\"ui\"") && line.length() < 1024) {
            try {
                com.fasterxml.jackson.databind.JsonNode request = JSON.readTree(line);
                if (request != null && "ui".equals(request.path("command").asText())) {
                    return ui(request.path("port").asInt(0)).toString();
                }
            } catch (IOException e) {
                // not JSON: ControlCommands says so
            }
        }
        return ControlCommands.answer(manager, line);
    }

    private com.fasterxml.jackson.databind.node.ObjectNode ui(int port) {
        DashboardOnDemand onDemand = dashboard;
        if (onDemand == null) {
            return ControlCommands.error("this manager has no dashboard to serve (its module is not on its class path)");
        }
        if (port < 0 || port > 65_535) {
            return ControlCommands.error("not a port: " + port + " (0 to 65535; 0 takes a free one)");
        }
        try {
            return JSON.createObjectNode().put("ok", true).put("url", onDemand.serve(port).toString());
        } catch (IOException | RuntimeException e) {
            return ControlCommands.error("cannot serve the dashboard on port " + port + ": " + e.getMessage());
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** Stops answering and removes the socket. Idempotent. */
    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
    }
}
