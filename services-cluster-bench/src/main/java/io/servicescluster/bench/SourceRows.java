package io.servicescluster.bench;

import io.servicescluster.bench.services.Trivial;
import io.servicescluster.core.compile.SourceCompilations;
import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ServicesManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 14's source rows: (d) 20 source services to all {@code running} with the class cache warm,
 * against 20 class services, both in this JVM; (d') the same with the cache cold, each side in a
 * fresh manager JVM of its own ({@code java -cp BENCH SourceRows child ...}), as on the first
 * {@code svc run} ever — the manager's compiler then is as cold as its cache. Every source differs
 * (a class and a constant of its own), so that none is a cache hit of another. Time is from
 * {@code start()} to the last {@code running}, as in (b).
 */
final class SourceRows {

    private static final int N = 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final Bench bench;
    private final boolean quick;

    SourceRows(Bench bench, boolean quick) {
        this.bench = bench;
        this.quick = quick;
    }

    /** The two rows, added to {@code table}. */
    void run(ResultTable table, List<String> notes) throws Exception {
        int runs = quick ? 3 : 7;
        Path warmCache = bench.temp().resolve("class-cache-warm");
        System.out.print("(d) " + N + " source services, warm cache: warm-up");
        inProcess(true, warmCache);
        inProcess(false, warmCache);
        List<Long> sources = new ArrayList<>();
        List<Long> classes = new ArrayList<>();
        System.out.print(" runs");
        for (int i = 0; i < runs; i++) {
            sources.add(inProcess(true, warmCache));
            classes.add(inProcess(false, warmCache));
            System.out.print(".");
        }
        System.out.println();
        table.add(new ResultTable.Row("(d) " + N + " source services -> all running, warm", Sample.of(sources),
                N + " class services", Sample.of(classes), 1.2, true));

        System.out.print("(d') the same, cold cache, fresh manager JVMs: runs");
        List<Long> cold = new ArrayList<>();
        List<Long> coldClasses = new ArrayList<>();
        List<Long> coldInProcess = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            cold.add(childJvm(true, bench.runFolder().resolve("cold-cache")));
            coldClasses.add(childJvm(false, bench.runFolder().resolve("unused-cache")));
            coldInProcess.add(inProcess(true, bench.runFolder().resolve("cold-cache")));
            System.out.print(".");
        }
        System.out.println();
        table.add(new ResultTable.Row("(d') " + N + " source services, cold cache, new JVM", Sample.of(cold),
                N + " class services, new JVM", Sample.of(coldClasses), 3.0, true));
        notes.add(String.format(Locale.ROOT, "(d') with the cache cold but this JVM's compiler warm: %.0f ms (median);"
                + " the fresh JVM's first compilation pays javac's own start", Sample.of(coldInProcess).medianMs()));
    }

    /** One cluster of {@link #N} source (or class) services in this JVM, the cache in {@code cache}. */
    private long inProcess(boolean source, Path cache) throws Exception {
        Path dir = bench.runFolder();
        Timeline timeline = new Timeline();
        SourceCompilations compilations = SourceCompilations.in(cache, SourceCompilations.DEFAULT_MAX_BYTES);
        try (ServicesManager manager = bench.builderFor(cluster(source, dir, bench.payload()), dir, timeline, null)
                .compilations(compilations).build()) {
            long elapsed = untilAllRunning(manager, timeline);
            bench.notePids(manager);
            return elapsed;
        }
    }

    /** The same in a fresh JVM running {@link #main}; its answer is the nanoseconds on its last line. */
    private long childJvm(boolean source, Path cache) throws Exception {
        Path dir = bench.runFolder();
        List<String> command = List.of(bench.java(), "-XX:+UseSerialGC", "-Xshare:auto", "-cp",
                System.getProperty("java.class.path"), SourceRows.class.getName(), source ? "source" : "class",
                dir.toString(), cache.toString(), bench.payload().toString());
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String last = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                last = line;
            }
        }
        int status = process.waitFor();
        if (status != 0 || last == null || !last.startsWith("elapsed ")) {
            throw new IllegalStateException("the manager JVM of (d') failed: exit " + status + ", said " + last);
        }
        return Long.parseLong(last.substring("elapsed ".length()));
    }

    /** The child of (d'): {@code source|class DIR CACHE PAYLOAD}; prints {@code elapsed NANOS}. */
    public static void main(String[] args) throws Exception {
        boolean source = args[0].equals("source");
        Path dir = Path.of(args[1]);
        Timeline timeline = new Timeline();
        try (ServicesManager manager = ServicesManager.builder(cluster(source, dir, Path.of(args[3])))
                .stateDir(dir.resolve("state")).listener(timeline)
                .compilations(SourceCompilations.in(Path.of(args[2]), SourceCompilations.DEFAULT_MAX_BYTES)).build()) {
            System.out.println("elapsed " + untilAllRunning(manager, timeline));
        }
        System.exit(0);
    }

    /** Nanoseconds from {@code start()} to the last service's {@code running}. */
    private static long untilAllRunning(ServicesManager manager, Timeline timeline) throws Exception {
        long t0 = System.nanoTime();
        manager.start();
        return timeline.awaitAll(runningKeys(), TIMEOUT) - t0;
    }

    private static ClusterSpec cluster(boolean source, Path dir, Path payload) throws IOException {
        ClusterSpec.Builder cluster = ClusterSpec.builder(source ? "bench-sources" : "bench-classes").baseDir(dir);
        for (int i = 1; i <= N; i++) {
            String name = name(i);
            CodeSpec code = source ? new CodeSpec.SourceCode(source(i), "S" + i + ".java")
                    : CodeSpec.ofClass(Trivial.class.getName(), payload);
            cluster.service(ServiceSpec.builder(name).code(code));
        }
        Files.createDirectories(dir);
        return cluster.build();
    }

    private static List<String> runningKeys() {
        List<String> keys = new ArrayList<>();
        for (int i = 1; i <= N; i++) {
            keys.add(Timeline.key(name(i), "running"));
        }
        return keys;
    }

    private static String name(int i) {
        return String.format(Locale.ROOT, "s%02d", i);
    }

    /** A trivial service of its own: class {@code S<i>}, a constant {@code i}. */
    private static String source(int i) {
        return """
                import io.servicescluster.api.Service;
                import io.servicescluster.api.ServiceContext;

                public class S%1$d implements Service {
                    static final int ID = %1$d;

                    @Override
                    public void start(ServiceContext context) {
                    }
                }
                """.formatted(i);
    }
}
