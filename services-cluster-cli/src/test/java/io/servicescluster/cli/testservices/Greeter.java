package io.servicescluster.cli.testservices;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;

/** Prints a greeting when it starts and a farewell when it closes. */
public final class Greeter implements Service {

    private String name;

    @Override
    public void start(ServiceContext context) {
        name = context.name();
        System.out.println("hello from " + name);
    }

    @Override
    public void close() {
        System.out.println("bye from " + name);
    }
}
