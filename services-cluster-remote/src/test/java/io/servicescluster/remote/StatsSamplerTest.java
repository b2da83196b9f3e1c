package io.servicescluster.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a sample's CPU time comes from: {@code /proc/self/stat}, else {@code ProcessHandle}. */
class StatsSamplerTest {

    /** One clock tick of {@code /proc/PID/stat}: the coarsest the two figures may differ by, each way. */
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final Path PROC_SELF_STAT = Path.of("/proc/self/stat");

    @TempDir
    Path dir;

    @Test
    void cpuTimeFromProcSelfStatAgreesWithTheProcessHandles() {
        assumeTrue(Files.isReadable(PROC_SELF_STAT), "no /proc here");
        burnCpu(TimeUnit.MILLISECONDS.toNanos(200));
        long before = StatsSampler.processHandleCpuNanos();
        long fromStat = StatsSampler.statCpuNanos(PROC_SELF_STAT);
        long after = StatsSampler.processHandleCpuNanos();
        assertThat(before).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(200));
        assertThat(fromStat).isBetween(before - TICK_NANOS, after + TICK_NANOS);
        assertThat(new StatsSampler(null, 1000, 0).cpuTimeNanos()).isGreaterThanOrEqualTo(fromStat - TICK_NANOS);
    }

    @Test
    void utimeAndStimeAreFoundAfterACommandWithSpacesAndParentheses() throws Exception {
        Path stat = dir.resolve("stat");
        // fields 14 and 15 (utime, stime) are 250 and 30 ticks; the command is "a) (b c"
        Files.writeString(stat, "4242 (a) (b c) S 1 4242 4242 0 -1 4194560 900 0 0 0 250 30 0 0 20 0 12 0 7\n",
                StandardCharsets.ISO_8859_1);
        assertThat(StatsSampler.statCpuNanos(stat)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(2_800));
    }

    @Test
    void anUnreadableOrMalformedStatFileIsNotACpuTime() throws Exception {
        Path truncated = dir.resolve("truncated");
        Files.writeString(truncated, "4242 (java) S 1 4242", StandardCharsets.ISO_8859_1);
        assertThat(StatsSampler.statCpuNanos(truncated)).isEqualTo(-1);
        assertThat(StatsSampler.statCpuNanos(dir.resolve("missing"))).isEqualTo(-1);
    }

    @Test
    void theResidentSetSizeIsReadFromProcSelfStatus() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "no /proc here");
        long heapUsed = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertThat(new StatsSampler(null, 1000, 0).rssBytes()).isGreaterThan(heapUsed / 4)
                .isGreaterThan(1024 * 1024);
    }

    @Test
    void withoutProcTheSamplerAsksTheProcessHandle() {
        StatsSampler sampler = new StatsSampler(null, 1000, 0, dir.resolve("missing"));
        burnCpu(TimeUnit.MILLISECONDS.toNanos(50));
        long before = StatsSampler.processHandleCpuNanos();
        long sampled = sampler.cpuTimeNanos();
        assertThat(sampled).isGreaterThanOrEqualTo(before).isLessThanOrEqualTo(StatsSampler.processHandleCpuNanos());
        assertThat(sampler.cpuTimeNanos()).isGreaterThanOrEqualTo(sampled); // and again: the stat file is not retried
    }

    /** Spins this thread until it has used {@code nanos} of CPU (by its own clock, so a busy host only slows it). */
    private static void burnCpu(long nanos) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        long sink = 0;
        while (threads.getCurrentThreadCpuTime() - start < nanos) {
            for (int i = 0; i < 10_000; i++) {
                sink += i * 31L ^ sink;
            }
        }
        assertThat(sink).isNotEqualTo(42); // keeps the loop from being removed
    }
}
