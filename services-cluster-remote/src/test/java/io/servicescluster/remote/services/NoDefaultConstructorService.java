package io.servicescluster.remote.services;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;

/** Has no public no-argument constructor. */
public class NoDefaultConstructorService implements Service {
    public NoDefaultConstructorService(String required) {
    }

    @Override
    public void start(ServiceContext context) {
    }
}
