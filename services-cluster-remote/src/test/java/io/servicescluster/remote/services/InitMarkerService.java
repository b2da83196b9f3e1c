package io.servicescluster.remote.services;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a line to the file named by the system property {@code test.marker} when its class is
 * initialised and when it is constructed: shows when the remote runs the service's own code.
 */
public class InitMarkerService implements Service {

    static {
        mark("initialised");
    }

    public InitMarkerService() {
        mark("constructed");
    }

    private static void mark(String what) {
        try {
            Files.writeString(Path.of(System.getProperty("test.marker")), what + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void start(ServiceContext context) {
    }
}
