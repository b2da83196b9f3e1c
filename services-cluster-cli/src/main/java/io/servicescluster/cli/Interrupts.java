package io.servicescluster.cli;

import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * SIGINT and SIGTERM for {@code svc run}: the first asks for an orderly close, a second SIGINT
 * forces the end. JVM shutdown hooks cannot do this — once shutdown begins, the JVM ignores
 * further signals and no exit status can be chosen — so the signals are handled directly through
 * {@code sun.misc.Signal} (module jdk.unsupported, kept by the JDK for exactly this use).
 */
final class Interrupts {

    private Interrupts() {
    }

    static void install(Runnable orderlyStop, Runnable forcedStop) {
        AtomicInteger interrupts = new AtomicInteger();
        Signal.handle(new Signal("TERM"), signal -> orderlyStop.run());
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
