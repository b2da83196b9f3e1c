package io.servicescluster.cli.testservices;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;

/**
 * A hostile service (issue 18): prints a line that would return the cursor, forge another
 * service's event and clear the screen, then throws 40 uncaught exceptions of 8 MiB each, one
 * after the other, and after a pause one more (whose report carries the count of those dropped).
 */
public final class Forger implements Service {

    /** What the forged line says after the carriage return. */
    public static final String FORGED = "victim    * crashed (forged)\u001b[2J";

    @Override
    public void start(ServiceContext context) {
        System.out.println("x\r" + FORGED);
        Thread flood = new Thread(() -> {
            // the message is in the stack trace too: an 8 MiB report, within the 16 MiB frame
            String big = "x".repeat(4 << 20);
            try {
                for (int i = 0; i < 40; i++) {
                    Thread thrower = new Thread(() -> {
                        throw new IllegalStateException("\u001b[2Jboom " + big);
                    }, "thrower-" + i);
                    thrower.start();
                    thrower.join();
                }
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                return;
            }
            throw new IllegalStateException("the last one");
        }, "flood");
        flood.start();
    }
}
