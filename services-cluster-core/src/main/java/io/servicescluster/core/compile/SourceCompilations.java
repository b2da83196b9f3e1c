package io.servicescluster.core.compile;

import io.servicescluster.api.Service;
import io.servicescluster.core.config.Sizes;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Source services compiled once, by the manager: a warm {@link JavacCompiler} in front of a
 * content-addressed {@link ClassCache}. The key of a source is the SHA-256 of the source text,
 * the API's version and content, the JDK's feature version, the compiler's options and the
 * content of every class path entry ({@link ContentDigests}), so an unchanged source on an
 * unchanged class path is compiled once per machine, and any change compiles again.
 *
 * <p>Compilations run in parallel on this object's own threads ({@code svc-compile-N}, one per
 * processor; idle ones end), never on the caller's: the decision loop asks and is answered by a
 * future. Two requests for one key at once share one compilation. Thread-safe.
 *
 * <p>A source sent by a service (a child's, {@link #compileFromServiceAsync}) is not the user's:
 * it is refused above a size and compiled in a bounded process of its own ({@link
 * ConfinedCompiler}, {@link ServiceSourceBounds}), on threads of its own, a few at once, so that
 * a compile bomb costs neither the manager's memory nor its compiler threads. Its classes share
 * the cache: the key is the content, whoever compiled it.
 */
public final class SourceCompilations {

    /** The system property that names the cache folder (tests); else {@link #ENV}. */
    public static final String PROPERTY = "servicescluster.classCache";
    /** The environment variable that names the cache folder. */
    public static final String ENV = "SVC_CLASS_CACHE";
    /** The system property (or {@code SVC_CLASS_CACHE_MAX}) bounding the cache: a size such as {@code 64m}. */
    public static final String MAX_PROPERTY = "servicescluster.classCache.max";
    /** The default bound of the cache folder. */
    public static final long DEFAULT_MAX_BYTES = 128L * 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(SourceCompilations.class);
    private static final int KEY_FORMAT = 1;
    private static volatile SourceCompilations shared;

    /** A compilation of one source, by one of the compilers. */
    @FunctionalInterface
    private interface Compilation {
        CompiledSource run() throws CompileException;
    }

    private final JavacCompiler compiler = new JavacCompiler();
    private final ConfinedCompiler confined;
    private final ClassCache cache;
    private final Map<String, CompletableFuture<CompiledSource>> inFlight = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor threads;
    private final ThreadPoolExecutor serviceThreads;
    /** Per requester of {@link #compileFromServiceAsync}: the end of its last compilation, which its next one waits for. */
    private final Map<Object, CompletableFuture<Void>> turns = new ConcurrentHashMap<>();

    private SourceCompilations(ClassCache cache, ServiceSourceBounds bounds) {
        this.cache = cache;
        this.confined = new ConfinedCompiler(bounds);
        this.threads = pool("svc-compile-", Runtime.getRuntime().availableProcessors());
        this.serviceThreads = pool("svc-compile-child-", bounds.concurrent());
    }

    private static ThreadPoolExecutor pool(String name, int size) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> Thread.ofPlatform().daemon().name(name + count.incrementAndGet()).unstarted(r));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Compilations cached in {@code dir}, bounded to {@code maxBytes}; sources sent by services within the defaults. */
    public static SourceCompilations in(Path dir, long maxBytes) {
        return in(dir, maxBytes, ServiceSourceBounds.DEFAULT);
    }

    /** Compilations cached in {@code dir}, bounded to {@code maxBytes}; sources sent by services within {@code bounds}. */
    public static SourceCompilations in(Path dir, long maxBytes, ServiceSourceBounds bounds) {
        return new SourceCompilations(new ClassCache(dir, maxBytes), bounds);
    }

    /** This JVM's compilations in the {@link #defaultDir() default folder}: one warm compiler for every manager. */
    public static SourceCompilations shared() {
        SourceCompilations current = shared;
        if (current == null) {
            synchronized (SourceCompilations.class) {
                current = shared;
                if (current == null) {
                    current = in(defaultDir(), maxBytes());
                    shared = current;
                }
            }
        }
        return current;
    }

    /**
     * {@value #PROPERTY} or {@value #ENV} if set, else {@code $XDG_CACHE_HOME/services-cluster/classes},
     * else {@code ~/.cache/services-cluster/classes} (beside the remote's class-data files).
     */
    public static Path defaultDir() {
        Optional<String> set = setting(PROPERTY, ENV);
        if (set.isPresent()) {
            return Path.of(set.get()).toAbsolutePath();
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("services-cluster").resolve("classes");
    }

    private static long maxBytes() {
        return setting(MAX_PROPERTY, ENV + "_MAX").map(text -> {
            try {
                return Sizes.parseBytes(text);
            } catch (IllegalArgumentException e) {
                log.warn("ignoring {}={}: {}", MAX_PROPERTY, text, e.getMessage());
                return DEFAULT_MAX_BYTES;
            }
        }).orElse(DEFAULT_MAX_BYTES);
    }

    private static Optional<String> setting(String property, String env) {
        return Optional.ofNullable(System.getProperty(property)).or(() -> Optional.ofNullable(System.getenv(env)))
                .filter(s -> !s.isBlank());
    }

    /**
     * The classes of {@code source}, from the cache or compiled now, on this object's threads.
     * The future fails with a {@link CompileException} (wrapped as futures do) when the source
     * does not compile.
     *
     * @param classpath the service's class path, wildcards expanded; the API comes first by itself
     */
    public CompletableFuture<CompiledSource> compileAsync(String source, String sourceName, List<Path> classpath) {
        return CompletableFuture.supplyAsync(() -> Key.of(source, classpath), threads)
                .thenComposeAsync(key -> shareOrRun(key, sourceName, () -> compiler.compile(source, sourceName,
                        compileClasspath(classpath), key.classpath())), threads);
    }

    /**
     * The classes of {@code source}, sent by a service (a child's, R8), from the cache or compiled
     * now within this object's {@link ServiceSourceBounds}: refused at once above its size (the
     * future fails with a {@link CompileException} that says so), else compiled in a bounded
     * process of its own, whose time, memory or failure becomes the {@link CompileException}.
     *
     * <p>The sources of one {@code requester} are compiled one after the other, each after the
     * previous one ended: a service that sends many compile bombs holds one of the {@link
     * ServiceSourceBounds#concurrent()} compilers at a time, never all of them, so the others'
     * sources wait at most one deadline per requester ahead. Cancelling the returned future (the
     * service stopped, its manager closed) drops a compilation not begun and kills a running one.
     *
     * @param classpath as for {@link #compileAsync}: the parent's, which the user wrote
     * @param requester who sent it, compared with {@code equals}: the declared service at the root of the family
     */
    public CompletableFuture<CompiledSource> compileFromServiceAsync(String source, String sourceName,
            List<Path> classpath, Object requester) {
        ServiceSourceBounds bounds = confined.bounds();
        long size = source.getBytes(StandardCharsets.UTF_8).length;
        if (size > bounds.maxSourceBytes()) {
            return CompletableFuture.failedFuture(new CompileException(sourceName + ": refused: its source is " + size
                    + " bytes, more than the " + bounds.maxSourceBytes() + " bytes a service may send to be compiled"
                    + " (docs/security.md)"));
        }
        CompletableFuture<CompiledSource> result = new CompletableFuture<>();
        CompletableFuture<Void> turnEnded = new CompletableFuture<>();
        CompletableFuture<Void> ahead = Optional.<CompletableFuture<Void>>ofNullable(turns.put(requester, turnEnded))
                .orElse(CompletableFuture.completedFuture(null));
        ahead.thenComposeAsync(ignored -> result.isDone() ? CompletableFuture.<CompiledSource>completedFuture(null)
                : shareOrRun(Key.of(source, classpath), sourceName, () -> confined.compile(source, sourceName,
                        compileClasspath(classpath), result)), serviceThreads)
                .whenComplete((compiled, failure) -> {
                    if (failure != null) {
                        result.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause() : failure);
                    } else {
                        result.complete(compiled);
                    }
                    turns.remove(requester, turnEnded);
                    turnEnded.complete(null);
                });
        return result;
    }

    /** {@link #compileAsync}, waited for: {@code svc check}. */
    public CompiledSource compile(String source, String sourceName, List<Path> classpath) throws CompileException {
        try {
            return compileAsync(source, sourceName, classpath).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof CompileException c) {
                throw c;
            }
            throw e;
        }
    }

    /** How many sources were compiled, not found in the cache (in the manager or in a process of their own). */
    public long compilations() {
        return compiler.compilations() + confined.compilations();
    }

    /** How many sources sent by services were compiled in a process of their own. */
    public long compilationsFromServices() {
        return confined.compilations();
    }

    /** The cache's folder. */
    public Path cacheDir() {
        return cache.dir();
    }

    /** The file that holds (or would hold) the classes of {@code source} on {@code classpath}. */
    public Path cacheEntry(String source, List<Path> classpath) {
        return cache.entry(Key.of(source, classpath).entry());
    }

    private CompletableFuture<CompiledSource> shareOrRun(Key key, String sourceName, Compilation compilation) {
        CompletableFuture<CompiledSource> mine = new CompletableFuture<>();
        CompletableFuture<CompiledSource> running = inFlight.putIfAbsent(key.entry(), mine);
        if (running != null) {
            return running;
        }
        try {
            mine.complete(loadOrCompile(key, sourceName, compilation));
        } catch (CompileException | RuntimeException e) {
            mine.completeExceptionally(e);
        } finally {
            inFlight.remove(key.entry(), mine);
        }
        return mine;
    }

    private CompiledSource loadOrCompile(Key key, String sourceName, Compilation compilation) throws CompileException {
        Optional<CompiledSource> cached = cache.get(key.entry());
        if (cached.isPresent()) {
            log.debug("{}: classes from the cache ({})", sourceName, key.entry());
            return cached.get();
        }
        long began = System.nanoTime();
        CompiledSource compiled = compilation.run();
        log.debug("{}: compiled in {} ms ({})", sourceName, (System.nanoTime() - began) / 1_000_000, key.entry());
        cache.put(key.entry(), compiled);
        return compiled;
    }

    /**
     * A source's key in hex ({@code entry}), and the part of it that is not the source ({@code
     * classpath}: the JDK, the API, the options and the class path's content), under which the
     * compiler may reuse a file manager.
     */
    private record Key(String classpath, String entry) {

        static Key of(String source, List<Path> classpath) {
            MessageDigest digest = ContentDigests.sha256();
            ContentDigests.update(digest, "services-cluster compiled classes " + KEY_FORMAT);
            ContentDigests.update(digest, "jdk " + Runtime.version().feature());
            ContentDigests.update(digest, "api " + Service.class.getPackage().getImplementationVersion());
            ContentDigests.update(digest, "options " + JavacCompiler.options());
            for (Path entry : compileClasspath(classpath)) {
                ContentDigests.update(digest, ContentDigests.of(entry));
            }
            String classpathKey = HexFormat.of().formatHex(digest.digest());
            MessageDigest whole = ContentDigests.sha256();
            ContentDigests.update(whole, classpathKey);
            ContentDigests.update(whole, source);
            return new Key(classpathKey, HexFormat.of().formatHex(whole.digest()));
        }
    }

    private static List<Path> compileClasspath(List<Path> classpath) {
        List<Path> path = new ArrayList<>();
        path.add(apiLocation());
        path.addAll(classpath);
        return path;
    }

    /** Where {@link Service} was loaded from: the API's jar or class folder. */
    private static Path apiLocation() {
        try {
            return Path.of(Service.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the services-cluster API: " + e, e);
        }
    }
}
