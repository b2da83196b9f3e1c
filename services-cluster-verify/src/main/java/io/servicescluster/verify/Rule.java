package io.servicescluster.verify;

/** What a {@link Violation} breaks: a rule of SPEC §2, or what SPEC §5 says of the log itself. */
public enum Rule {
    /** A line that is no event: not JSON, not an object, a field missing, or cut short. */
    LOG("log"),
    /** {@code seq} runs 1, 2, 3, … without gaps (SPEC §5). */
    SEQ("seq"),
    /** A service's events follow its states: created, starting, running, closing, closed, … destroyed. */
    LIFECYCLE("lifecycle"),
    /** The graph the log shows differs from the cluster file's. */
    GRAPH("graph"),
    R4("R4"), R5("R5"), R6("R6"), R7("R7"), R8("R8"), R9("R9"), R10("R10"), R12("R12"), R13("R13"), R16("R16");

    private final String label;

    Rule(String label) {
        this.label = label;
    }

    /** The name a message starts with: {@code R7}, {@code seq}, … */
    public String label() {
        return label;
    }
}
