package io.servicescluster.remote.services;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;

/** Its start throws. */
public class FailingStartService implements Service {
    @Override
    public void start(ServiceContext context) {
        throw new IllegalStateException("boom at start");
    }
}
