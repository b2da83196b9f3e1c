package io.servicescluster.remote.services;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;

/** Starts, but its close throws. */
public class FailingCloseService implements Service {
    @Override
    public void start(ServiceContext context) {
    }

    @Override
    public void close() {
        throw new IllegalStateException("close failed on purpose");
    }
}
