package io.servicescluster.remote;

import io.servicescluster.protocol.ControlMessage.Stats;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Sends a {@link Stats} sample every interval: process CPU time and the share of one core used
 * over the last interval, heap in use and heap limit, and the resident set size from
 * {@code /proc/self/status} (0 where that file does not exist). Uses no JMX: loading it would
 * cost more than the sampling. The first sample counts the CPU of the JVM's own start-up into its
 * interval, a slight overestimate that saves work while the service starts.
 *
 * <p>Threading: runs on its own platform daemon thread; samples are {@link Outbox#offer offered}
 * without waiting, so a lagging controller loses samples, never time.
 */
final class StatsSampler implements Runnable {

    private static final Path STATUS = Path.of("/proc/self/status");

    private final Outbox outbox;
    private final long intervalMillis;
    private final long startNanos;
    private boolean rssReadable = true;

    /** @param startNanos when {@code main} began: the first interval runs from there, CPU from zero */
    StatsSampler(Outbox outbox, long intervalMillis, long startNanos) {
        this.outbox = outbox;
        this.intervalMillis = intervalMillis;
        this.startNanos = startNanos;
    }

    @Override
    public void run() {
        long previousCpu = 0; // nothing measured before the first sleep: the start path keeps the CPU
        long previousWall = startNanos;
        try {
            for (;;) {
                Thread.sleep(intervalMillis);
                long cpu = cpuTimeNanos();
                long wall = System.nanoTime();
                double percent = wall > previousWall ? (cpu - previousCpu) * 100.0 / (wall - previousWall) : 0;
                Runtime heap = Runtime.getRuntime();
                long total = heap.totalMemory();
                outbox.offer(new Stats(cpu, Math.max(0, percent), total - heap.freeMemory(), heap.maxMemory(), rssBytes()),
                        false);
                previousCpu = cpu;
                previousWall = wall;
            }
        } catch (InterruptedException e) {
            // the process is ending
        }
    }

    /** CPU time of the whole process (all threads, user and system), in nanoseconds; 0 if unknown. */
    static long cpuTimeNanos() {
        Optional<Duration> cpu = ProcessHandle.current().info().totalCpuDuration();
        return cpu.isPresent() ? cpu.get().toNanos() : 0;
    }

    /** VmRSS from /proc/self/status in bytes, or 0 where unavailable. */
    long rssBytes() {
        if (!rssReadable) {
            return 0;
        }
        try (BufferedReader in = Files.newBufferedReader(STATUS, StandardCharsets.US_ASCII)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("VmRSS:")) {
                    return parseKilobytes(line.substring("VmRSS:".length())) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            rssReadable = false;
        }
        return 0;
    }

    private static long parseKilobytes(String field) {
        String value = field.trim();
        int space = value.indexOf(' ');
        return Long.parseLong(space < 0 ? value : value.substring(0, space));
    }
}
