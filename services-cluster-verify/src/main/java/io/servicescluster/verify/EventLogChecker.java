package io.servicescluster.verify;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks an event log against the lifecycle rules of SPEC §2 (R4–R10, R12, R13, R16) and the
 * log's own form (§5), replaying it once, event by event: linear in the events and the edges
 * they touch, so that a simulation can check thousands of runs. Stateless and thread-safe.
 *
 * <p>The graph is the one the log shows ({@code dependsOn} on each {@code created}, a child's
 * parent), joined with the cluster file's when the caller gives it (service → its
 * {@code dependsOn}): the rules hold for both, and a difference is a {@link Rule#GRAPH}
 * violation.
 */
public final class EventLogChecker {

    private EventLogChecker() {
    }

    /**
     * The outcome of checking one log.
     *
     * @param events how many events it held
     * @param services how many services they concern
     * @param violations every violation, in log order; the log's unreadable lines first
     */
    public record Verdict(int events, int services, List<Violation> violations) {
        public Verdict {
            violations = List.copyOf(violations);
        }

        public boolean ok() {
            return violations.isEmpty();
        }
    }

    /** Checks events already parsed (a log that may stop anywhere: {@link LogEnd#OPEN}). */
    public static List<Violation> check(List<LogEvent> events, Optional<Map<String, List<String>>> graph) {
        return check(events, graph, LogEnd.OPEN);
    }

    /** Checks events already parsed; {@code end} says whether the run had come to rest at the last one. */
    public static List<Violation> check(List<LogEvent> events, Optional<Map<String, List<String>>> graph, LogEnd end) {
        Replay replay = new Replay(graph);
        Findings findings = new Findings();
        List<Check> checks = List.of(new SeqCheck(), new GraphCheck(graph), new LifecycleCheck(), new OrderCheck(),
                new CrashCheck());
        for (LogEvent event : events) {
            for (Check check : checks) {
                check.before(event, replay, findings);
            }
            replay.apply(event);
            findings.observe(event);
        }
        for (Check check : checks) {
            check.atEnd(replay, findings, end);
        }
        return findings.finish();
    }

    /** Checks lines of a log (each without its newline; the last one complete). */
    public static Verdict checkLines(List<String> lines, Optional<Map<String, List<String>>> graph)
            throws UnreadableLogException {
        return verdict(EventLogReader.parse(lines, false), graph);
    }

    /** Checks the log in {@code file}; a last line cut short is a finding, not an error. */
    public static Verdict check(Path file, Optional<Map<String, List<String>>> graph) throws UnreadableLogException {
        return verdict(EventLogReader.read(file), graph);
    }

    private static Verdict verdict(EventLogReader.ParsedLog log, Optional<Map<String, List<String>>> graph) {
        List<Violation> violations = new ArrayList<>(log.findings());
        violations.addAll(check(log.events(), graph));
        Set<String> services = new HashSet<>();
        log.events().forEach(e -> services.add(e.service()));
        return new Verdict(log.events().size(), services.size(), violations);
    }
}
