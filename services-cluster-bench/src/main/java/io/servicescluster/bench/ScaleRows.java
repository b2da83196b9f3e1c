package io.servicescluster.bench;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ServiceStatus;
import io.servicescluster.core.manager.ServicesManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Issue 14's start at scale: (e) {@value #SERVICES} class services in a {@value #LAYERS}-layer
 * DAG (each service of a layer depends on two of the layer before) to all {@code running},
 * against as many bare JVMs launched at once — the floor launching ahead aims at. The notes split
 * the host's CPU per service between the manager, the remotes' processes and the rest (the
 * launch's other processes, the kernel): on a few CPUs this row is a queue of CPU work, so that split is what moves
 * it. {@code -Dbench.unconfined=true} runs its services with {@code unconfined: true}.
 */
final class ScaleRows {

    static final int SERVICES = 100;
    static final int LAYERS = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    private final Bench bench;
    private final boolean quick;
    /** When each layer of the last run was all running, ns from {@code start()}. */
    private long[] layers = new long[0];
    /** The last run's start and all running, {@code System.nanoTime()}: CLOCK_MONOTONIC on Linux. */
    private long lastFrom;
    private long lastTo;
    /** The host's busy CPU during each of our runs and each floor's, ns (see {@link HostCpu}). */
    private final List<Long> oursCpu = new ArrayList<>();
    private final List<Long> floorCpu = new ArrayList<>();
    /** Of {@link #oursCpu}, this JVM's own: the manager's. */
    private final List<Long> managerCpu = new ArrayList<>();
    /**
     * Of {@link #oursCpu}, the remotes' processes' own: the JVM's threads, and what the same
     * process ran before it exec'd the JVM (unconfined the launch's programs; confined the
     * sandbox's set-up inside bubblewrap, and {@code setpriv}).
     */
    private final List<Long> remotesCpu = new ArrayList<>();
    /** The last run's remote JVMs' CPU, by thread name (digits out). */
    private final Map<String, Long> remoteThreads = new TreeMap<>();
    /** The host's busy CPU of as many bare JVMs with the remote's light flags, for each run. */
    private final List<Long> lightCpu = new ArrayList<>();
    /** Services whose pid was not their JVM's when counted (see {@link HostCpu#jvmNanos}). */
    private int uncounted;

    ScaleRows(Bench bench, boolean quick) {
        this.bench = bench;
        this.quick = quick;
    }

    /** The row, added to {@code table}. */
    void run(ResultTable table, List<String> notes) throws Exception {
        int runs = quick ? 1 : 3;
        List<String> hello = bench.bare().command(List.of());
        System.out.print("(e) " + SERVICES + " services in " + LAYERS + " layers: warm-up");
        layered();
        bench.bare().parallel(hello, SERVICES);
        List<String> light = bench.bare().command(bench.bare().lightFlags());
        bench.bare().parallel(light, SERVICES);
        oursCpu.clear(); // the warm-up's
        managerCpu.clear();
        remotesCpu.clear();
        uncounted = 0;
        List<Long> ours = new ArrayList<>();
        List<Long> floor = new ArrayList<>();
        System.out.print(" runs");
        for (int i = 0; i < runs; i++) { // interleaved, so that drift hits both sides alike
            ours.add(layered());
            long cpu0 = HostCpu.busyNanos();
            floor.add(bench.bare().parallel(hello, SERVICES));
            floorCpu.add(HostCpu.busyNanos() - cpu0);
            long cpu1 = HostCpu.busyNanos();
            bench.bare().parallel(light, SERVICES);
            lightCpu.add(HostCpu.busyNanos() - cpu1);
            System.out.print(".");
        }
        System.out.println();
        table.add(new ResultTable.Row("(e) " + SERVICES + " class services, " + LAYERS + "-layer DAG -> all running",
                Sample.of(ours), SERVICES + " x java Hello, parallel", Sample.of(floor), 1.3, true));
        StringBuilder note = new StringBuilder("(e) the last run, each layer all running at (ms from start()):");
        for (long at : layers) {
            note.append(String.format(Locale.ROOT, " %.0f", at / 1e6));
        }
        notes.add(note.toString());
        if (HostCpu.busyNanos() >= 0) {
            List<Long> rest = new ArrayList<>();
            for (int i = 0; i < oursCpu.size(); i++) { // per run: medians of the parts would not add up
                rest.add(oursCpu.get(i) - managerCpu.get(i) - remotesCpu.get(i));
            }
            double ourMs = Sample.of(oursCpu).medianMs() / SERVICES;
            double helloMs = Sample.of(floorCpu).medianMs() / SERVICES;
            notes.add(String.format(Locale.ROOT, "(e) the host's busy CPU per service (medians), ours from start() to all"
                    + " running, a Hello's until all said hello and exited: ours %.1f ms = the manager %.1f + the remote's"
                    + " process %.1f (its JVM, and the programs that process was before it: unconfined the launch's"
                    + " jspawnhelper, setsid and shell; confined bubblewrap's set-up of the sandbox and setpriv) + the rest"
                    + " %.1f (confined: the launch's programs, bubblewrap's other processes; the kernel); a Hello %.1f ms"
                    + " (ours %.2fx), a Hello with the"
                    + " remote's light flags %.1f ms%s", ourMs, Sample.of(managerCpu).medianMs() / SERVICES,
                    Sample.of(remotesCpu).medianMs() / SERVICES, Sample.of(rest).medianMs() / SERVICES, helloMs,
                    ourMs / helloMs, Sample.of(lightCpu).medianMs() / SERVICES,
                    uncounted == 0 ? "" : " (" + uncounted + " remote JVMs not yet known by their pid: averaged)"));
            StringBuilder threads = new StringBuilder("(e) the last run's remote JVM per service, by thread (live"
                    + " ones; \"java\" holds what the process ran before the JVM), ms:");
            remoteThreads.entrySet().stream().filter(e -> e.getValue() > 0)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> threads.append(String.format(Locale.ROOT, " %s %.1f;", e.getKey(), e.getValue() / 1e6 / SERVICES)));
            notes.add(threads.toString());
            notes.add(String.format(Locale.ROOT, "(e) the last run, CLOCK_MONOTONIC (for perf record -k CLOCK_MONOTONIC,"
                    + " then perf report --time): %.6f,%.6f", lastFrom / 1e9, lastTo / 1e9));
        }
    }

    /** Nanoseconds from {@code start()} to the last {@code running}. */
    private long layered() throws Exception {
        Path dir = bench.runFolder();
        ClusterSpec.Builder cluster = ClusterSpec.builder("bench-layers").baseDir(dir);
        int perLayer = SERVICES / LAYERS;
        List<String> keys = new ArrayList<>();
        for (int layer = 0; layer < LAYERS; layer++) {
            for (int i = 0; i < perLayer; i++) {
                String name = name(layer, i);
                ServiceSpec.Builder service = ServiceSpec.builder(name).code(bench.classCode())
                        .unconfined(Boolean.getBoolean("bench.unconfined"));
                if (layer > 0) {
                    service.dependsOn(name(layer - 1, i), name(layer - 1, (i + 1) % perLayer));
                }
                cluster.service(service);
                keys.add(Timeline.key(name, "running"));
            }
        }
        Timeline timeline = new Timeline();
        try (ServicesManager manager = bench.managerFor(cluster.build(), dir, timeline, null)) {
            long cpu0 = HostCpu.busyNanos();
            long own0 = HostCpu.ownNanos();
            long t0 = System.nanoTime();
            manager.start();
            long last = timeline.awaitAll(keys, TIMEOUT);
            lastFrom = t0;
            lastTo = System.nanoTime();
            oursCpu.add(HostCpu.busyNanos() - cpu0);
            managerCpu.add(HostCpu.ownNanos() - own0);
            long remotes = 0;
            int counted = 0;
            remoteThreads.clear();
            for (ServiceStatus status : manager.status()) {
                long jvm = HostCpu.jvmNanos(status.pid().orElse(-1));
                if (jvm >= 0) {
                    remotes += jvm;
                    counted++;
                    HostCpu.addThreads(status.pid().orElse(-1), remoteThreads);
                }
            }
            // a pid not (yet) the JVM's: counted as an average of the others, not as nothing
            remotesCpu.add(counted == 0 ? 0 : remotes * SERVICES / counted);
            uncounted += SERVICES - counted;
            bench.notePids(manager);
            layers = new long[LAYERS];
            for (int layer = 0; layer < LAYERS; layer++) {
                for (int i = 0; i < perLayer; i++) {
                    layers[layer] = Math.max(layers[layer], timeline.at(name(layer, i), "running") - t0);
                }
            }
            return last - t0;
        }
    }

    private static String name(int layer, int index) {
        return String.format(Locale.ROOT, "l%d-s%02d", layer, index);
    }
}
