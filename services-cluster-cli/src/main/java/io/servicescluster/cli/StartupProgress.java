package io.servicescluster.cli;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ClusterListener;
import io.servicescluster.core.manager.ServiceEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * While services wait for their dependencies, says which wait for which: each change as a
 * plain line ({@code orders waits for: catalog, inventory}) or, on a terminal, as a status line
 * kept under the output. A service stops waiting once it starts, or once a dependency it needs
 * failed or crashed. Runs on the decision loop: quick, no I/O beyond the printer.
 */
final class StartupProgress implements ClusterListener {

    private final List<ServiceSpec> services;
    private final Consumer<String> line;
    private final Consumer<String> footer;
    private final Set<String> running = new HashSet<>();
    private final Set<String> down = new HashSet<>();
    private final Set<String> begun = new HashSet<>();
    private final Map<String, List<String>> shown = new HashMap<>();

    /**
     * @param line prints a plain line (when not on a terminal), or {@code null}
     * @param footer shows the status line, empty to remove it (on a terminal), or {@code null}
     */
    StartupProgress(ClusterSpec cluster, Consumer<String> line, Consumer<String> footer) {
        this.services = cluster.services();
        this.line = line;
        this.footer = footer;
    }

    @Override
    public void onEvent(ServiceEvent event) {
        String name = event.service();
        switch (event.type()) {
            case STARTING -> {
                begun.add(name);
                down.remove(name);
            }
            case RUNNING -> running.add(name);
            case FAILED, CRASHED -> {
                running.remove(name);
                down.add(name);
            }
            case CLOSING, CLOSED -> running.remove(name);
            default -> { }
        }
        Map<String, List<String>> waiting = waiting();
        if (line != null) {
            waiting.forEach((service, on) -> {
                if (!on.equals(shown.get(service))) {
                    line.accept(service + " waits for: " + String.join(", ", on));
                }
            });
        }
        if (footer != null && !waiting.equals(shown)) {
            List<String> parts = new ArrayList<>();
            waiting.forEach((service, on) -> parts.add(service + " (for " + String.join(", ", on) + ")"));
            footer.accept(parts.isEmpty() ? "" : "waiting: " + String.join(", ", parts));
        }
        shown.clear();
        shown.putAll(waiting);
    }

    /** Each service not started yet, with the dependencies it still waits for; none whose dependency is down. */
    private Map<String, List<String>> waiting() {
        Map<String, List<String>> waiting = new LinkedHashMap<>();
        for (ServiceSpec service : services) {
            if (begun.contains(service.name()) || blocked(service.name(), new HashSet<>())) {
                continue;
            }
            List<String> on = service.dependsOn().stream().filter(d -> !running.contains(d)).toList();
            if (!on.isEmpty()) {
                waiting.put(service.name(), on);
            }
        }
        return waiting;
    }

    private boolean blocked(String name, Set<String> seen) {
        if (!seen.add(name)) {
            return false;
        }
        ServiceSpec spec = services.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
        return spec.dependsOn().stream().anyMatch(d -> down.contains(d) || blocked(d, seen));
    }
}
