package io.servicescluster.cli;

import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT, SIGTERM and SIGHUP for {@code svc run}: the first asks for an orderly close, a second
 * SIGINT forces the end. SIGHUP is what a closing terminal sends (and what a shell passes on to
 * its jobs when it exits): it closes the cluster in order, as SIGTERM does. The services never
 * see these signals themselves — each runs in a session of its own — so the order is the
 * manager's to keep. A signal this JVM inherited ignored ({@code nohup}) stays ignored. A
 * detached manager ({@code svc run --detach}) ignores SIGHUP: it outlives the terminal it was
 * started from by design, and SIGTERM or {@code svc stop} is how it ends.
 *
 * <p>JVM shutdown hooks cannot do this — once shutdown begins, the JVM ignores further signals
 * and no exit status can be chosen — so the signals are handled directly through {@code
 * sun.misc.Signal} (module jdk.unsupported, kept by the JDK for exactly this use).
 */
final class Interrupts {

    private Interrupts() {
    }

    static void install(boolean hangupStops, Runnable orderlyStop, Runnable forcedStop) {
        AtomicInteger interrupts = new AtomicInteger();
        Signal.handle(new Signal("TERM"), signal -> orderlyStop.run());
        Signal.handle(new Signal("HUP"), hangupStops ? signal -> orderlyStop.run() : SignalHandler.SIG_IGN);
        Signal.handle(new Signal("INT"), signal -> {
            if (interrupts.incrementAndGet() == 1) {
                System.err.println("\nsvc: closing the cluster in order (Ctrl-C again to kill it at once)");
                orderlyStop.run();
            } else {
                forcedStop.run();
            }
        });
    }
}
