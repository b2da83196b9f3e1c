package io.servicescluster.remote;

import io.servicescluster.protocol.ControlMessage.Stats;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * <p>The CPU time is read from {@code /proc/self/stat}, not from {@code ProcessHandle.Info}: the
 * first {@code ProcessHandle.current().info()} of a JVM costs 10–14 ms of CPU (it also reads the
 * command line and resolves the user's name through NSS), which every remote paid about a second
 * after its start, while a cluster's other JVMs were still booting on the same CPUs. Where there is
 * no {@code /proc} (not Linux), {@code ProcessHandle} gives the same figure.
 *
 * <p>Threading: runs on its own platform daemon thread; samples are {@link Outbox#offer offered}
 * without waiting, so a lagging controller loses samples, never time.
 */
final class StatsSampler implements Runnable {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path STAT = Path.of("/proc/self/stat");
    /**
     * Nanoseconds per clock tick of {@code /proc/PID/stat}'s times: the kernel's {@code USER_HZ},
     * 100 on every Linux architecture a JDK runs on (the JDK's {@code ProcessHandle} asks
     * {@code sysconf(_SC_CLK_TCK)}, which Java cannot without native code).
     */
    private static final long NANOS_PER_TICK = 10_000_000;
    /** {@code utime}, fields 14, counted from field 3, the first after the command's parenthesis. */
    private static final int UTIME_AFTER_COMMAND = 14 - 3;

    private final Outbox outbox;
    private final long intervalMillis;
    private final long startNanos;
    private boolean rssReadable = true;
    /** Where the CPU time is read; null once it could not be, and {@code ProcessHandle} is asked instead. */
    private Path stat;

    /** @param startNanos when {@code main} began: the first interval runs from there, CPU from zero */
    StatsSampler(Outbox outbox, long intervalMillis, long startNanos) {
        this(outbox, intervalMillis, startNanos, STAT);
    }

    /** @param stat this process's {@code /proc/PID/stat}: the source of the CPU time while it can be read */
    StatsSampler(Outbox outbox, long intervalMillis, long startNanos, Path stat) {
        this.outbox = outbox;
        this.intervalMillis = intervalMillis;
        this.startNanos = startNanos;
        this.stat = stat;
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

    /**
     * CPU time of the whole process (all threads, user and system), in nanoseconds, from the stat
     * file while it can be read, else from {@code ProcessHandle}; 0 if unknown.
     */
    long cpuTimeNanos() {
        if (stat != null) {
            long cpu = statCpuNanos(stat);
            if (cpu >= 0) {
                return cpu;
            }
            stat = null; // no /proc: ask ProcessHandle from now on
        }
        return processHandleCpuNanos();
    }

    /**
     * {@code utime + stime} of a {@code /proc/PID/stat} file in nanoseconds (what {@code
     * ProcessHandle.Info.totalCpuDuration()} reports on Linux), or -1 if it cannot be read or parsed.
     */
    static long statCpuNanos(Path stat) {
        try {
            String line = readProcFile(stat);
            // the command (field 2) is in parentheses and may hold spaces and parentheses itself
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[UTIME_AFTER_COMMAND]) + Long.parseLong(fields[UTIME_AFTER_COMMAND + 1]))
                    * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The process's CPU time as {@code ProcessHandle} reports it, in nanoseconds; 0 if unknown. */
    static long processHandleCpuNanos() {
        Optional<Duration> cpu = ProcessHandle.current().info().totalCpuDuration();
        return cpu.isPresent() ? cpu.get().toNanos() : 0;
    }

    /** VmRSS from /proc/self/status in bytes, or 0 where unavailable. */
    long rssBytes() {
        if (!rssReadable) {
            return 0;
        }
        try {
            String status = readProcFile(STATUS);
            int at = status.indexOf("VmRSS:");
            if (at < 0) {
                return 0;
            }
            int end = status.indexOf('\n', at);
            return parseKilobytes(status.substring(at + "VmRSS:".length(), end < 0 ? status.length() : end)) * 1024;
        } catch (IOException | RuntimeException e) {
            rssReadable = false;
        }
        return 0;
    }

    /**
     * A small {@code /proc} file, whole, through {@code java.io}: {@code Files} would open a NIO file
     * channel, ~40 classes and the JDK's NIO library more on every remote's first sample (a remote
     * with dependents has them anyway, for its data socket; one without does not need them).
     * Latin-1 decodes any byte of a command name.
     */
    private static String readProcFile(Path file) throws IOException {
        try (FileInputStream in = new FileInputStream(file.toString())) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static long parseKilobytes(String field) {
        String value = field.trim();
        int space = value.indexOf(' ');
        return Long.parseLong(space < 0 ? value : value.substring(0, space));
    }
}
