package io.servicescluster.testing.services;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Counts its starts in the file {@code starts} of its work directory (which outlives each
 * remote), writes its pid to {@code pid}, and prints {@code start N}.
 */
public final class StartCounter implements Service {

    @Override
    public void start(ServiceContext context) throws Exception {
        Path counter = context.workDir().resolve("starts");
        int starts = Files.exists(counter) ? Integer.parseInt(Files.readString(counter).trim()) : 0;
        Files.writeString(counter, Integer.toString(starts + 1));
        Files.writeString(context.workDir().resolve("pid"), Long.toString(ProcessHandle.current().pid()));
        System.out.println("start " + (starts + 1));
    }
}
