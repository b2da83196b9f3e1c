package io.servicescluster.remote.services;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;

/** Asks for peers it may not have and prints what the library answers. */
public final class PeerProbeService implements Service {

    @Override
    public void start(ServiceContext context) {
        for (String name : new String[] {"db", "stranger"}) {
            try {
                context.peer(name);
                System.out.println(name + ": granted");
            } catch (RuntimeException e) {
                System.out.println(name + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }
}
