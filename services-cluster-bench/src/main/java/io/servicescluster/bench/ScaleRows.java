package io.servicescluster.bench;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ServicesManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 14's start at scale: (e) {@value #SERVICES} class services in a {@value #LAYERS}-layer
 * DAG (each service of a layer depends on two of the layer before) to all {@code running},
 * against as many bare JVMs launched at once — the floor launching ahead aims at.
 */
final class ScaleRows {

    static final int SERVICES = 100;
    static final int LAYERS = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    private final Bench bench;
    private final boolean quick;
    /** When each layer of the last run was all running, ns from {@code start()}. */
    private long[] layers = new long[0];

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
        List<Long> ours = new ArrayList<>();
        List<Long> floor = new ArrayList<>();
        System.out.print(" runs");
        for (int i = 0; i < runs; i++) { // interleaved, so that drift hits both sides alike
            ours.add(layered());
            floor.add(bench.bare().parallel(hello, SERVICES));
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
                ServiceSpec.Builder service = ServiceSpec.builder(name).code(bench.classCode());
                if (layer > 0) {
                    service.dependsOn(name(layer - 1, i), name(layer - 1, (i + 1) % perLayer));
                }
                cluster.service(service);
                keys.add(Timeline.key(name, "running"));
            }
        }
        Timeline timeline = new Timeline();
        try (ServicesManager manager = bench.managerFor(cluster.build(), dir, timeline, null)) {
            long t0 = System.nanoTime();
            manager.start();
            long last = timeline.awaitAll(keys, TIMEOUT);
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
