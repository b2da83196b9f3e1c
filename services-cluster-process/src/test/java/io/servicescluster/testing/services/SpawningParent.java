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
 * {@code NAME:class:FQCN} (that class), {@code NAME:source} ({@link #CHILD_SOURCE}, compiled by
 * the manager), {@code NAME:big} (that source made 1.5 MiB long by a comment) or {@code NAME:bomb}
 * ({@link #BOMB_SOURCE}, which javac needs minutes for). They are spawned one after another from a
 * thread started in {@code start}, so after {@code start} returned (with the setting {@code
 * parallel: true} each from a thread of its own, at once); for the child at position I it prints {@code ok spawn#I NAME echo:REPLY}
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

    /**
     * A child whose compilation takes javac minutes: 18 poly conditional expressions nested in
     * generic calls, whose inference javac does again for each branch at each level (2^18 times;
     * 10 levels already take ~13 s of one core).
     */
    public static final String BOMB_SOURCE = """
            import io.servicescluster.api.*;
            public class Bomb implements Service {
                static boolean b;
                static <T> T id(T t) { return t; }
                static Object y = %s;
                public void start(ServiceContext context) {
                }
            }
            """.formatted(nested(18));

    private static String nested(int levels) {
        String expression = "1";
        for (int i = 0; i < levels; i++) {
            expression = "id(b ? " + expression + " : id(2))";
        }
        return expression;
    }

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
        boolean parallel = Boolean.parseBoolean(context.settings().get("parallel"));
        Thread.ofVirtual().name("spawner").start(() -> {
            String[] entries = children.split(",");
            for (int i = 0; i < entries.length; i++) {
                String name = entries[i].split(":")[0];
                String entry = entries[i];
                int index = i;
                Runnable spawn = () -> System.out.println("ok spawn#" + index + " " + name + " " + attempt(context, entry));
                if (parallel) {
                    Thread.ofVirtual().name("spawner-" + i).start(spawn);
                } else {
                    spawn.run();
                }
            }
        });
    }

    private static String attempt(ServiceContext context, String entry) {
        String[] parts = entry.split(":", 3);
        String name = parts[0];
        ChildSpec child = switch (parts[1]) {
            case "source" -> ChildSpec.ofSource(name, CHILD_SOURCE).withSettings(Map.of("prefix", name + " says "));
            case "big" -> ChildSpec.ofSource(name, CHILD_SOURCE + "//" + "x".repeat(3 << 19));
            case "bomb" -> ChildSpec.ofSource(name, BOMB_SOURCE);
            default -> ChildSpec.ofClass(name, parts.length > 2 ? parts[2] : DataServer.class.getName());
        };
        try {
            Peer peer = context.spawn(child);
            byte[] reply = peer.request("echo", Text.bytes("hello " + peer.name())).get(30, TimeUnit.SECONDS);
            return "echo:" + Text.string(reply);
        } catch (Exception e) {
            return "error:" + e.getClass().getName() + "|" + String.valueOf(e.getMessage()).replace('\n', ' ');
        }
    }
}
