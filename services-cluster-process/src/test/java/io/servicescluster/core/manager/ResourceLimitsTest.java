package io.servicescluster.core.manager;

import static io.servicescluster.testing.Sandboxes.probe;
import static io.servicescluster.testing.TestClusters.idle;
import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.Resources;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.Sandboxes;
import io.servicescluster.testing.ServiceProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R15 resource limits through real cgroups: a service that allocates past its memory limit
 * crashes with reason {@code out of memory} (whether the JVM or the kernel stops it) and its
 * dependents close in R9 order; a busy service gets no more CPU than its quota.
 */
class ResourceLimitsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Path CGROUPS = Path.of("/sys/fs/cgroup");

    @TempDir
    Path state;

    @BeforeEach
    void needsCgroups() {
        Sandboxes.requireCgroups();
    }

    @Test
    void aServiceThatOutgrowsItsHeapCrashesOutOfMemoryAndItsDependentsCloseFirst() throws Exception {
        RecordingListener events = runOutOfMemory("heap");
        assertThat(events.first("hog", Type.CRASHED).orElseThrow().details()).containsEntry("exitCode", 3);
    }

    @Test
    void aServiceThatOutgrowsItsCgroupIsKilledByTheKernelAndReportedOutOfMemory() throws Exception {
        RecordingListener events = runOutOfMemory("native");
        assertThat(events.first("hog", Type.CRASHED).orElseThrow().details()).containsEntry("exitCode", 137);
    }

    /** hog (128m) <- a <- c: hog allocates {@code kind} memory until it is stopped. */
    private RecordingListener runOutOfMemory(String kind) throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("hungry")
                .service(probe("hog").setting("allocate", kind)
                        .resources(new Resources(OptionalLong.of(128L << 20), OptionalDouble.empty())))
                .service(idle("a").dependsOn("hog"))
                .service(idle("c").dependsOn("a"))
                .build();
        RecordingListener events = new RecordingListener();
        Path group;
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            long pid = manager.status("hog").pid().orElseThrow();
            group = CGROUPS.resolve("memory").resolve("services-cluster").resolve(manager.runDirectory().getFileName());
            Path cgroup = group.resolve("hog");
            assertThat(cgroup.resolve("memory.limit_in_bytes")).hasContent(Long.toString(128L << 20));
            assertThat(Files.readAllLines(cgroup.resolve("cgroup.procs"))).contains(Long.toString(pid));
            assertThat(manager.status("hog").restrictions()).containsExactly("memory: 128m");
            Files.writeString(ServiceProcesses.workDir(state, "hog").resolve("go"), "");

            ServiceEvent crashed = events.await("hog", Type.CRASHED, TIMEOUT);
            List<String> allocated = events.lines("hog", OutputStream.STDOUT).stream()
                    .filter(l -> l.startsWith("allocated")).toList();
            System.out.println(kind + ": hog " + crashed.details() + " after " + allocated.getLast()
                    + "; cgroup peak " + (Long.parseLong(Files.readString(cgroup.resolve("memory.max_usage_in_bytes"))
                    .trim()) >> 20) + " MiB, oom_control " + Files.readString(cgroup.resolve("memory.oom_control"))
                    .replace('\n', ' '));
            assertThat(crashed.detail("reason")).isEqualTo("out of memory");
            events.await("a", Type.CLOSED, TIMEOUT);
            assertThat(events.seqOf("c", Type.CLOSED)).as("R9: %s", events.history())
                    .isLessThan(events.seqOf("a", Type.CLOSING));
            assertThat(events.historyOf("a")).doesNotContain("crashed");
        }
        assertThat(group).as("the cgroup is removed with the container").doesNotExist();
        return events;
    }

    @Test
    void aBusyServiceGetsNoMoreThanItsCpuQuota() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("busy")
                .service(probe("spinner").setting("spin", "2")
                        .resources(new Resources(OptionalLong.empty(), OptionalDouble.of(0.5))))
                .build();
        Path group;
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            group = CGROUPS.resolve("cpu").resolve("services-cluster").resolve(manager.runDirectory().getFileName());
            Path cgroup = group.resolve("spinner");
            assertThat(cgroup.resolve("cpu.cfs_quota_us")).hasContent("50000");
            ResourceStats first = awaitStats(manager, null);
            ResourceStats last = awaitStats(manager, first.at().plusSeconds(3));
            double seconds = Duration.between(first.at(), last.at()).toNanos() / 1e9;
            double cores = (last.cpuTimeNanos() - first.cpuTimeNanos()) / 1e9 / seconds;
            String throttled = Files.readString(cgroup.resolve("cpu.stat")).replace('\n', ' ');
            System.out.printf("cpus 0.5, 2 busy threads: %.3f cores over %.1f s; %s%n", cores, seconds, throttled);
            // never over its quota; and busy enough that the bound means something (on a loaded
            // machine two spinning threads may get well under half a core)
            assertThat(cores).isBetween(0.15, 0.6);
            assertThat(manager.status("spinner").restrictions()).containsExactly("cpus: 0.5");
        }
        assertThat(group).doesNotExist();
    }

    /**
     * The launch shell joins the cgroup before it becomes the service (v1: by writing {@code 0},
     * itself, to {@code tasks}): the JVM, confined or not, is in its service's pids cgroup — the
     * default process limit's — and so is what it starts.
     */
    @Test
    void theJvmConfinedOrNotIsInItsServicesCgroupFromItsStart() throws Exception {
        Sandboxes.requirePidsCgroup();
        ClusterSpec cluster = ClusterSpec.builder("joined").service(idle("confined"))
                .service(idle("open").unconfined(true)).build();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            boolean v2 = Files.exists(CGROUPS.resolve("cgroup.controllers"));
            Path group = (v2 ? CGROUPS : CGROUPS.resolve("pids")).resolve("services-cluster")
                    .resolve(manager.runDirectory().getFileName());
            for (String service : List.of("confined", "open")) {
                long pid = manager.status(service).pid().orElseThrow();
                assertThat(group.resolve(service).resolve("pids.max")).hasContent(Long.toString(Resources.DEFAULT_PIDS));
                assertThat(Files.readAllLines(group.resolve(service).resolve("cgroup.procs")))
                        .as(service).contains(Long.toString(pid));
                assertThat(Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup")))
                        .as(service).anyMatch(l -> l.matches("\\d+:" + (v2 ? "" : "pids") + ":/services-cluster/"
                                + manager.runDirectory().getFileName() + "/" + service));
            }
        }
    }

    /** The first stats sample received after {@code after} (any sample if null). */
    private static ResourceStats awaitStats(ServicesManager manager, java.time.Instant after) throws IOException {
        return Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50))
                .until(() -> manager.status("spinner").stats().orElse(null),
                        s -> s != null && (after == null || !s.at().isBefore(after)));
    }
}
