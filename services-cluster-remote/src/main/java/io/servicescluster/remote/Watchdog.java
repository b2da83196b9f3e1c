package io.servicescluster.remote;

import java.util.concurrent.TimeUnit;

/**
 * Declares the connection lost when no frame at all has come from the controller for the
 * timeout (the controller sends a heartbeat every second). It catches a controller that is
 * stuck or a connection that silently died; a closed socket is noticed at once by the reader.
 *
 * <p>Threading: {@link #frameArrived} is called by the reader thread; {@link #run} runs on its
 * own platform daemon thread, which sleeps until the earliest moment the timeout could expire.
 */
final class Watchdog implements Runnable {

    private final RemoteRuntime runtime;
    private final long timeoutMillis;
    private volatile long lastFrameNanos = System.nanoTime();

    Watchdog(RemoteRuntime runtime, long timeoutMillis) {
        this.runtime = runtime;
        this.timeoutMillis = timeoutMillis;
    }

    /** Notes that a frame arrived now. */
    void frameArrived() {
        lastFrameNanos = System.nanoTime();
    }

    @Override
    public void run() {
        long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        try {
            for (;;) {
                long left = timeoutNanos - (System.nanoTime() - lastFrameNanos);
                if (left <= 0) {
                    runtime.connectionLost("no message from the controller for " + timeoutMillis
                            + " ms (watchdog, SVC_WATCHDOG_MS)");
                    return;
                }
                TimeUnit.NANOSECONDS.sleep(left + 1_000_000);
            }
        } catch (InterruptedException e) {
            // the process is ending
        }
    }
}
