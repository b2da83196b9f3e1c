package io.servicescluster.core.container.process;

import io.servicescluster.core.container.support.RemoteRuntime;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the remote's AOT cache (JDK 25 and later, {@code -XX:AOTCache}). A launch that finds the
 * cache missing runs without it and starts, in the background, one <b>training run</b>: the
 * remote runtime with {@code SVC_CONTROL=train}, which drives itself through a whole life of an
 * idle service in-process (the remote's {@code TrainingRun}) under {@code -XX:AOTCacheOutput}. So
 * the cache holds exactly the runtime's own classes, never those of a user's service — a JVM
 * loads every class of its cache at start-up, and a cache made by a service that compiled source
 * would cost every later start the ~17 ms of loading javac.
 *
 * <p>The cache is written to a file of its own and moved into place only after the training JVM
 * exited with status 0 and reported the cache complete: nothing half-made is ever where a JVM
 * looks, and two managers training at once each move a whole file. A training run still going
 * when the manager's JVM ends is killed by a shutdown hook, or, if the manager was killed, halts
 * itself when its stdin (a pipe from the manager) reaches its end. Thread-safe.
 */
final class AotTraining {

    private static final Logger log = LoggerFactory.getLogger(AotTraining.class);
    private static final String COMPLETE = "AOTCache creation is complete";
    private static final long TRAINING_TIMEOUT_SECONDS = 120;
    private static final int CACHES_KEPT = 8;
    /**
     * The cache holds classes, linked, but no method profiles or compilations of the training:
     * a JVM replays those at start, compiling on C1 and C2 what was hot in a training that ran
     * only the runtime's own idle loop — ~4 ms of C1 and C2 for each remote, which a storm of
     * starts on a few CPUs waits for in full (docs/performance.md, "Stop 19: where the CPU of a
     * start goes"), and of no use to the service's own code. Diagnostic flags: a JDK that no
     * longer knows them ignores them rather than refusing to train.
     */
    static final List<String> NO_TRAINING_DATA = List.of("-XX:+UnlockDiagnosticVMOptions",
            "-XX:+IgnoreUnrecognizedVMOptions", "-XX:-AOTRecordTraining");

    /**
     * Caches this JVM has tried to train, successfully or not: one attempt each, so that a cause
     * that lasts (a cache folder that cannot be written, a JVM that cannot make caches) costs one
     * training JVM and one warning, not one per launch.
     */
    private static final Set<Path> ATTEMPTED = ConcurrentHashMap.newKeySet();
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final AtomicBoolean HOOKED = new AtomicBoolean();

    private AotTraining() {
    }

    /**
     * The runtime for one launch that may use the AOT cache {@code runtime} names: unchanged when
     * it names none or the cache exists; else without the cache, and a training run is started
     * if this JVM has not tried to train that cache yet.
     */
    static RemoteRuntime runtimeFor(RemoteRuntime runtime) {
        Optional<Path> named = runtime.aotCache();
        if (named.isEmpty() || Files.isRegularFile(named.get())) {
            return runtime;
        }
        Path cache = named.get();
        if (ATTEMPTED.add(cache)) {
            try {
                train(runtime, cache);
            } catch (IOException | RuntimeException e) {
                log.warn("could not start the training of the remote's AOT cache {}: {}; services start without it",
                        cache, e.toString());
            }
        }
        return runtime.withoutClassData();
    }

    private static void train(RemoteRuntime runtime, Path cache) throws IOException {
        removeAbandoned(cache);
        String name = cache.getFileName() + "." + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        Path output = cache.resolveSibling(name + ".tmp");
        Path workDir = Files.createDirectories(cache.resolveSibling(name + ".work"));
        List<String> options = new ArrayList<>(runtime.withoutClassData().jvmOptions());
        options.add(RemoteRuntime.AOT_CACHE_OUTPUT + output);
        options.addAll(NO_TRAINING_DATA);
        // a session of its own: a Ctrl-C meant for the manager would cut the training short
        ProcessBuilder builder = new ProcessBuilder(NewSession.wrap(new RemoteRuntime(runtime.javaExecutable(),
                runtime.classpath(), options).command("aot-training"))).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(key -> key.startsWith("SVC_"));
        builder.environment().put("SVC_CONTROL", "train");
        killAtExit();
        Process process = builder.start(); // its stdin stays open: at its end, the training JVM halts
        RUNNING.add(process);
        log.debug("training the remote's AOT cache {} (pid {})", cache, process.pid());
        // the deadline holds even if the JVM hangs with its output open
        process.onExit().orTimeout(TRAINING_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .exceptionally(timedOut -> {
                    kill(process);
                    return null;
                });
        Thread.ofPlatform().daemon().name("svc-aot-training").start(() -> {
            try {
                boolean complete = watch(process);
                finish(cache, output, workDir, process.waitFor(), complete);
            } catch (InterruptedException e) {
                kill(process);
            } finally {
                RUNNING.remove(process);
            }
        });
    }

    /** Once: a shutdown hook that kills training JVMs still running when this JVM ends normally. */
    private static void killAtExit() {
        if (HOOKED.compareAndSet(false, true)) {
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(AotTraining::kill),
                        "svc-aot-training-cleanup"));
            } catch (IllegalStateException shuttingDown) {
                // this JVM is ending; the training JVM ends itself when its stdin closes
            }
        }
    }

    /** Reads the training JVM's output until it ends; whether it reported the cache complete. */
    private static boolean watch(Process process) {
        boolean complete = false;
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                complete |= line.startsWith(COMPLETE);
                if (lines.size() < 20) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            kill(process);
        }
        if (!complete) {
            log.debug("the AOT training JVM said: {}", lines);
        }
        return complete;
    }

    /** Keeps the cache if the training JVM exited with status 0 and reported it complete; removes the rest. */
    static void finish(Path cache, Path output, Path workDir, int exitCode, boolean complete) {
        // the rest first: once the cache is in place, nothing else of the training is left
        deleteTree(workDir);
        deleteQuietly(output.resolveSibling(output.getFileName() + ".config"));
        try {
            if (exitCode == 0 && complete && Files.isRegularFile(output)) {
                Files.move(output, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                log.debug("remote AOT cache made: {}", cache);
                pruneOlderCaches(cache);
            } else {
                log.warn("the remote's AOT cache was not made (training JVM exit status {}, reported complete: {});"
                        + " services start without it", exitCode, complete);
            }
        } catch (IOException e) {
            log.warn("could not keep the remote's AOT cache {}: {}", cache, e.toString());
        } finally {
            deleteQuietly(output);
        }
    }

    /**
     * Removes what trainings left in {@code cache}'s folder over an hour ago, of this cache or of
     * any other (an earlier build's or JDK's): a manager killed while its training JVM ran leaves
     * its files behind (~11 MB each), and nobody else would remove them.
     */
    static void removeAbandoned(Path cache) {
        long hourAgo = System.currentTimeMillis() - TimeUnit.HOURS.toMillis(1);
        try (DirectoryStream<Path> left = Files.newDirectoryStream(cache.getParent(), "remote-*.aot.*-*")) {
            for (Path file : left) {
                if (Files.getLastModifiedTime(file).toMillis() < hourAgo) {
                    deleteTree(file);
                }
            }
        } catch (IOException e) {
            log.debug("could not look for abandoned training files of {}: {}", cache, e.toString());
        }
    }

    /**
     * Keeps the {@value #CACHES_KEPT} newest caches beside {@code made}: there is one per JDK and
     * build of the runtime, ~12 MB each, and a developer rebuilding all day would fill the disk.
     * A removed cache still in use stays mapped by its JVMs; a later launch trains it again.
     */
    private static void pruneOlderCaches(Path made) {
        try (Stream<Path> files = Files.list(made.getParent())) {
            List<Path> caches = files.filter(f -> f.getFileName().toString().startsWith("remote-")
                    && f.getFileName().toString().endsWith(".aot")).filter(Files::isRegularFile)
                    .sorted(Comparator.comparing(AotTraining::modified).reversed()).toList();
            caches.stream().skip(CACHES_KEPT).filter(f -> !f.equals(made)).forEach(AotTraining::deleteQuietly);
        } catch (IOException | UncheckedIOException e) {
            log.debug("could not prune the caches beside {}: {}", made, e.toString());
        }
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly); // the JVM that writes the cache
        process.destroyForcibly();
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(AotTraining::deleteQuietly);
        } catch (IOException | UncheckedIOException e) {
            log.debug("could not remove {}: {}", root, e.toString());
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.debug("could not remove {}: {}", file, e.toString());
        }
    }
}
