package io.servicescluster.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C as the way to quit a command that watches ({@code svc top}, {@code svc logs -f}): SIGINT
 * interrupts the watching thread, which ends its loop and exits 0, as a quit key would, instead
 * of the JVM dying with 130. The previous handler comes back at {@link #close}.
 */
final class QuitOnInterrupt implements AutoCloseable {

    private static final Signal INT = new Signal("INT");

    private final SignalHandler previous;

    private QuitOnInterrupt(SignalHandler previous) {
        this.previous = previous;
    }

    /** From now until {@link #close}, SIGINT interrupts the calling thread. */
    static QuitOnInterrupt install() {
        Thread watcher = Thread.currentThread();
        try {
            return new QuitOnInterrupt(Signal.handle(INT, signal -> watcher.interrupt()));
        } catch (IllegalArgumentException e) {
            return new QuitOnInterrupt(null); // SIGINT ignored since launch (a background job): nothing to handle
        }
    }

    @Override
    public void close() {
        if (previous != null) {
            Signal.handle(INT, previous);
        }
        Thread.interrupted(); // a Ctrl-C that came late must not reach the caller's next wait
    }
}
