package io.servicescluster.remote.services;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;

/** Prints one line of 70,000 characters, then a short one. */
public class LongLineService implements Service {
    @Override
    public void start(ServiceContext context) {
        System.out.println("x".repeat(70_000));
        System.out.println("short");
    }
}
