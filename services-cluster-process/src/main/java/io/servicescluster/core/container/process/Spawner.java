package io.servicescluster.core.container.process;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts processes from one platform thread that lives as long as this JVM. Needed for
 * {@code bwrap --die-with-parent}: bubblewrap asks for a signal when its parent ends, and Linux
 * means the parent <em>thread</em> — a process started from a pooled or virtual thread's
 * carrier would be killed as soon as that carrier retires. From this thread, it is killed only
 * when the manager's JVM ends, which is what R11 wants anyway.
 */
final class Spawner {

    private static final ExecutorService THREAD = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("svc-spawner").factory());

    private Spawner() {
    }

    /** {@code builder.start()}, on the spawner thread. */
    static Process start(ProcessBuilder builder) throws IOException {
        Future<Process> started = THREAD.submit(builder::start);
        try {
            return started.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            // the process may start anyway: make sure it does not survive unowned
            started.cancel(false);
            Thread.ofVirtual().start(() -> {
                try {
                    started.get().destroyForcibly();
                } catch (Exception ignored) {
                    // it did not start
                }
            });
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while starting a process");
        }
    }
}
