package io.servicescluster.bench;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.RestartPolicy;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ClusterListener;
import io.servicescluster.core.manager.ServiceEvent;
import io.servicescluster.core.manager.ServicesManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Issue 14's warm pool: (f) a running service's JVM is killed (SIGKILL), its restart policy
 * (backoff 0) starts it again; from the kill to {@code running} again, with a spare in the pool
 * ({@code defaults.pool: 1}) and without one, against a bare {@code java Hello} (what a restart
 * without the pool pays at least).
 */
final class PoolRows {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final RestartPolicy AT_ONCE =
            new RestartPolicy(RestartPolicy.Policy.ON_FAILURE, 100, Duration.ofSeconds(60), Duration.ZERO);

    private final Bench bench;
    private final boolean quick;

    PoolRows(Bench bench, boolean quick) {
        this.bench = bench;
        this.quick = quick;
    }

    void run(ResultTable table, List<String> notes) throws Exception {
        int runs = quick ? 5 : 15;
        List<String> hello = bench.bare().command(List.of());
        System.out.print("(f) crash -> restarted -> running: warm-up");
        for (int i = 0; i < 2; i++) {
            restart(1, null);
            restart(0, null);
            bench.bare().once(hello);
            System.out.print(".");
        }
        List<Long> pooled = new ArrayList<>();
        List<Long> unpooled = new ArrayList<>();
        List<Long> floor = new ArrayList<>();
        long[][] parts = new long[runs][];
        System.out.print(" runs");
        for (int i = 0; i < runs; i++) { // interleaved, so that drift hits every side alike
            parts[i] = new long[3];
            pooled.add(restart(1, parts[i]));
            unpooled.add(restart(0, null));
            floor.add(bench.bare().once(hello));
            System.out.print(".");
        }
        System.out.println();
        table.add(new ResultTable.Row("(f) kill -9 -> restarted -> running, pool 1", Sample.of(pooled),
                "java Hello", Sample.of(floor), 0.3, true));
        table.add(new ResultTable.Row("    same without the pool (pool 0)", Sample.of(unpooled),
                "java Hello", Sample.of(floor), Double.NaN, true));
        notes.add(String.format(Locale.ROOT, "(f) with the pool, medians from the kill: crashed %.1f ms, starting "
                + "%.1f ms, running %.1f ms", median(parts, 0), median(parts, 1), median(parts, 2)));
    }

    private static double median(long[][] parts, int index) {
        long[] column = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            column[i] = parts[i][index];
        }
        return new Sample(column).medianMs();
    }

    /**
     * One cluster of one service with a pool of {@code pool}: once it runs (and its spare is
     * ready, if any), its JVM is killed; nanoseconds from the kill to its second {@code running}.
     * {@code parts}, if given: kill to crashed, to starting, to running.
     */
    private long restart(int pool, long[] parts) throws Exception {
        Path dir = bench.runFolder();
        ClusterSpec spec = ClusterSpec.builder("bench-pool").baseDir(dir).pool(pool)
                .service(ServiceSpec.builder("w").code(bench.classCode()).restart(AT_ONCE))
                .build();
        Restarts restarts = new Restarts();
        try (ServicesManager manager = bench.builderFor(spec, dir, new Timeline(), null).listener(restarts).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            bench.notePids(manager);
            if (pool > 0) { // the spare is ready once it reported its memory (its first sample)
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                while (manager.status("w").readyRssBytes() == 0) {
                    if (System.nanoTime() > deadline) {
                        throw new TimeoutException("no spare within " + TIMEOUT);
                    }
                    Thread.sleep(20); // polled: the manager tells of no spare by an event
                }
            }
            ProcessHandle running = ProcessHandle.of(manager.status("w").pid().orElseThrow()).orElseThrow();
            long t0 = System.nanoTime();
            running.destroyForcibly();
            long again = restarts.awaitSecondRunning(TIMEOUT);
            bench.notePids(manager);
            if (parts != null) {
                parts[0] = restarts.crashed - t0;
                parts[1] = restarts.secondStarting - t0;
                parts[2] = again - t0;
            }
            return again - t0;
        }
    }

    /** The times of the events of one restart. */
    private static final class Restarts implements ClusterListener {
        private int running;
        private long crashed;
        private long secondStarting;
        private long secondRunning;
        private int starting;

        @Override
        public synchronized void onEvent(ServiceEvent event) {
            long now = System.nanoTime();
            switch (event.type()) {
                case CRASHED -> crashed = now;
                case STARTING -> {
                    if (++starting == 2) {
                        secondStarting = now;
                    }
                }
                case RUNNING -> {
                    if (++running == 2) {
                        secondRunning = now;
                        notifyAll();
                    }
                }
                default -> { }
            }
        }

        synchronized long awaitSecondRunning(Duration timeout) throws InterruptedException, TimeoutException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (running < 2) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("not running again within " + timeout);
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return secondRunning;
        }
    }
}
