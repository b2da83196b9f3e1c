package io.servicescluster.core.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servicescluster.core.manager.ServiceStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Talks to a running manager's {@link ControlServer}. One connection, requests one at a time;
 * not thread-safe.
 */
public final class ControlClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SocketChannel channel;
    private final BufferedReader in;
    private final OutputStream out;

    private ControlClient(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        this.out = Channels.newOutputStream(channel);
    }

    /**
     * Connects to the control socket at {@code socket}.
     *
     * @throws IOException if no manager answers there
     */
    public static ControlClient connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new ControlClient(channel);
    }

    /** Every service's status, in dependency order. */
    public List<ServiceStatus> status() throws IOException {
        List<ServiceStatus> statuses = new ArrayList<>();
        for (JsonNode service : call(request("status")).path("services")) {
            statuses.add(StatusJson.fromJson(service));
        }
        return statuses;
    }

    /**
     * Whether the cluster's start-up has settled: every declared service is running, or known not
     * to start (it failed, or a dependency did). What {@code svc run --detach} waits for.
     */
    public boolean startupSettled() throws IOException {
        return call(request("status")).path("settled").asBoolean(false);
    }

    /** Stops one service (its dependents first), or the whole cluster when {@code service} is empty. */
    public void stop(Optional<String> service) throws IOException {
        ObjectNode request = request("stop");
        service.ifPresent(s -> request.put("service", s));
        call(request);
    }

    /** Restarts one service and its dependents, in order. */
    public void restart(String service) throws IOException {
        call(request("restart").put("service", service));
    }

    /** The manager's tree dump, for people. */
    public String dump() throws IOException {
        return call(request("dump")).path("dump").asText();
    }

    /**
     * Sends one request and reads its response.
     *
     * @throws ControlException if the manager answered with an error
     * @throws IOException if the connection failed (the manager ended, for example)
     */
    public JsonNode call(ObjectNode request) throws IOException {
        IOException writeFailed = null;
        try {
            out.write((request.toString() + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            // a manager that refuses this caller answers at once and closes: the request may meet a
            // closed socket (broken pipe) while the answer, with its reason, is there to read
            writeFailed = e;
        }
        String line;
        try {
            line = in.readLine();
        } catch (IOException e) {
            if (writeFailed != null) {
                writeFailed.addSuppressed(e);
                throw writeFailed;
            }
            throw e;
        }
        if (line == null) {
            throw writeFailed != null ? writeFailed : new IOException("the manager closed the connection");
        }
        JsonNode response = JSON.readTree(line);
        if (!response.path("ok").asBoolean(false)) {
            List<String> services = new ArrayList<>();
            response.path("services").forEach(n -> services.add(n.asText()));
            throw new ControlException(response.path("error").asText("the manager refused the request"), services);
        }
        return response;
    }

    private static ObjectNode request(String command) {
        return JSON.createObjectNode().put("command", command);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
