package io.servicescluster.cli.testservices;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;

/** Prints {@code tick N} to stdout and {@code tock N} to stderr every 50 ms until closed. */
public final class Ticker implements Service {

    private volatile boolean closed;

    @Override
    public void start(ServiceContext context) {
        System.out.println(context.name() + " is up");
        Thread ticker = new Thread(() -> {
            for (int i = 1; !closed; i++) {
                System.out.println("tick " + i);
                System.err.println("tock " + i);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "ticker");
        ticker.setDaemon(true);
        ticker.start();
    }

    @Override
    public void close() {
        closed = true;
    }
}
