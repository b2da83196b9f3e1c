package io.servicescluster.testing.services;

import io.servicescluster.api.ChildSpec;
import io.servicescluster.api.Peer;
import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import io.servicescluster.api.Text;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A parent for the spawn tests (R8). Setting {@code spawn}: a comma-separated list of children,
 * each {@code NAME:class} (runs {@link DataServer}, found on this service's classpath),
 * {@code NAME:class:FQCN} (that class) or {@code NAME:source} ({@link #CHILD_SOURCE}, compiled by
 * the manager). They are spawned one after another from a thread started in {@code start}, so after
 * {@code start} returned; for the child at position I it prints {@code ok spawn#I NAME echo:REPLY}
 * after one {@code echo} request through the returned {@link Peer}, or {@code ok spawn#I NAME
 * error:CLASS|MESSAGE}. Setting {@code spawnInStart}: a name to spawn from {@code start} itself,
 * printed as {@code ok early NAME …} the same way. Writes its pid to {@code pid}.
 */
public final class SpawningParent implements Service {

    /** A child as Java source: answers {@code echo} with the setting {@code prefix} and the body; writes its pid. */
    public static final String CHILD_SOURCE = """
            import io.servicescluster.api.*;
            import java.nio.file.Files;
            public class Scribe implements Service {
                public void start(ServiceContext context) throws Exception {
                    Files.writeString(context.workDir().resolve("pid"), Long.toString(ProcessHandle.current().pid()));
                    String prefix = context.settings().getOrDefault("prefix", "");
                    context.onRequest("echo", body -> Text.bytes(prefix + Text.string(body)));
                }
            }
            """;

    @Override
    public void start(ServiceContext context) throws Exception {
        Files.writeString(context.workDir().resolve("pid"), Long.toString(ProcessHandle.current().pid()));
        String early = context.settings().get("spawnInStart");
        if (early != null) {
            System.out.println("ok early " + early + " " + attempt(context, early + ":class"));
        }
        String children = context.settings().getOrDefault("spawn", "");
        if (children.isEmpty()) {
            return;
        }
        Thread.ofVirtual().name("spawner").start(() -> {
            String[] entries = children.split(",");
            for (int i = 0; i < entries.length; i++) {
                String name = entries[i].split(":")[0];
                System.out.println("ok spawn#" + i + " " + name + " " + attempt(context, entries[i]));
            }
        });
    }

    private static String attempt(ServiceContext context, String entry) {
        String[] parts = entry.split(":", 3);
        String name = parts[0];
        ChildSpec child = parts[1].equals("source")
                ? ChildSpec.ofSource(name, CHILD_SOURCE).withSettings(Map.of("prefix", name + " says "))
                : ChildSpec.ofClass(name, parts.length > 2 ? parts[2] : DataServer.class.getName());
        try {
            Peer peer = context.spawn(child);
            byte[] reply = peer.request("echo", Text.bytes("hello " + peer.name())).get(30, TimeUnit.SECONDS);
            return "echo:" + Text.string(reply);
        } catch (Exception e) {
            return "error:" + e.getClass().getName() + "|" + String.valueOf(e.getMessage()).replace('\n', ' ');
        }
    }
}
