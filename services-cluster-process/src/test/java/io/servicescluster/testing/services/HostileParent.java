package io.servicescluster.testing.services;

import io.servicescluster.api.ChildSpec;
import io.servicescluster.api.Service;
import io.servicescluster.api.ServiceContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A parent with {@code permissions.spawn} that attacks through its child {@code kid} (issue 18's
 * review): the child is an {@link Attacker} with the settings {@code kid.attack} and the rest of
 * {@code kid.*}. Reports on stdout as {@code ATTEMPT: RESULT}. The setting {@code attack}:
 * <ul>
 *   <li>{@code link}: before the spawn, makes the child's data folder (in its own data folder, as
 *       its {@code SVC_DATA} shows it) a link to {@code target} ({@code prelink}); while the spawn
 *       is under way, moves whatever folder is there aside and puts such a link in its place
 *       ({@code swap}: the first result);
 *   <li>{@code fork}: once the child runs, starts {@code sleep MARKER} processes until a start fails
 *       ({@code fork: N started; failure: …}), then ends them;
 *   <li>{@code spawn} (any other): only spawns.
 * </ul>
 * Then {@code spawned: ok} or {@code spawned: FAILED …}.
 */
public final class HostileParent implements Service {

    @Override
    public void start(ServiceContext context) throws Exception {
        Map<String, String> settings = context.settings();
        Map<String, String> kidSettings = new java.util.HashMap<>();
        settings.forEach((key, value) -> {
            if (key.startsWith("kid.")) {
                kidSettings.put(key.substring("kid.".length()), value);
            }
        });
        ChildSpec kid = ChildSpec.ofClass("kid", Attacker.class.getName()).withSettings(kidSettings);
        boolean link = "link".equals(settings.get("attack"));
        Path kidFolder = ownDataFolder().resolve("kid");
        Path target = link ? Path.of(settings.get("target")) : null;
        if (link) {
            report("prelink", attempt(() -> {
                Files.createSymbolicLink(kidFolder, target);
                return "ok";
            }));
        }
        Thread.ofPlatform().daemon().start(() -> {
            AtomicBoolean spawning = new AtomicBoolean(true);
            if (link) {
                Thread.ofPlatform().daemon().start(() -> report("swap", swapUntilDone(kidFolder, target, spawning)));
            }
            report("spawned", attempt(() -> {
                context.spawn(kid);
                return "ok";
            }));
            spawning.set(false);
            if ("fork".equals(settings.get("attack"))) {
                forkUntilRefused(settings.get("marker"));
            }
        });
    }

    /** The folder that holds this service's data sockets' folder: its data folder (children's lie in it). */
    private static Path ownDataFolder() {
        Path sockets = Path.of(System.getenv("SVC_DATA").substring("unix:".length())).getParent();
        return sockets.getFileName().toString().startsWith("_") ? sockets.getParent() : sockets;
    }

    /** Swaps the child's folder for a link as soon as it appears; the first result, or the last failure. */
    private static String swapUntilDone(Path kidFolder, Path target, AtomicBoolean spawning) {
        String last = "never tried";
        while (spawning.get()) {
            if (Files.isDirectory(kidFolder, LinkOption.NOFOLLOW_LINKS)) {
                last = attempt(() -> {
                    Files.move(kidFolder, kidFolder.resolveSibling("kid.old"));
                    Files.createSymbolicLink(kidFolder, target);
                    return "ok";
                });
                if (last.equals("ok")) {
                    return last;
                }
            }
            try {
                Thread.sleep(1); // often enough to catch the window, without taking a core from the test
            } catch (InterruptedException e) {
                return last;
            }
        }
        return last;
    }

    private static void forkUntilRefused(String marker) {
        List<Process> kept = new ArrayList<>();
        String failure = "none";
        while (kept.size() < 1_500) {
            try {
                kept.add(new ProcessBuilder("sleep", marker).start());
            } catch (IOException | OutOfMemoryError e) { // no process, or no thread left to reap it
                failure = e.toString();
                break;
            }
        }
        kept.forEach(Process::destroyForcibly);
        report("fork", kept.size() + " started; failure: " + failure);
    }

    private interface Attempt {
        String call() throws Exception;
    }

    private static String attempt(Attempt attempt) {
        try {
            return attempt.call();
        } catch (Exception e) {
            return "FAILED " + e;
        }
    }

    private static void report(String what, String result) {
        System.out.println(what + ": " + result);
    }
}
