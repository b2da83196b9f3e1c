package io.servicescluster.testing.services;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.nio.file.Files;

/** Starts at once, writes its pid to {@code pid} in its work directory, prints a line, closes at once. */
public final class Idle implements Service {

    @Override
    public void start(ServiceContext context) throws Exception {
        Files.writeString(context.workDir().resolve("pid"), Long.toString(ProcessHandle.current().pid()));
        System.out.println("started " + context.name());
    }

    @Override
    public void close() {
        System.out.println("closing");
    }
}
