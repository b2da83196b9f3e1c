package io.servicescluster.core.container.docker;

import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A test service that tries what its settings name and prints the outcome of each, one line
 * {@code KEY ok} or {@code KEY denied: REASON}: {@code write} (a file in that folder),
 * {@code read} (that file), {@code rootWrite} (a file in {@code /}).
 */
public final class Probe implements Service {

    @Override
    public void start(ServiceContext context) {
        var settings = context.settings();
        if (settings.containsKey("write")) {
            report("write", () -> Files.writeString(Path.of(settings.get("write"), "probe.txt"), "x"));
        }
        if (settings.containsKey("read")) {
            report("read", () -> Files.readString(Path.of(settings.get("read"))));
        }
        report("rootWrite", () -> Files.writeString(Path.of("/probe.txt"), "x"));
        report("workWrite", () -> Files.writeString(context.workDir().resolve("probe.txt"), "x"));
        System.out.println("probe done");
    }

    private interface Attempt {
        Object run() throws Exception;
    }

    private static void report(String key, Attempt attempt) {
        try {
            attempt.run();
            System.out.println(key + " ok");
        } catch (Exception e) {
            System.out.println(key + " denied: " + e);
        }
    }
}
