package io.servicescluster.core.container.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the remote's AOT cache (JDK 25 and later, {@code -XX:AOTCache}) from a real remote: the
 * first unconfined launch that finds the cache missing runs with {@code -XX:AOTCacheOutput}, so
 * the JVM records what the remote loads and links over its whole life and, when it exits, writes
 * the cache (through a short-lived child JVM). Other launches meanwhile run without a cache.
 *
 * <p>The cache is written to a file of its own and moved into place only after the training JVM
 * exited with status 0 (an orderly close): a JVM killed while writing leaves nothing half-made
 * where the next one would look, and two managers training at once each move a whole file.
 */
final class AotTraining {

    private static final Logger log = LoggerFactory.getLogger(AotTraining.class);
    /** What the JVM prints, whatever its logging flags, while it writes the cache at exit. */
    private static final String COMPLETE = "AOTCache creation is complete";
    private static final List<String> OWN_MESSAGES = List.of("Temporary AOTConfiguration recorded",
            "Launching child process", "Reading AOTConfiguration", COMPLETE,
            "Removed temporary AOT configuration file", "Picked up JAVA_TOOL_OPTIONS: ");

    /** Caches being trained by a JVM of this manager's process. */
    private static final Set<Path> IN_PROGRESS = ConcurrentHashMap.newKeySet();
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final Path cache;
    private final Path output;
    private volatile boolean complete;

    private AotTraining(Path cache, Path output) {
        this.cache = cache;
        this.output = output;
    }

    /** The flags for one launch, and the training it performs, if any. */
    record Plan(RemoteRuntime runtime, Optional<AotTraining> training) {
    }

    /**
     * The runtime for one launch that may write files: unchanged when it names no AOT cache or the
     * cache exists; the training flags for the first launch that finds it missing; without the
     * cache while another launch of this process trains it.
     */
    static Plan plan(RemoteRuntime runtime) {
        Optional<Path> named = runtime.jvmOptions().stream().filter(o -> o.startsWith(RemoteRuntime.AOT_CACHE))
                .reduce((a, b) -> b).map(o -> Path.of(o.substring(RemoteRuntime.AOT_CACHE.length())));
        if (named.isEmpty() || Files.isRegularFile(named.get())) {
            return new Plan(runtime, Optional.empty());
        }
        Path cache = named.get();
        if (!IN_PROGRESS.add(cache)) {
            return new Plan(runtime.readOnlyArchive(false), Optional.empty());
        }
        removeAbandoned(cache);
        Path output = cache.resolveSibling(cache.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + SEQUENCE.incrementAndGet() + ".tmp");
        List<String> options = new ArrayList<>(runtime.readOnlyArchive(false).jvmOptions());
        options.add(RemoteRuntime.AOT_CACHE_OUTPUT + output);
        return new Plan(new RemoteRuntime(runtime.javaExecutable(), runtime.classpath(), options),
                Optional.of(new AotTraining(cache, output)));
    }

    /**
     * Whether {@code line}, written by the training JVM, is the JVM's own report on the cache rather
     * than the service's output; notes the report that the cache is complete.
     */
    boolean consume(String line) {
        for (String prefix : OWN_MESSAGES) {
            if (line.startsWith(prefix)) {
                if (prefix.equals(COMPLETE)) {
                    complete = true;
                }
                return true;
            }
        }
        return false;
    }

    /**
     * Finishes when {@code process}, the training JVM, has ended and its stderr pipe (quoted in
     * {@code tail}) has drained: the cache is judged by the JVM's last words.
     */
    void finishWhenEnded(Process process, OutputTail tail) {
        process.onExit().thenCompose(p -> tail.drained().completeOnTimeout(null, 2, TimeUnit.SECONDS))
                .thenRun(() -> finish(process.exitValue()));
    }

    /**
     * The training JVM ended (or never started, {@code exitCode} -1): keeps its cache if it exited
     * with status 0 and reported the cache complete — a JVM halted or killed while its child
     * still writes the cache exits without that report; removes what it left otherwise. Lets a
     * later launch train again.
     */
    void finish(int exitCode) {
        try {
            if (exitCode == 0 && complete && Files.isRegularFile(output)) {
                Files.move(output, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                log.debug("remote AOT cache made: {}", cache);
            } else {
                log.debug("remote AOT cache not made (exit status {}, complete {})", exitCode, complete);
            }
        } catch (IOException e) {
            log.warn("could not keep the remote's AOT cache {}: {}", cache, e.toString());
        } finally {
            deleteQuietly(output);
            deleteQuietly(output.resolveSibling(output.getFileName() + ".config"));
            IN_PROGRESS.remove(cache);
        }
    }

    /**
     * Removes what trainings of {@code cache} left over an hour ago: a manager killed while its
     * training JVM still wrote leaves its files behind, and nobody else would remove them.
     */
    private static void removeAbandoned(Path cache) {
        long hourAgo = System.currentTimeMillis() - TimeUnit.HOURS.toMillis(1);
        try (DirectoryStream<Path> left = Files.newDirectoryStream(cache.getParent(), cache.getFileName() + ".*.tmp*")) {
            for (Path file : left) {
                if (Files.getLastModifiedTime(file).toMillis() < hourAgo) {
                    deleteQuietly(file);
                }
            }
        } catch (IOException e) {
            log.debug("could not look for abandoned training files of {}: {}", cache, e.toString());
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
