package io.servicescluster.cli.testservices;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Proves that its {@code close()} ran: writes the file {@code closed-NAME} into the folder of
 * the setting {@code markers} when it closes — a file, because a test may have no terminal left
 * to read the service's output from.
 */
public final class CloseMarker implements Service {

    private Path marker;

    @Override
    public void start(ServiceContext context) {
        marker = Path.of(context.settings().get("markers")).resolve("closed-" + context.name());
        System.out.println(context.name() + " is up");
    }

    @Override
    public void close() throws IOException {
        Files.writeString(marker, "closed\n");
    }
}
