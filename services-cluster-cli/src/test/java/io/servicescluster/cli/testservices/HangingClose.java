package io.servicescluster.cli.testservices;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;

/** Starts at once; its close never returns. */
public final class HangingClose implements Service {

    @Override
    public void start(ServiceContext context) {
        System.out.println("stuck is up");
    }

    @Override
    public void close() throws InterruptedException {
        System.out.println("closing, forever");
        Thread.sleep(Long.MAX_VALUE);
    }
}
