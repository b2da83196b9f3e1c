package io.servicescluster.verify;

/**
 * One group of rules over the log. {@link #before} sees each event with the cluster as it was
 * just before it; a check may keep state of its own (one instance per run). A new rule (R16's
 * {@code unhealthy}, say) is a new check in the list of {@link EventLogChecker#check}, or a case in one.
 */
interface Check {

    void before(LogEvent event, Replay replay, Findings findings);

    /** After the last event; {@code end} says whether the run had come to rest there. */
    default void atEnd(Replay replay, Findings findings, LogEnd end) {
    }
}
