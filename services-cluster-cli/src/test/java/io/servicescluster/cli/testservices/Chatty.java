package io.servicescluster.cli.testservices;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;

/** Prints numbered 100-byte lines as fast as it can until closed. */
public final class Chatty implements Service {

    private volatile boolean closed;

    @Override
    public void start(ServiceContext context) {
        String padding = "x".repeat(80);
        Thread chatter = new Thread(() -> {
            for (long i = 1; !closed; i++) {
                System.out.println(String.format("line %09d %s", i, padding));
            }
        }, "chatter");
        chatter.setDaemon(true);
        chatter.start();
    }

    @Override
    public void close() {
        closed = true;
    }
}
