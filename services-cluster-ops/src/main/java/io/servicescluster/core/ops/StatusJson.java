package io.servicescluster.core.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servicescluster.core.manager.ExceptionReport;
import io.servicescluster.core.manager.ResourceStats;
import io.servicescluster.core.manager.ServiceState;
import io.servicescluster.core.manager.ServiceStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/** {@link ServiceStatus} as JSON on the control socket, and back (see {@code docs/operations.md}). */
public final class StatusJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private StatusJson() {
    }

    /** The JSON object of one status. */
    public static ObjectNode toJson(ServiceStatus status) {
        ObjectNode node = JSON.objectNode();
        node.put("name", status.name());
        node.put("container", status.container());
        node.put("state", status.state().name().toLowerCase(Locale.ROOT));
        status.problem().ifPresent(p -> node.put("problem", p));
        status.pid().ifPresent(pid -> node.put("pid", pid));
        status.runningSince().ifPresent(t -> node.put("runningSince", t.toString()));
        node.put("starts", status.starts());
        node.put("restarts", Math.max(0, status.starts() - 1));
        status.stats().ifPresent(s -> {
            ObjectNode stats = node.putObject("stats");
            stats.put("at", s.at().toString());
            stats.put("cpuTimeNanos", s.cpuTimeNanos());
            stats.put("cpuPercent", s.cpuPercent());
            stats.put("heapUsedBytes", s.heapUsedBytes());
            stats.put("heapMaxBytes", s.heapMaxBytes());
            stats.put("rssBytes", s.rssBytes());
        });
        node.put("totalCpuTimeNanos", status.totalCpuTimeNanos());
        var exceptions = node.putArray("exceptions");
        for (ExceptionReport e : status.exceptions()) {
            exceptions.add(toJson(e));
        }
        var restrictions = node.putArray("restrictions");
        status.restrictions().forEach(restrictions::add);
        status.health().ifPresent(h -> node.put("health", h));
        if (status.readyRssBytes() > 0) {
            node.put("readyRssBytes", status.readyRssBytes());
        }
        return node;
    }

    /** The JSON object of one uncaught exception, as in the {@code NAME.exceptions.jsonl} log too. */
    public static ObjectNode toJson(ExceptionReport e) {
        ObjectNode node = JSON.objectNode();
        node.put("time", e.at().toString());
        node.put("thread", e.thread());
        node.put("exception", e.className());
        node.put("message", e.message());
        node.put("stackTrace", e.stackTrace());
        return node;
    }

    /** A status from its JSON object. */
    public static ServiceStatus fromJson(JsonNode node) {
        Optional<ResourceStats> stats = Optional.empty();
        JsonNode s = node.get("stats");
        if (s != null && s.isObject()) {
            stats = Optional.of(new ResourceStats(Instant.parse(s.get("at").asText()), s.get("cpuTimeNanos").asLong(),
                    s.get("cpuPercent").asDouble(), s.get("heapUsedBytes").asLong(), s.get("heapMaxBytes").asLong(),
                    s.get("rssBytes").asLong()));
        }
        List<ExceptionReport> exceptions = new ArrayList<>();
        for (JsonNode e : node.path("exceptions")) {
            exceptions.add(new ExceptionReport(Instant.parse(e.get("time").asText()), e.path("thread").asText(),
                    e.path("exception").asText(), e.path("message").asText(), e.path("stackTrace").asText()));
        }
        List<String> restrictions = new ArrayList<>();
        node.path("restrictions").forEach(r -> restrictions.add(r.asText()));
        return new ServiceStatus(node.get("name").asText(), node.path("container").asText(),
                ServiceState.valueOf(node.get("state").asText().toUpperCase(Locale.ROOT)),
                text(node, "problem"), node.hasNonNull("pid") ? OptionalLong.of(node.get("pid").asLong()) : OptionalLong.empty(),
                text(node, "runningSince").map(Instant::parse), node.path("starts").asInt(), stats, exceptions,
                restrictions, node.path("totalCpuTimeNanos").asLong(stats.map(ResourceStats::cpuTimeNanos).orElse(0L)),
                text(node, "health"), node.path("readyRssBytes").asLong(0));
    }

    private static Optional<String> text(JsonNode node, String field) {
        return node.hasNonNull(field) ? Optional.of(node.get(field).asText()) : Optional.empty();
    }
}
