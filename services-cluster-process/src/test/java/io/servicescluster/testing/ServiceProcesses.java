package io.servicescluster.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.awaitility.Awaitility;

/** The remote JVMs that tests cause: their pids, whether they still live, waiting for them to go. */
public final class ServiceProcesses {

    /** How long a killed or closed process may take to be gone. */
    public static final Duration GONE_WITHIN = Duration.ofSeconds(10);

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
     * The pid that a test service ({@code Idle}, {@code Configurable}, …) wrote to {@code pid} in
     * the work directory of {@code service} under the manager's {@code stateDir}, if it wrote one.
     */
    public static OptionalLong pidFile(Path stateDir, String service) {
        Path file = workDir(stateDir, service).resolve("pid");
        if (!Files.exists(file)) {
            return OptionalLong.empty();
        }
        try {
            String written = Files.readString(file).trim();
            // a service killed while writing leaves the file empty: it wrote no pid
            return written.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(written));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
                .filter(p -> p.info().arguments().map(args -> Arrays.stream(args).anyMatch(markers::contains))
                        .orElse(false))
                .toList();
    }
}
