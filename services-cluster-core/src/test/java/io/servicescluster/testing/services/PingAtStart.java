package io.servicescluster.testing.services;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/**
 * Answers {@code ping} requests; its {@code start} writes its pid to {@code pid}, sleeps
 * {@code startMillis} (default 0), then pings each dependency and fails unless every one answers
 * within 5 s — a service that needs its dependencies to start.
 */
public final class PingAtStart implements Service {

    @Override
    public void start(ServiceContext context) throws Exception {
        context.onRequest("ping", body -> "pong".getBytes(StandardCharsets.UTF_8));
        Files.writeString(context.workDir().resolve("pid"), Long.toString(ProcessHandle.current().pid()));
        Thread.sleep(Long.parseLong(context.settings().getOrDefault("startMillis", "0")));
        for (String dependency : context.settings().getOrDefault("ping", "").split(",")) {
            if (!dependency.isBlank()) {
                context.peer(dependency).request("ping", new byte[0]).get(5, TimeUnit.SECONDS);
            }
        }
    }
}
