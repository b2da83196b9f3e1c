package io.servicescluster.remote.services;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;

/** Prints which classes it can see: the API and the JDK, not the runtime or the protocol. */
public class IsolationProbeService implements Service {
    @Override
    public void start(ServiceContext context) {
        ClassLoader loader = getClass().getClassLoader();
        for (String name : new String[] {"io.servicescluster.protocol.ControlMessage",
                "io.servicescluster.remote.RemoteMain", "io.servicescluster.api.Peer", "java.sql.Connection",
                "com.sun.source.tree.Tree"}) {
            System.out.println(name + " visible: " + visible(name, loader));
        }
        try {
            context.peer("store");
        } catch (IllegalArgumentException e) { // not declared in dependsOn
            System.out.println("peer: " + e.getMessage());
        }
    }

    private static boolean visible(String name, ClassLoader loader) {
        try {
            Class.forName(name, false, loader);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
