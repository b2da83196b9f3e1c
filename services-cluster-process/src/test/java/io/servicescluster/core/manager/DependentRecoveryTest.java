package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.configurable;
import static io.servicescluster.testing.TestClusters.idle;
import static io.servicescluster.testing.TestClusters.watchesDependency;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.RestartPolicy;
import io.servicescluster.core.config.RestartPolicy.Policy;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.ServiceProcesses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6 §2: when a crashed service runs again, the dependents that R9 closed start again in
 * dependency order (R6). Chain c -> a -> b; b restarts on failure.
 */
class DependentRecoveryTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final RestartPolicy ON_FAILURE =
            new RestartPolicy(Policy.ON_FAILURE, 3, Duration.ofSeconds(60), Duration.ofMillis(100));

    @TempDir
    Path state;

    @Test
    void chainComesBackInOrderAfterItsDependencyCrashedOnce() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("recovery")
                .service(idle("b").restart(ON_FAILURE))
                .service(idle("a").dependsOn("b"))
                .service(idle("c").dependsOn("a"))
                .build();
        runChain(cluster);
    }

    /**
     * The same, but c closes slowly, so that b is running again before a may begin closing: a
     * must still close (it holds a connection to the dead b) and then start again.
     */
    @Test
    void dependentsCloseEvenWhenTheCrashedServiceRunsAgainFirst() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("recovery")
                .service(idle("b").restart(ON_FAILURE))
                .service(idle("a").dependsOn("b"))
                .service(configurable("c").dependsOn("a").setting("closeMillis", "4000"))
                .build();
        RecordingListener events = runChain(cluster);
        // the case this test is for did happen: b ran again while c was still closing
        assertThat(nth(events, "b", Type.RUNNING, 2)).isLessThan(events.seqOf("c", Type.CLOSED));
    }

    /**
     * A dependent still starting when its dependency crashes fails its start because of it: that
     * is the dependency's doing, so it is not charged to the dependent's own restart policy
     * (here {@code never}) and it starts again once the dependency runs again.
     */
    @Test
    void dependentWhoseStartFailsBecauseItsDependencyCrashedStartsAgainWithIt() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("recovery")
                // unconfined, both: a watches b's process by the pid b wrote, which a confined service
                // could neither see nor write as the host knows it
                .service(idle("b").restart(ON_FAILURE).unconfined(true))
                .service(watchesDependency("a").dependsOn("b").unconfined(true).setting("startMillis", "3000")
                        .setting("pidFile", ServiceProcesses.workDir(state, "b").resolve("pid").toString()))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            // a is inside its start, about to ping b
            await().atMost(TIMEOUT).until(() -> ServiceProcesses.pidFile(state, "a").isPresent());
            long b = manager.status("b").pid().orElseThrow();

            ProcessHandle.of(b).orElseThrow().destroyForcibly();

            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(events.history())
                    .as("%s", events.events().stream().filter(e -> e.type() == Type.FAILED).toList()).contains("a:running"));
            await().atMost(TIMEOUT).until(() -> manager.status().stream().allMatch(s -> s.state() == ServiceState.RUNNING));
            assertThat(events.historyOf("b")).containsExactly("created", "starting", "running", "crashed", "closed",
                    "restarting", "starting", "running");
            assertThat(events.historyOf("a")).containsExactly("created", "starting", "failed", "closed",
                    "starting", "running");
            assertThat(nth(events, "b", Type.RUNNING, 2)).isLessThan(nth(events, "a", Type.STARTING, 2));
            assertThat(events.first("a", Type.FAILED).orElseThrow().detail("reason")).contains("went away");
            assertThat(events.historyOf("a")).doesNotContain("restarting");
            assertThat(manager.status("a").problem()).isEmpty();
        }
        assertThat(ServiceProcesses.remotesOf("a", "b")).isEmpty();
    }

    private RecordingListener runChain(ClusterSpec cluster) throws Exception {
        RecordingListener events = new RecordingListener();
        Map<String, Long> before = new LinkedHashMap<>();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            for (String name : List.of("a", "b", "c")) {
                before.put(name, manager.status(name).pid().orElseThrow());
            }

            ProcessHandle.of(before.get("b")).orElseThrow().destroyForcibly();

            await().atMost(TIMEOUT).until(() -> events.history().stream().filter(h -> h.equals("c:running")).count() == 2);
            await().atMost(TIMEOUT).until(() -> manager.status().stream().allMatch(s -> s.state() == ServiceState.RUNNING));

            assertThat(events.first("b", Type.CRASHED).orElseThrow().detail("reason")).contains("SIGKILL");
            long crashed = events.seqOf("b", Type.CRASHED);
            // R9: deepest dependent first
            assertThat(crashed).isLessThan(events.seqOf("c", Type.CLOSING));
            assertThat(events.seqOf("c", Type.CLOSED)).isLessThan(events.seqOf("a", Type.CLOSING));
            assertThat(events.seqOf("b", Type.RESTARTING)).isGreaterThan(crashed);
            // R6 on the way back: b running, then a starts and runs, then c starts and runs
            long bRunning = nth(events, "b", Type.RUNNING, 2);
            long aStarting = nth(events, "a", Type.STARTING, 2);
            long aRunning = nth(events, "a", Type.RUNNING, 2);
            long cStarting = nth(events, "c", Type.STARTING, 2);
            long cRunning = nth(events, "c", Type.RUNNING, 2);
            assertThat(List.of(bRunning, aStarting, aRunning, cStarting, cRunning)).as(events.history().toString())
                    .isSorted();
            // each dependent was closed before it started again
            assertThat(events.seqOf("a", Type.CLOSED)).isLessThan(aStarting);
            assertThat(events.seqOf("c", Type.CLOSED)).isLessThan(cStarting);
            assertThat(events.historyOf("b")).containsExactly("created", "starting", "running", "crashed", "closed",
                    "restarting", "starting", "running");
            for (String dependent : List.of("a", "c")) {
                assertThat(events.historyOf(dependent)).as(dependent).containsExactly("created",
                        "starting", "running", "closing", "closed", "starting", "running");
            }
            for (String name : List.of("a", "b", "c")) {
                long pid = manager.status(name).pid().orElseThrow();
                assertThat(pid).as("new process of %s", name).isNotEqualTo(before.get(name));
                ServiceProcesses.awaitGone(before.get(name));
            }
        }
        before.values().forEach(pid -> assertThat(ServiceProcesses.alive(pid)).isFalse());
        assertThat(ServiceProcesses.remotesOf("a", "b", "c")).isEmpty();
        return events;
    }

    /** The seq of the {@code n}th (from 1) event of that type for that service. */
    private static long nth(RecordingListener events, String service, Type type, int n) {
        List<ServiceEvent> matching = events.events().stream()
                .filter(e -> e.service().equals(service) && e.type() == type).toList();
        assertThat(matching).as("%s %s in %s", service, type, events.history()).hasSizeGreaterThanOrEqualTo(n);
        return matching.get(n - 1).seq();
    }
}
