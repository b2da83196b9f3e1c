package io.servicescluster.cli.testservices;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;

/** Takes {@code startMillis} (default 1500) to start, every time. */
public final class SlowStart implements Service {

    @Override
    public void start(ServiceContext context) throws InterruptedException {
        Thread.sleep(Long.parseLong(context.settings().getOrDefault("startMillis", "1500")));
        System.out.println(context.name() + " is up");
    }
}
