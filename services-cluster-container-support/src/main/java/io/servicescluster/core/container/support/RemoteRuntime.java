package io.servicescluster.core.container.support;

import io.servicescluster.core.container.RemoteProcess;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import io.servicescluster.core.config.JvmOptions;
import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * How to start the remote runtime in a child JVM: which {@code java}, which classpath, which
 * flags. The classpath is found from the classes the manager itself loaded (the remote, api and
 * protocol jars are dependencies of this module), so an embedding application needs no setup. Shared
 * by the container kinds that launch the remote runtime (process, docker), so that none imports another.
 *
 * @param javaExecutable the {@code java} launcher; by default the manager's own
 * @param classpath the remote runtime's jars or class folders
 * @param jvmOptions flags put before the main class
 */
public record RemoteRuntime(Path javaExecutable, List<Path> classpath, List<String> jvmOptions) {

    /** The remote runtime's main class. */
    public static final String MAIN_CLASS = "io.servicescluster.remote.RemoteMain";

    /** The option naming an AOT cache to use (JDK 25+). */
    public static final String AOT_CACHE = "-XX:AOTCache=";
    /** The runtime's garbage collector, left out when a service chooses its own. */
    public static final String SERIAL_GC = "-XX:+UseSerialGC";
    /** The option of a training run that writes an AOT cache. */
    public static final String AOT_CACHE_OUTPUT = "-XX:AOTCacheOutput=";
    private static final String SHARED_ARCHIVE = "-XX:SharedArchiveFile=";
    /**
     * How class-data files are made (the training's flags, what it runs), part of their names: a
     * change of it makes new files rather than reusing those an earlier recipe made for the same
     * jars. 2: the AOT cache without the training's method profiles; 3: with the data endpoint.
     */
    private static final int CLASS_DATA_RECIPE = 3;
    /**
     * With an AOT cache, JDK 25 starts a thread that replays the cache's training data — ~2 ms of
     * CPU per remote even though our caches hold none (the training records no profiles, see the
     * process container's {@code AotTraining}), and a storm of starts on a few CPUs waits for all
     * of it. Diagnostic flags, which another JDK may not know and would refuse to start with: added
     * by {@link #command} beside an AOT cache (which only the JDK build that made it uses: this
     * one), and only on the JDK they were checked on, a release build of 25 (an early build may
     * predate them; JDK 26 and later start the thread until checked).
     */
    static final List<String> NO_TRAINING_REPLAY = List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTReplayTraining");
    private static final boolean REPLAY_FLAG_KNOWN = Runtime.version().feature() == 25
            && Runtime.version().pre().isEmpty();
    private static final String AUTO_CREATE = "-XX:+AutoCreateSharedArchive";
    private static final String EXIT_ON_OUT_OF_MEMORY = "-XX:+ExitOnOutOfMemoryError";

    /**
     * What the remote's JVM writes when it ends for want of heap (it runs with {@code
     * -XX:+ExitOnOutOfMemoryError}): every kind looks for it in the output ({@link OutputTail}) to
     * report the crash as out of memory.
     */
    public static final String OUT_OF_MEMORY_MARK = "Terminating due to java.lang.OutOfMemoryError";

    /**
     * How long a kind's {@code destroy} lets a closed remote finish its own exit before killing it.
     * The manager destroys a container only once its service is closed, so a remote still alive
     * then has answered {@code Closed} and is on its way out: flushing its last output, and on JDK
     * 21–24 writing the class-data archive ({@code -XX:+AutoCreateSharedArchive} dumps at exit;
     * killed at once, the first remotes never make it and every later one starts without it).
     */
    public static final long EXIT_GRACE_MILLIS = 2000;

    /**
     * Waits at most {@value #EXIT_GRACE_MILLIS} ms for every one of {@code exits}: the remotes
     * that are exiting by themselves get to finish before a kind kills what is left. Never throws
     * (an interrupt is kept for the caller).
     */
    public static void awaitExits(List<CompletableFuture<RemoteProcess.Exit>> exits) {
        if (exits.isEmpty()) {
            return;
        }
        try {
            CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new)).get(EXIT_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // the caller kills what is left
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final String[] ANCHOR_CLASSES = {
        MAIN_CLASS, "io.servicescluster.api.Service", "io.servicescluster.protocol.ControlMessage",
    };

    public RemoteRuntime {
        classpath = List.copyOf(classpath);
        jvmOptions = List.copyOf(jvmOptions);
    }

    /**
     * The runtime of this manager's own JDK and class path, with flags for a fast start: serial
     * GC (a small service has no use for parallel collectors, which cost start-up time), no
     * performance-data file, an exit on the first out-of-memory error (a JVM that ran out of heap
     * is reported crashed rather than left limping), and a class-data file in {@link ClassDataFolder}:
     * on JDK 25 and later an AOT cache ({@code -XX:AOTCache}: classes loaded and linked ahead of
     * time, made by a training run of the runtime alone, the process container's {@code AotTraining}),
     * before that a dynamic CDS archive that the first remote writes at its exit
     * ({@code -XX:+AutoCreateSharedArchive}).
     *
     * @throws IllegalStateException if the remote runtime is not on the class path
     */
    public static RemoteRuntime detect() {
        return detect(ClassDataFolder.path());
    }

    /**
     * As {@link #detect()}, with the class-data file in {@code cacheDir}.
     *
     * @throws IllegalStateException if the remote runtime is not on the class path
     */
    public static RemoteRuntime detect(Path cacheDir) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Set<Path> classpath = new LinkedHashSet<>();
        for (String anchor : ANCHOR_CLASSES) {
            classpath.add(codeSourceOf(anchor));
        }
        // no -Xshare:auto: it is the default, and a JVM refuses it beside -XX:AOTCache
        List<String> options = new ArrayList<>(List.of(SERIAL_GC, "-XX:-UsePerfData", EXIT_ON_OUT_OF_MEMORY));
        boolean aot = Runtime.version().feature() >= 25;
        classDataFile(cacheDir, classpath, aot ? ".aot" : ".jsa").ifPresent(file -> {
            if (aot) {
                options.add(AOT_CACHE + file);
            } else {
                options.add(SHARED_ARCHIVE + file);
                options.add(AUTO_CREATE);
            }
            // making and checking the file logs warnings ("Skipping …") that would read as the
            // service's own output
            options.add("-Xlog:cds=off");
            options.add("-Xlog:cds+dynamic=off");
            if (aot) {
                options.add("-Xlog:aot=off");
            }
        });
        return new RemoteRuntime(java, List.copyOf(classpath), options);
    }

    /** The command line that starts the remote, without environment. */
    public List<String> command(String serviceName) {
        return command(serviceName, List.of());
    }

    /**
     * The command line that starts the remote with {@code extraOptions} after this runtime's own
     * flags (so that they win, e.g. a heap limit), without environment. When they choose a garbage
     * collector, this runtime's {@value #SERIAL_GC} is left out: a JVM given two refuses to start.
     */
    public List<String> command(String serviceName, List<String> extraOptions) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable.toString());
        boolean ownGc = new JvmOptions(extraOptions).choosesGc();
        jvmOptions.stream().filter(o -> !(ownGc && o.equals(SERIAL_GC))).forEach(command::add);
        if (aotCache().isPresent() && REPLAY_FLAG_KNOWN) {
            // an AOT cache is used only by the JDK build that made it: this one
            command.addAll(NO_TRAINING_REPLAY);
        }
        command.addAll(extraOptions);
        command.add("-Dservicescluster.service=" + serviceName);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList()));
        command.add(MAIN_CLASS);
        return command;
    }

    /**
     * The class-data file these flags name: the AOT cache ({@code -XX:AOTCache}) or the CDS archive
     * ({@code -XX:SharedArchiveFile}), if any.
     */
    public Optional<Path> sharedArchive() {
        return jvmOptions.stream().filter(o -> o.startsWith(SHARED_ARCHIVE) || o.startsWith(AOT_CACHE))
                .reduce((a, b) -> b).map(o -> Path.of(o.substring(o.indexOf('=') + 1)));
    }

    /** The AOT cache these flags name ({@code -XX:AOTCache}), if any. */
    public Optional<Path> aotCache() {
        return sharedArchive().filter(f -> jvmOptions.contains(AOT_CACHE + f));
    }

    /**
     * These flags for a JVM that must not write the class-data file (a sandbox, a Docker container
     * of the same JDK): it uses the file if it exists and never makes one — a JVM asked to create
     * an archive it cannot write ends with an error, and one pointed at a missing AOT cache warns.
     */
    public RemoteRuntime withExistingClassDataOnly() {
        return sharedArchive().map(Files::isRegularFile).orElse(false) ? withOptions(o -> !o.equals(AUTO_CREATE))
                : withoutClassData();
    }

    /** These flags without any class-data file: for a JVM of another build, or while the file is made. */
    public RemoteRuntime withoutClassData() {
        return withOptions(o -> !o.equals(AUTO_CREATE) && !o.startsWith(SHARED_ARCHIVE) && !o.startsWith(AOT_CACHE));
    }

    private RemoteRuntime withOptions(Predicate<String> kept) {
        return new RemoteRuntime(javaExecutable, classpath, jvmOptions.stream().filter(kept).toList());
    }

    /**
     * A file per runtime version and class path: the JVM refuses a file made for another class
     * path anyway, and a name per combination keeps two builds from fighting over one file.
     * Only jars can be archived, so a class-folder class path (a development build) gets none.
     */
    private static Optional<Path> classDataFile(Path cacheDir, Set<Path> classpath, String suffix) {
        if (!classpath.stream().allMatch(p -> p.toString().endsWith(".jar"))) {
            return Optional.empty();
        }
        StringBuilder key = new StringBuilder(Runtime.version().toString()).append('|').append(CLASS_DATA_RECIPE);
        for (Path entry : classpath) {
            key.append('|').append(entry).append('|').append(entry.toFile().lastModified());
        }
        String name = "remote-" + Integer.toHexString(key.toString().hashCode()) + suffix;
        try {
            Files.createDirectories(cacheDir);
            return Optional.of(cacheDir.resolve(name));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Path codeSourceOf(String className) {
        String resource = className.replace('.', '/') + ".class";
        URL url = RemoteRuntime.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException("the remote runtime is not on the class path: " + className
                    + " not found; add services-cluster-remote as a dependency");
        }
        try {
            String spec = url.toString();
            if (spec.startsWith("jar:")) {
                return Path.of(new URL(spec.substring(4, spec.indexOf("!/"))).toURI());
            }
            Path file = Path.of(url.toURI());
            Path root = file;
            for (int i = 0; i < className.split("\\.").length; i++) {
                root = root.getParent();
            }
            return root;
        } catch (URISyntaxException | MalformedURLException e) {
            throw new IllegalStateException("cannot locate " + className + " at " + url, e);
        }
    }
}
