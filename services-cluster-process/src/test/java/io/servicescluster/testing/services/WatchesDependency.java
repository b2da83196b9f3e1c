package io.servicescluster.testing.services;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A service that needs a dependency through its whole start, without the data plane: its
 * {@code start} writes its pid to {@code pid}, reads the dependency's pid from the file named by
 * the setting {@code pidFile}, sleeps {@code startMillis}, and fails if that process has ended
 * meanwhile.
 */
public final class WatchesDependency implements Service {

    @Override
    public void start(ServiceContext context) throws Exception {
        Files.writeString(context.workDir().resolve("pid"), Long.toString(ProcessHandle.current().pid()));
        long dependency = Long.parseLong(Files.readString(Path.of(context.settings().get("pidFile"))).trim());
        Thread.sleep(Long.parseLong(context.settings().getOrDefault("startMillis", "0")));
        if (ProcessHandle.of(dependency).map(p -> !p.isAlive()).orElse(true)) {
            throw new IllegalStateException("dependency process " + dependency + " went away during the start");
        }
    }
}
