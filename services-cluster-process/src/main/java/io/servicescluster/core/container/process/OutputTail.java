package io.servicescluster.core.container.process;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;

/**
 * The last few lines a JVM wrote outside its control channel (its stderr pipe, which also receives
 * its file descriptor 1): quoted when it dies before saying hello, and searched for the JVM's own
 * out-of-memory message ({@code -XX:+ExitOnOutOfMemoryError}).
 */
final class OutputTail {

    private static final int LINES = 20;
    static final String OUT_OF_MEMORY_MARK = "Terminating due to java.lang.OutOfMemoryError";

    private final Deque<String> lines = new ArrayDeque<>();
    private volatile boolean outOfMemory;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    /** Called when the pipe reached its end. */
    void pipeClosed() {
        drained.complete(null);
    }

    /** Completes when the pipe reached its end. A fresh copy each call, safe to time out. */
    CompletableFuture<Void> drained() {
        return drained.copy();
    }

    synchronized void add(String line) {
        if (line.contains(OUT_OF_MEMORY_MARK)) {
            outOfMemory = true;
        }
        if (lines.size() == LINES) {
            lines.removeFirst();
        }
        lines.addLast(line);
    }

    boolean outOfMemory() {
        return outOfMemory;
    }

    /** {@code ; it wrote: …} with the last lines, or nothing if it wrote nothing. */
    synchronized String summary() {
        return lines.isEmpty() ? "" : "; it wrote:\n  " + String.join("\n  ", lines);
    }
}
