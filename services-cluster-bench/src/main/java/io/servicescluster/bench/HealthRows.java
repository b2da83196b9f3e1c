package io.servicescluster.bench;

import io.servicescluster.bench.services.Checked;
import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.HealthSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ServicesManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Issue 13's health benchmark (R16): (h) from a health endpoint turning bad to {@code crashed},
 * against {@code interval × retries}; (h') the manager's CPU for 100 services checked every
 * second, against the same services without checks.
 */
final class HealthRows {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Duration INTERVAL = Duration.ofMillis(200);
    private static final int RETRIES = 3;
    private static final Duration CPU_WINDOW = Duration.ofSeconds(10);

    private final Bench bench;
    private final boolean quick;

    HealthRows(Bench bench, boolean quick) {
        this.bench = bench;
        this.quick = quick;
    }

    /** The two rows, added to {@code table}. */
    void run(ResultTable table, List<String> notes) throws Exception {
        int runs = quick ? 3 : 7;
        System.out.print("(h) health endpoint turns bad -> crashed: runs");
        List<Long> detection = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            detection.add(detectOnce());
            System.out.print(".");
        }
        System.out.println();
        long budget = INTERVAL.multipliedBy(RETRIES).toNanos();
        table.add(new ResultTable.Row("(h) health turns bad -> crashed (" + RETRIES + " x " + INTERVAL.toMillis() + " ms)",
                Sample.of(detection), "interval x retries", new Sample(new long[] {budget}),
                (budget + INTERVAL.toNanos()) / 1e6, false));

        int n = quick ? 30 : 100;
        System.out.print("(h') manager CPU, " + n + " services checked every second: ");
        double with = managerCpuPercent(n, true);
        double without = managerCpuPercent(n, false);
        System.out.println("done");
        notes.add(String.format(Locale.ROOT, "(h') manager CPU over %d s with %d services: %.2f %% of one core with a"
                + " health check each per second, %.2f %% without: the checks cost %.2f %% (target < 5 %%)",
                CPU_WINDOW.toSeconds(), n, with, without, with - without));
        // issue 14's row: heartbeats and resource samples of idle services, and nothing else
        notes.add(String.format(Locale.ROOT, "(i) manager CPU with %d idle services: %.2f %% of one core (target < 3 %%:"
                + " %s)", n, without, without < 3 ? "met" : "NOT met"));
    }

    /** Nanoseconds from deleting the ready file to the {@code crashed} event. */
    private long detectOnce() throws Exception {
        Path dir = bench.runFolder();
        int port = freePort();
        Path ready = dir.resolve("state/work/web/ready");
        Files.createDirectories(ready.getParent());
        Files.createFile(ready);
        ClusterSpec spec = ClusterSpec.builder("bench-health").baseDir(dir)
                .service(ServiceSpec.builder("web").code(CodeSpec.ofClass(Checked.class.getName(), bench.payload()))
                        .setting("httpPort", Integer.toString(port))
                        .health(new HealthSpec(Optional.of(new HealthSpec.Http(URI.create("http://127.0.0.1:" + port
                                + "/health"))), INTERVAL, Duration.ofSeconds(1), RETRIES, Duration.ZERO)))
                .build();
        Timeline timeline = new Timeline();
        try (ServicesManager manager = bench.managerFor(spec, dir, timeline, null)) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            bench.notePids(manager);
            long t0 = System.nanoTime();
            Files.delete(ready);
            return timeline.awaitAll(List.of(Timeline.key("web", "crashed")), TIMEOUT) - t0;
        }
    }

    /** The manager's (this JVM's) CPU over {@link #CPU_WINDOW} once {@code n} services run, in % of one core. */
    private double managerCpuPercent(int n, boolean checked) throws Exception {
        Path dir = bench.runFolder();
        ClusterSpec.Builder cluster = ClusterSpec.builder("bench-checked").baseDir(dir);
        for (int i = 1; i <= n; i++) {
            String name = String.format(Locale.ROOT, "s%03d", i);
            Files.createDirectories(dir.resolve("state/work").resolve(name));
            Files.writeString(dir.resolve("state/work").resolve(name).resolve("ready"), "");
            ServiceSpec.Builder service = ServiceSpec.builder(name)
                    .code(CodeSpec.ofClass(Checked.class.getName(), bench.payload())).setting("ownCheck", "true");
            if (checked) {
                service.health(new HealthSpec(Optional.empty(), Duration.ofSeconds(1), Duration.ofSeconds(1), 3,
                        Duration.ZERO));
            } else {
                service.setting("ownCheck", "false");
            }
            cluster.service(service);
        }
        try (ServicesManager manager = bench.managerFor(cluster.build(), dir, new Timeline(), null)) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            bench.notePids(manager);
            Thread.sleep(2_000); // let the start-up's own work settle before measuring
            long cpu0 = cpuNanos();
            long t0 = System.nanoTime();
            Thread.sleep(CPU_WINDOW.toMillis()); // a window of time is what is measured
            return 100.0 * (cpuNanos() - cpu0) / (System.nanoTime() - t0);
        }
    }

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
