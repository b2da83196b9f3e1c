package io.servicescluster.core.control;

/**
 * How many uncaught exception reports of one start are passed on: at most {@value #PER_SECOND} in
 * each second; the rest are counted and said in one line once reports are taken again (or at
 * the end), so that a service throwing in a loop costs the manager a counter, not its memory or
 * its console. Thread-safe: reports come on the controller's reader, the end may come on another thread.
 */
final class ExceptionBudget {

    /** Reports kept per second and start. */
    static final int PER_SECOND = 10;
    private static final long SECOND = 1_000_000_000L;

    private long windowStart;
    private boolean begun;
    private int taken;
    private long dropped;

    /** Whether a report arriving at {@code nowNanos} ({@link System#nanoTime()}) is kept; counts it if not. */
    synchronized boolean take(long nowNanos) {
        if (!begun || nowNanos - windowStart >= SECOND) {
            begun = true;
            windowStart = nowNanos;
            taken = 0;
        }
        if (taken < PER_SECOND) {
            taken++;
            return true;
        }
        dropped++;
        return false;
    }

    /** How many reports were dropped since this was last asked (then zero again). */
    synchronized long takeDropped() {
        long count = dropped;
        dropped = 0;
        return count;
    }

    /** The line that says {@code count} reports were dropped. */
    static String droppedLine(long count) {
        return "services-cluster: " + count + " uncaught exception report" + (count == 1 ? " was" : "s were")
                + " dropped (more than " + PER_SECOND + " a second)";
    }
}
