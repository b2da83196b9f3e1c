package io.servicescluster.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The whole host's busy CPU time, from {@code /proc/stat}: what a storm of JVMs costs, summed
 * over every process (ours, the remotes, their sandboxes), where wall-clock time on a few CPUs
 * only says how long the queue was.
 */
final class HostCpu {

    /** {@code /proc/stat} counts in USER_HZ, 100 a second on every Linux we run on. */
    private static final long NANOS_PER_TICK = 10_000_000L;
    private static final Path STAT = Path.of("/proc/stat");

    private HostCpu() {
    }

    /**
     * Busy CPU time of all CPUs so far, ns (user, nice, system, irq, softirq; not steal, the time
     * the hypervisor gave others); -1 without {@code /proc}.
     */
    static long busyNanos() {
        try {
            String first = Files.readAllLines(STAT).get(0); // "cpu  user nice system idle iowait irq softirq steal ..."
            String[] fields = first.trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7}) {
                busy += Long.parseLong(fields[i]);
            }
            return busy * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** This JVM's own CPU time so far, ns; -1 where the platform does not say. */
    static long ownNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /**
     * The CPU time so far of process {@code pid} itself (all its threads, ended ones too, and what
     * it ran before its last exec; not its children), ns, from {@code /proc/PID/stat}, if it is a JVM ({@code comm} {@code java}); -1
     * if it is gone, is another program (bubblewrap, while the JVM's own pid is not known yet) or
     * there is no {@code /proc}. Its {@code utime} and {@code stime} are each cut down to a whole
     * tick (10 ms): half a tick each, what that takes on average, is added back, so that a sum
     * over many processes is not 10 ms short for each.
     */
    static long jvmNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            if (!comm(stat).equals("java")) {
                return -1;
            }
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + 1) * NANOS_PER_TICK; // utime, stime
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * The CPU time so far of each thread of process {@code pid}, ns, added into {@code byName} under
     * the thread's name with each run of digits replaced by {@code #} ({@code C# CompilerThre},
     * {@code sc-remote-stats}, …); threads that ended are not among them.
     */
    static void addThreads(long pid, Map<String, Long> byName) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = comm(stat).replaceAll("[0-9]+", "#");
                    // schedstat's first field: the time on a CPU in ns, where stat's ticks round each thread down
                    long nanos = Long.parseLong(Files.readString(task.resolve("schedstat")).trim().split("\\s+")[0]);
                    byName.merge(name, nanos, Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended meanwhile
        }
    }

    /**
     * The command (or thread) name of a {@code /proc} {@code stat} line, "pid (comm) state ppid …";
     * it may hold spaces and parentheses, so the fields after it are counted from its last ')'.
     */
    private static String comm(String stat) {
        return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    }
}
