package io.servicescluster.dashboard.services;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;

/**
 * Prints {@code tick N} every 100 ms (and every tenth line on stderr too) until it closes; with
 * the setting {@code throw}, a thread of it dies of an uncaught exception of that message first.
 */
public final class Ticker implements Service {

    private volatile boolean closed;

    @Override
    public void start(ServiceContext context) {
        String message = context.settings().get("throw");
        if (message != null) {
            Thread.ofPlatform().name("loader").start(() -> {
                throw new IllegalStateException(message);
            });
        }
        Thread.ofPlatform().daemon().name("ticker").start(() -> {
            for (long i = 1; !closed; i++) {
                System.out.println("tick " + i);
                if (i % 10 == 0) {
                    System.err.println("tock " + i);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    @Override
    public void close() {
        closed = true;
    }
}
