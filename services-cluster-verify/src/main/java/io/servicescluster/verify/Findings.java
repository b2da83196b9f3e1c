package io.servicescluster.verify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The violations of one run, in the order found. Some wait for a later event to say how long the
 * breach lasted ({@code (api starting at seq 30, closed at seq 44)}): those are completed when that
 * service's awaited event comes, or at the end of the log.
 */
final class Findings {

    /** A violation being written: {@code awaited} empty once complete. */
    private static final class Entry {
        final Rule rule;
        final List<Long> seqs;
        final StringBuilder message;
        String awaited;

        Entry(Rule rule, List<Long> seqs, String message, String awaited) {
            this.rule = rule;
            this.seqs = new ArrayList<>(seqs);
            this.message = new StringBuilder(message);
            this.awaited = awaited;
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, List<Entry>> open = new HashMap<>();

    void add(Rule rule, String message, Long... seqs) {
        entries.add(new Entry(rule, List.of(seqs), message, ""));
    }

    /**
     * A violation whose {@code message} ends in an open parenthesis, closed with
     * {@code , AWAITED at seq N)} when {@code service} next logs {@code awaited}.
     */
    void addUntil(Rule rule, String message, List<Long> seqs, String service, String awaited) {
        Entry entry = new Entry(rule, seqs, message, awaited);
        entries.add(entry);
        open.computeIfAbsent(service, k -> new ArrayList<>()).add(entry);
    }

    /** Completes the open violations that waited for this event. */
    void observe(LogEvent event) {
        List<Entry> waiting = open.get(event.service());
        if (waiting == null) {
            return;
        }
        waiting.removeIf(entry -> {
            if (!entry.awaited.equals(event.event())) {
                return false;
            }
            entry.message.append(", ").append(event.event()).append(" at seq ").append(event.seq()).append(')');
            entry.seqs.add(event.seq());
            entry.awaited = "";
            return true;
        });
    }

    List<Violation> finish() {
        List<Violation> violations = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            if (!entry.awaited.isEmpty()) {
                entry.message.append(", not ").append(entry.awaited).append(" by the end of the log)");
            }
            violations.add(new Violation(entry.rule, entry.seqs, entry.message.toString()));
        }
        return violations;
    }
}
