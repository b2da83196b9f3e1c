package io.servicescluster.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;

/** The remote JVMs that tests cause: their pids, whether they still live, waiting for them to go. */
public final class ServiceProcesses {

    /** How long a killed or closed process may take to be gone. */
    public static final Duration GONE_WITHIN = Duration.ofSeconds(10);

    /** A pid no process has: above the kernel's largest pid_max (2^22). */
    private static final long NO_PROCESS = Integer.MAX_VALUE;
    /** Translations found while the process lived, by work directory and inner pid. */
    private static final Map<String, Long> TRANSLATED = new ConcurrentHashMap<>();

    private ServiceProcesses() {
    }

    /** Whether a process with that pid exists and has not ended (a zombie counts as ended). */
    public static boolean alive(long pid) {
        return !Processes.gone(pid);
    }

    /** Waits until the process with that pid has ended. */
    public static void awaitGone(long pid) {
        Awaitility.await("process " + pid + " ends").atMost(GONE_WITHIN).until(() -> Processes.gone(pid));
    }

    /**
     * The pid, as this host sees it, of the test service ({@code Idle}, {@code Configurable}, …)
     * that wrote its pid to {@code pid} in the work directory of {@code service} under the
     * manager's {@code stateDir}, if it wrote one. A confined service writes its pid in its own pid
     * namespace: that is translated to the host's through {@link #hostPid}.
     */
    public static OptionalLong pidFile(Path stateDir, String service) {
        Path file = workDir(stateDir, service).resolve("pid");
        if (!Files.exists(file)) {
            return OptionalLong.empty();
        }
        try {
            String written = Files.readString(file).trim();
            // a service killed while writing leaves the file empty: it wrote no pid
            return written.isEmpty() ? OptionalLong.empty()
                    : OptionalLong.of(hostPid(Long.parseLong(written), workDir(stateDir, service)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The host pid of the process that is {@code innerPid} in a pid namespace of its own and works
     * in {@code workDir} (a confined service's JVM: {@code NSpid} in its status, its current
     * folder); {@code innerPid} itself when there is none such (an unconfined service).
     */
    static long hostPid(long innerPid, Path workDir) {
        if (cwd(innerPid).filter(workDir::equals).isPresent()) {
            return innerPid; // an unconfined service: the pid it sees is the host's
        }
        // once the process is gone the translation is impossible: the last one found, else a pid
        // that no process has (beyond any pid_max), which is as gone as the service
        long found = ProcessHandle.allProcesses().mapToLong(ProcessHandle::pid).filter(pid -> {
            try {
                String nsPid = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                        .filter(l -> l.startsWith("NSpid:")).findFirst().orElse("");
                String[] pids = nsPid.substring(nsPid.indexOf(':') + 1).trim().split("\\s+");
                return pids.length > 1 && pids[pids.length - 1].equals(Long.toString(innerPid))
                        && cwd(pid).filter(workDir::equals).isPresent();
            } catch (IOException | RuntimeException e) {
                return false; // gone, or not ours to read
            }
        }).findFirst().orElse(-1);
        String key = workDir + " " + innerPid;
        if (found > 0) {
            TRANSLATED.put(key, found);
            return found;
        }
        return TRANSLATED.getOrDefault(key, NO_PROCESS);
    }

    private static Optional<Path> cwd(long pid) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The work directory of {@code service} under a manager's {@code stateDir}. */
    public static Path workDir(Path stateDir, String service) {
        return stateDir.resolve("work").resolve(service);
    }

    /**
     * The live remote JVMs, children of this test JVM, that run one of {@code services} (found by
     * the {@code -Dservicescluster.service=NAME} option of their command line).
     */
    public static List<ProcessHandle> remotesOf(String... services) {
        Set<String> markers = Set.copyOf(Arrays.stream(services).map(s -> "-Dservicescluster.service=" + s).toList());
        return ProcessHandle.current().descendants()
                .filter(p -> !Processes.gone(p.pid()))
                // the JVM, not the bubblewrap processes around a confined one (their command line holds its own)
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(true))
                .filter(p -> p.info().arguments().map(args -> Arrays.stream(args).anyMatch(markers::contains))
                        .orElse(false))
                .toList();
    }
}
