package io.servicescluster.cli.testservices;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;

/** Cannot start: its start throws. */
public final class FailingStart implements Service {

    @Override
    public void start(ServiceContext context) {
        throw new IllegalStateException("no database at " + context.settings().getOrDefault("url", "?"));
    }
}
