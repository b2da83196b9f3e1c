package io.servicescluster.remote.services;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;

/** Prints the thread that runs its start and its close: name and id. */
public class ThreadNamesService implements Service {

    @Override
    public void start(ServiceContext context) {
        System.out.println("start on " + describe(Thread.currentThread()));
    }

    @Override
    public void close() {
        System.out.println("close on " + describe(Thread.currentThread()));
    }

    private static String describe(Thread thread) {
        return thread.getName() + " #" + thread.threadId();
    }
}
