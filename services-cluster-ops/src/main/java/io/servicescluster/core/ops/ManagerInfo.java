package io.servicescluster.core.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a running manager tells the {@code svc} commands about itself: the registry file
 * {@code manager.json} in its run folder (see {@code docs/operations.md}).
 *
 * @param cluster the cluster's name
 * @param clusterFile the absolute path of the cluster file, if the cluster came from one
 * @param pid the manager's process id
 * @param processStart when the manager's process started, to tell a reused pid apart
 * @param socket the control socket
 * @param logDirectory the folder of the service log files, if they are written
 * @param metricsPort the port of the Prometheus endpoint on 127.0.0.1, if it is served
 */
public record ManagerInfo(String cluster, Optional<Path> clusterFile, long pid, Optional<Instant> processStart,
        Path socket, Optional<Path> logDirectory, OptionalInt metricsPort) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The file name of the registry file in a run folder. */
    public static final String FILE_NAME = "manager.json";

    /** Whether the process that wrote this is still alive (and is the same process, not a reused pid). */
    public boolean alive() {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> processStart.isEmpty() || p.info().startInstant().equals(processStart))
                .isPresent();
    }

    /** The JSON form written to {@link #FILE_NAME}. */
    public String toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("cluster", cluster);
        clusterFile.ifPresent(f -> node.put("clusterFile", f.toString()));
        node.put("pid", pid);
        processStart.ifPresent(s -> node.put("processStart", s.toString()));
        node.put("socket", socket.toString());
        logDirectory.ifPresent(d -> node.put("logDirectory", d.toString()));
        metricsPort.ifPresent(p -> node.put("metricsPort", p));
        return node.toString();
    }

    /**
     * Reads the JSON form.
     *
     * @throws IOException if it is not a registry file
     */
    public static ManagerInfo fromJson(String text) throws IOException {
        JsonNode node = JSON.readTree(text);
        if (node == null || !node.hasNonNull("cluster") || !node.hasNonNull("pid") || !node.hasNonNull("socket")) {
            throw new IOException("not a manager registry file");
        }
        return new ManagerInfo(node.get("cluster").asText(), text(node, "clusterFile").map(Path::of),
                node.get("pid").asLong(), text(node, "processStart").map(Instant::parse),
                Path.of(node.get("socket").asText()), text(node, "logDirectory").map(Path::of),
                node.hasNonNull("metricsPort") ? OptionalInt.of(node.get("metricsPort").asInt()) : OptionalInt.empty());
    }

    private static Optional<String> text(JsonNode node, String field) {
        return node.hasNonNull(field) ? Optional.of(node.get(field).asText()) : Optional.empty();
    }
}
