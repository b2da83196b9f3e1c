package io.servicescluster.testing.services;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.util.concurrent.atomic.AtomicBoolean;

/** Subscribes to {@code tick} of its dependency {@code feed} in start and prints the first tick it receives. */
public final class Watcher implements Service {

    @Override
    public void start(ServiceContext context) {
        AtomicBoolean first = new AtomicBoolean(true);
        long pid = ProcessHandle.current().pid();
        context.peer("feed").subscribeText("tick", tick -> {
            if (first.getAndSet(false)) {
                System.out.println("received tick " + tick + " in " + pid);
            }
        });
        System.out.println("subscribed in " + pid);
    }
}
