package io.servicescluster.cli.testservices;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;

/** Starts, then lets an exception escape from a thread of its own. */
public final class Thrower implements Service {

    @Override
    public void start(ServiceContext context) {
        Thread thread = new Thread(() -> {
            throw new IllegalStateException("nobody caught this");
        }, "worker-7");
        thread.start();
    }
}
