package io.servicescluster.verify;

import java.util.List;
import java.util.Objects;

/**
 * One broken rule. Immutable.
 *
 * @param rule the rule
 * @param seqs the events it concerns, the offending one first (empty for a line without a seq)
 * @param message what happened, naming services and seq numbers, without the rule
 */
public record Violation(Rule rule, List<Long> seqs, String message) {

    public Violation {
        Objects.requireNonNull(rule, "rule");
        seqs = List.copyOf(seqs);
        Objects.requireNonNull(message, "message");
    }

    /** The line {@code svc verify} prints: {@code R7: seq 41 db closing while …}. */
    @Override
    public String toString() {
        return rule.label() + ": " + message;
    }
}
