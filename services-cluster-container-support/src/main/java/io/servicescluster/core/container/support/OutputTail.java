package io.servicescluster.core.container.support;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;

/**
 * The last few lines a remote's JVM wrote outside its control channel (a process's stderr pipe, a
 * Docker container's log stream): quoted when it dies before saying hello or fails, and searched
 * for the JVM's own out-of-memory message ({@link RemoteRuntime#OUT_OF_MEMORY_MARK}). One per
 * launch; the kind feeds it lines as they come and ends it when the output reached its end.
 * Thread-safe: the lines come from a reader thread, the questions from the manager's.
 */
public final class OutputTail {

    /** How many lines are kept: enough for a JVM's own error and the start of a stack trace. */
    static final int LINES = 20;

    private final Deque<String> lines = new ArrayDeque<>();
    private volatile boolean outOfMemory;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    /** Keeps {@code line} (dropping the oldest beyond {@value #LINES}) and notes an out-of-memory exit. */
    public synchronized void add(String line) {
        if (line.contains(RemoteRuntime.OUT_OF_MEMORY_MARK)) {
            outOfMemory = true;
        }
        if (lines.size() == LINES) {
            lines.removeFirst();
        }
        lines.addLast(line);
    }

    /** Called when the output reached its end (the pipe closed, the engine ended the stream). */
    public void end() {
        ended.complete(null);
    }

    /** Completes when the output reached its end. A fresh copy each call, safe to time out. */
    public CompletableFuture<Void> ended() {
        return ended.copy();
    }

    /** Whether the JVM said it ends for want of heap ({@code -XX:+ExitOnOutOfMemoryError}). */
    public boolean outOfMemory() {
        return outOfMemory;
    }

    /** {@code ; it wrote: …} with the last lines, or nothing if it wrote nothing. */
    public synchronized String summary() {
        return lines.isEmpty() ? "" : "; it wrote:\n  " + String.join("\n  ", lines);
    }
}
