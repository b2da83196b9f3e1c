package io.servicescluster.verify;

/** What the last event of a checked log means. */
public enum LogEnd {
    /**
     * The log may stop anywhere: a manager still running, or killed. Work begun and not finished
     * by the end (a dependent that still has to close after a crash) is no violation.
     */
    OPEN,
    /**
     * The cluster had come to rest at the last event (a test or simulation knows it): every
     * dependent of a crashed service has closed by then (R9).
     */
    SETTLED
}
