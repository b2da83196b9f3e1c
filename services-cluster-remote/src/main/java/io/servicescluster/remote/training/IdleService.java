package io.servicescluster.remote.training;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;

/**
 * The service of a training run ({@code SVC_CONTROL=train}): it does nothing, so that what the
 * JVM records for the remote's AOT cache is the remote runtime's own work and nothing of a user's
 * service. Loaded like any service, from the remote's jar through a service class loader.
 */
public final class IdleService implements Service {

    @Override
    public void start(ServiceContext context) {
        // nothing: the run is about the runtime around it
    }
}
