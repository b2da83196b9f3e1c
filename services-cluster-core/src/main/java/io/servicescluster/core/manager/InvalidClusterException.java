package io.servicescluster.core.manager;

import java.util.List;

/** A cluster that breaks R1–R3: bad names, duplicates, unknown dependencies or cycles. */
public final class InvalidClusterException extends IllegalArgumentException {

    private final List<String> problems;

    public InvalidClusterException(List<String> problems) {
        super("invalid cluster:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, one sentence each. */
    public List<String> problems() {
        return problems;
    }
}
