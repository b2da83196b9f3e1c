package io.servicescluster.bench.services;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;

/** A service whose start returns at once: what is left of a start is the framework's own cost. */
public final class Trivial implements Service {

    @Override
    public void start(ServiceContext context) {
        // ready at once
    }
}
