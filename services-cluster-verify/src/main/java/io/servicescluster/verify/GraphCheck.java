package io.servicescluster.verify;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The graph the log shows (each declared service's {@code created} names its {@code dependsOn})
 * against the cluster file's, when the caller has one. A child ({@code parent} on its
 * {@code created}) is not in the file; it depends on its parent.
 */
final class GraphCheck implements Check {

    private final Optional<Map<String, List<String>>> file;

    GraphCheck(Optional<Map<String, List<String>>> file) {
        this.file = file;
    }

    @Override
    public void before(LogEvent event, Replay replay, Findings findings) {
        if (!event.event().equals("created")) {
            return;
        }
        String at = event.where() + " " + event.service() + " created";
        if (event.parent().isPresent()) {
            String parent = event.parent().get();
            if (event.dependsOn().isPresent() && !event.dependsOn().get().contains(parent)) {
                findings.add(Rule.GRAPH, at + " as a child of " + parent + " but not depending on it: dependsOn "
                        + event.dependsOn().get(), event.seq());
            }
            return;
        }
        if (file.isEmpty()) {
            return;
        }
        List<String> declared = file.get().get(event.service());
        if (declared == null) {
            findings.add(Rule.GRAPH, at + " but the cluster file has no service " + event.service(), event.seq());
        } else if (event.dependsOn().isPresent()
                && !new TreeSet<>(declared).equals(new TreeSet<>(event.dependsOn().get()))) {
            findings.add(Rule.GRAPH, at + " depending on " + new TreeSet<>(event.dependsOn().get())
                    + " but the cluster file says " + new TreeSet<>(declared), event.seq());
        }
    }
}
