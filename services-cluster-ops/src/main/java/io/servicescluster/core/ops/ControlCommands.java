package io.servicescluster.core.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.servicescluster.core.manager.ServiceStatus;
import io.servicescluster.core.manager.ServicesManager;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The control commands — {@code status}, {@code stop}, {@code restart}, {@code dump} — as JSON
 * request and response lines (the protocol is in {@code docs/operations.md}). The control socket
 * ({@link ControlServer}) and the dashboard both answer through here.
 */
public final class ControlCommands {

    private static final int MAX_LINE = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ControlCommands() {
    }

    /**
     * The response line to one request line about {@code manager}: what the control socket answers,
     * and what any other front end (the dashboard) answers, so that there is one set of rules and
     * messages. Thread-safe; the manager methods it calls return at once.
     */
    public static String answer(ServicesManager manager, String line) {
        if (line.length() > MAX_LINE) {
            return error("request longer than " + MAX_LINE + " characters").toString();
        }
        JsonNode request;
        try {
            request = JSON.readTree(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return error("not JSON: " + e.getOriginalMessage()).toString();
        }
        if (request == null || !request.isObject() || !request.path("command").isTextual()) {
            return error("a request is a JSON object with a string \"command\"").toString();
        }
        String service = request.path("service").isTextual() ? request.get("service").asText() : null;
        try {
            return switch (request.get("command").asText()) {
                case "status" -> status(manager, service).toString();
                case "dump" -> ok().put("dump", manager.dump()).toString();
                case "stop" -> {
                    if (service == null) {
                        manager.stop();
                    } else {
                        manager.stop(service);
                    }
                    yield ok().toString();
                }
                case "restart" -> {
                    if (service == null) {
                        yield error("restart needs a \"service\"").toString();
                    }
                    manager.restart(service);
                    yield ok().toString();
                }
                default -> error("unknown command '" + request.get("command").asText()
                        + "' (known: status, stop, restart, dump)").toString();
            };
        } catch (NoSuchElementException e) {
            ObjectNode error = error(e.getMessage());
            var names = error.putArray("services");
            manager.status().forEach(s -> names.add(s.name()));
            return error.toString();
        }
    }

    private static ObjectNode status(ServicesManager manager, String service) {
        // settled: every declared service is running or known not to start (svc run --detach waits for it)
        ObjectNode response = ok().put("cluster", manager.spec().name())
                .put("settled", manager.whenStartupSettled().isDone());
        var services = response.putArray("services");
        List<ServiceStatus> statuses = service == null ? manager.status() : List.of(manager.status(service));
        statuses.forEach(s -> services.add(StatusJson.toJson(s)));
        return response;
    }

    private static ObjectNode ok() {
        return JSON.createObjectNode().put("ok", true);
    }

    static ObjectNode error(String message) {
        return JSON.createObjectNode().put("ok", false).put("error", message);
    }

}
