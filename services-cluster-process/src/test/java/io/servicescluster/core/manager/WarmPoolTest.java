package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.configurable;
import static io.servicescluster.testing.TestClusters.idle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.RestartPolicy;
import io.servicescluster.core.container.ScratchFolder;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.ServiceProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, item 3, with real processes: the warm pool ({@code defaults.pool}) keeps a spare
 * remote beside a running service; its restart takes the spare instead of starting a JVM. R10
 * still holds — each start's remote is one no start used before — and the spare's memory shows in
 * the status.
 */
class WarmPoolTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final RestartPolicy AT_ONCE =
            new RestartPolicy(RestartPolicy.Policy.ON_FAILURE, 10, Duration.ofSeconds(60), Duration.ZERO);

    @TempDir
    Path state;

    /** The spare of {@code service}: its remote JVM that is not the current start's. */
    private static Optional<ProcessHandle> spareOf(ServicesManager manager, String service) {
        long current = manager.status(service).pid().orElse(-1);
        return ServiceProcesses.remotesOf(service).stream().filter(p -> p.pid() != current).findFirst();
    }

    @Test
    void aRestartTakesTheSpareAndEveryStartGetsARemoteNoStartUsedBefore() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("pool").pool(1)
                .service(configurable("worker").restart(AT_ONCE))
                .build();
        RecordingListener events = new RecordingListener();
        Set<Long> used = new HashSet<>();
        List<ProcessHandle> all = new ArrayList<>();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build()) {
            manager.start();
            manager.awaitRunning(WAIT);
            for (int round = 1; round <= 3; round++) {
                ProcessHandle running = ProcessHandle.of(manager.status("worker").pid().orElseThrow()).orElseThrow();
                assertThat(used.add(running.pid())).as("start %d's remote served an earlier start", round).isTrue();
                ProcessHandle spare = await().atMost(WAIT).until(() -> spareOf(manager, "worker"), Optional::isPresent)
                        .orElseThrow();
                all.add(running);
                all.add(spare);
                // its memory counts: svc ps shows it beside the current remote's
                await().atMost(WAIT).until(() -> manager.status("worker").readyRssBytes() > 0);
                // what the crashed start left in its scratch folder is gone when the spare starts
                Path scratch = ServiceProcesses.workDir(state, "worker").resolve(ScratchFolder.NAME);
                Files.writeString(scratch.resolve("left-by-" + round), "x");

                running.destroyForcibly(); // a crash: the policy restarts it at once
                int restarted = round + 1;
                await().atMost(WAIT).until(() -> events.historyOf("worker").stream().filter("running"::equals).count()
                        == restarted);
                // the restart took the spare: no JVM was started for it
                assertThat(manager.status("worker").pid()).hasValue(spare.pid());
                assertThat(scratch.resolve("left-by-" + round)).doesNotExist();
            }
            assertThat(events.historyOf("worker")).containsSubsequence("running", "crashed", "starting", "running",
                    "crashed", "starting", "running", "crashed", "starting", "running");
        }
        // the close ends the spare as well as the current remote
        all.forEach(p -> await().atMost(ServiceProcesses.GONE_WITHIN).until(() -> !p.isAlive()));
        assertThat(ServiceProcesses.remotesOf("worker")).isEmpty();
    }

    @Test
    void theSparesGoFirstToServicesThatRestartThenToTheirDependents() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("order").pool(2)
                .service(idle("plain"))
                .service(configurable("flaky").restart(AT_ONCE))
                .service(idle("follower").dependsOn("flaky"))
                .build();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).build()) {
            manager.start();
            manager.awaitRunning(WAIT);
            await().atMost(WAIT).until(() -> spareOf(manager, "flaky").isPresent() && spareOf(manager, "follower")
                    .isPresent());
            // the pool is full: declared first, 'plain' neither restarts nor depends on one that does
            assertThat(ServiceProcesses.remotesOf("plain")).hasSize(1);

            // R9 closes the follower and brings it back with flaky: both start on their spares
            long flakySpare = spareOf(manager, "flaky").orElseThrow().pid();
            long followerSpare = spareOf(manager, "follower").orElseThrow().pid();
            ProcessHandle.of(manager.status("flaky").pid().orElseThrow()).orElseThrow().destroyForcibly();
            await().atMost(WAIT).until(() -> manager.status("follower").starts() == 2
                    && manager.status("follower").state() == ServiceState.RUNNING);
            assertThat(manager.status("flaky").pid()).hasValue(flakySpare);
            assertThat(manager.status("follower").pid()).hasValue(followerSpare);
        }
        assertThat(ServiceProcesses.remotesOf("plain", "flaky", "follower")).isEmpty();
    }

    /**
     * R9 down a chain: when 'root' crashes, 'leaf' closes first and waits while 'mid' closes. A
     * dependency that closes to start again (R9, or {@code svc restart}) is one the leaf will
     * start after: its spare is kept through that close, and its restart takes it.
     */
    @Test
    void aDependentKeepsItsSpareWhileItsDependencyClosesToStartAgain() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("chain").pool(3)
                .service(configurable("root").restart(AT_ONCE))
                .service(idle("mid").dependsOn("root"))
                .service(idle("leaf").dependsOn("mid"))
                .build();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).build()) {
            manager.start();
            manager.awaitRunning(WAIT);
            await().atMost(WAIT).until(() -> spareOf(manager, "root").isPresent() && spareOf(manager, "mid").isPresent()
                    && spareOf(manager, "leaf").isPresent());
            long midSpare = spareOf(manager, "mid").orElseThrow().pid();
            long leafSpare = spareOf(manager, "leaf").orElseThrow().pid();

            ProcessHandle.of(manager.status("root").pid().orElseThrow()).orElseThrow().destroyForcibly();
            await().atMost(WAIT).until(() -> manager.status("leaf").starts() == 2
                    && manager.status("leaf").state() == ServiceState.RUNNING);
            assertThat(manager.status("mid").pid()).hasValue(midSpare);
            assertThat(manager.status("leaf").pid()).as("leaf restarted on its spare").hasValue(leafSpare);

            // the same for a restart asked for: leaf closes, then mid, and both come back on spares
            await().atMost(WAIT).until(() -> spareOf(manager, "mid").isPresent() && spareOf(manager, "leaf").isPresent());
            long midSpare2 = spareOf(manager, "mid").orElseThrow().pid();
            long leafSpare2 = spareOf(manager, "leaf").orElseThrow().pid();
            manager.restart("mid");
            await().atMost(WAIT).until(() -> manager.status("leaf").starts() == 3
                    && manager.status("leaf").state() == ServiceState.RUNNING);
            assertThat(manager.status("mid").pid()).hasValue(midSpare2);
            assertThat(manager.status("leaf").pid()).as("leaf restarted on its spare").hasValue(leafSpare2);
        }
        assertThat(ServiceProcesses.remotesOf("root", "mid", "leaf")).isEmpty();
    }

    /**
     * A spare that dies while it waits is replaced, up to {@link LaunchAhead#MAX_FAILURES} times
     * in a row; then the service gets none while it runs. "In a row" ends when the service runs
     * again: its next run gets a spare, and so does the run after its next restart.
     */
    @Test
    void aServiceWhoseSparesDiedGetsOneAgainOnceItRunsAgain() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("dying").pool(1)
                .service(configurable("worker").restart(AT_ONCE))
                .build();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).build()) {
            manager.start();
            manager.awaitRunning(WAIT);
            Set<Long> killed = new HashSet<>();
            for (int death = 1; death <= LaunchAhead.MAX_FAILURES; death++) {
                ProcessHandle spare = await().atMost(WAIT).until(() -> spareOf(manager, "worker")
                        .filter(p -> !killed.contains(p.pid())), Optional::isPresent).orElseThrow();
                killed.add(spare.pid());
                spare.destroyForcibly();
                await().atMost(ServiceProcesses.GONE_WITHIN).until(() -> !spare.isAlive());
            }
            await().atMost(WAIT).until(() -> manager.status("worker").readyRssBytes() == 0);

            manager.restart("worker"); // launches its own JVM (no spare); once it runs, a spare again
            await().atMost(WAIT).until(() -> manager.status("worker").starts() == 2
                    && manager.status("worker").state() == ServiceState.RUNNING);
            await().atMost(WAIT).until(() -> spareOf(manager, "worker").filter(p -> !killed.contains(p.pid()))
                    .isPresent());
        }
        assertThat(ServiceProcesses.remotesOf("worker")).isEmpty();
    }

    /**
     * A spare no start will take is ended without a word in the service's output: killed before
     * its connection closes, so that it never says it lost its controller (which did not happen).
     */
    @Test
    void aSpareEndsWithoutSayingItLostItsController() throws Exception {
        List<String> names = List.of("one", "two", "three", "four");
        ClusterSpec.Builder builder = ClusterSpec.builder("quiet").pool(names.size());
        names.forEach(name -> builder.service(idle(name)));
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(builder.build()).stateDir(state).listener(events).build()) {
            manager.start();
            manager.awaitRunning(WAIT);
            for (String service : names) {
                ProcessHandle spare = await().atMost(WAIT).until(() -> spareOf(manager, service), Optional::isPresent)
                        .orElseThrow();
                manager.stop(service); // its spare ends now
                await().atMost(WAIT).until(() -> manager.status(service).state() == ServiceState.CLOSED);
                await().atMost(ServiceProcesses.GONE_WITHIN).until(() -> !spare.isAlive());
            }
        }
        assertThat(events.output()).noneMatch(line -> line.contains("lost"));
    }

    @Test
    void aStoppedServiceKeepsNoSpare() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("stopped").pool(1)
                .service(configurable("worker").restart(AT_ONCE))
                .build();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).build()) {
            manager.start();
            manager.awaitRunning(WAIT);
            ProcessHandle spare = await().atMost(WAIT).until(() -> spareOf(manager, "worker"), Optional::isPresent)
                    .orElseThrow();
            manager.stop("worker");
            await().atMost(WAIT).until(() -> manager.status("worker").state() == ServiceState.CLOSED);
            // down for good: no start will take it
            await().atMost(ServiceProcesses.GONE_WITHIN).until(() -> !spare.isAlive());
            // and none is launched again (the closed remote's JVM may still be on its way out)
            await().atMost(ServiceProcesses.GONE_WITHIN).until(() -> ServiceProcesses.remotesOf("worker").isEmpty());
            assertThat(manager.status("worker").readyRssBytes()).isZero();
        }
    }
}
