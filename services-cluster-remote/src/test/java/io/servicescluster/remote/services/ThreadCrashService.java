package io.servicescluster.remote.services;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;

/** Starts a thread that dies of an uncaught exception. */
public class ThreadCrashService implements Service {
    @Override
    public void start(ServiceContext context) {
        Thread worker = new Thread(ThreadCrashService::crash, "worker");
        worker.start();
    }

    private static void crash() {
        throw new IllegalArgumentException("crash in worker");
    }
}
