package io.servicescluster.core.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.Permissions;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.Sandboxes;
import io.servicescluster.testing.ServiceProcesses;
import io.servicescluster.testing.TestClusters;
import io.servicescluster.testing.services.SpawningParent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spawning children at run time (R8), with real processes: a parent with {@code permissions.spawn}
 * spawns children (by class and by source) and talks to them through the returned {@code Peer};
 * children close and are destroyed before their parent closes, and are removed when the parent's
 * run ends (close, crash, restart); the manager refuses what is not allowed (R1, R2, permission).
 */
class SpawnTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Permissions MAY_SPAWN = new Permissions(Optional.empty(), List.of(), true, true);

    @TempDir
    Path state;

    private final RecordingListener events = new RecordingListener();

    private static ServiceSpec.Builder parent(String name, String children) {
        return ServiceSpec.builder(name).setting("spawn", children)
                .code(CodeSpec.ofClass(SpawningParent.class.getName(), TestClusters.testClasses()));
    }

    private ServicesManager manager(ClusterSpec cluster) {
        return ServicesManager.builder(cluster).stateDir(state).listener(events)
                .eventLog(state.resolve("events.jsonl")).build();
    }

    @Test
    void aParentSpawnsChildrenByClassAndSourceAndTalksToThem() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("spawn")
                .service(parent("parent", "worker:class,scribe:source").permissions(MAY_SPAWN))
                .build();
        long parentPid;
        long workerPid;
        long scribePid;
        try (ServicesManager manager = manager(cluster)) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            assertThat(result("parent", "spawn#0")).isEqualTo("worker echo:hello worker");
            assertThat(result("parent", "spawn#1")).isEqualTo("scribe echo:scribe says hello scribe");

            assertThat(manager.status()).extracting(ServiceStatus::name).containsExactly("parent", "worker", "scribe");
            assertThat(manager.status("worker").state()).isEqualTo(ServiceState.RUNNING);
            assertThat(manager.status("scribe").state()).isEqualTo(ServiceState.RUNNING);
            assertThat(manager.dump()).contains("worker [running]", "(spawned by parent)");
            parentPid = manager.status("parent").pid().orElseThrow();
            workerPid = manager.status("worker").pid().orElseThrow();
            scribePid = manager.status("scribe").pid().orElseThrow();
            assertThat(workerPid).isNotEqualTo(parentPid);
            assertThat(ServiceProcesses.pidFile(state, "scribe")).hasValue(scribePid);

            for (String child : List.of("worker", "scribe")) {
                assertThat(events.historyOf(child)).startsWith("created", "starting", "running");
                assertThat(events.seqOf(child, Type.CREATED)).isGreaterThan(events.seqOf("parent", Type.RUNNING));
                assertThat(events.first(child, Type.CREATED).orElseThrow().details()).containsEntry("parent", "parent");
            }
        }
        // R8 and R5: each child closed before the parent begins closing, destroyed before the parent closes
        for (String child : List.of("worker", "scribe")) {
            assertThat(events.historyOf(child))
                    .containsExactly("created", "starting", "running", "closing", "closed", "destroyed");
            assertThat(events.seqOf(child, Type.CLOSED)).isLessThan(events.seqOf("parent", Type.CLOSING));
            assertThat(events.seqOf(child, Type.DESTROYED)).isLessThan(events.seqOf("parent", Type.CLOSING));
            assertThat(events.seqOf(child, Type.DESTROYED)).isLessThan(events.seqOf("parent", Type.DESTROYED));
        }
        List<String> log = Files.readAllLines(state.resolve("events.jsonl"));
        assertThat(log.stream().filter(l -> l.contains("\"service\":\"worker\"")).map(SpawnTest::eventOf))
                .containsExactly("created", "starting", "running", "closing", "closed", "destroyed");
        assertThat(log).anyMatch(l -> l.contains("\"service\":\"worker\"") && l.contains("\"parent\":\"parent\""));
        for (long pid : List.of(parentPid, workerPid, scribePid)) {
            ServiceProcesses.awaitGone(pid);
        }
    }

    @Test
    void aCrashOfTheParentClosesAndRemovesItsChildren() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("spawn")
                .service(parent("parent", "worker:class").permissions(MAY_SPAWN))
                .build();
        try (ServicesManager manager = manager(cluster)) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            assertThat(result("parent", "spawn#0")).isEqualTo("worker echo:hello worker");
            long parentPid = manager.status("parent").pid().orElseThrow();
            long workerPid = manager.status("worker").pid().orElseThrow();

            ProcessHandle.of(parentPid).ifPresent(ProcessHandle::destroyForcibly);

            events.await("worker", Type.DESTROYED, TIMEOUT);
            await().atMost(TIMEOUT).until(() -> manager.status().stream().noneMatch(s -> s.name().equals("worker")));
            assertThat(events.historyOf("parent")).contains("crashed");
            assertThat(events.historyOf("worker")).containsSubsequence("running", "closing", "closed", "destroyed");
            assertThat(events.seqOf("worker", Type.CLOSED)).isGreaterThan(events.seqOf("parent", Type.CRASHED));
            ServiceProcesses.awaitGone(parentPid);
            ServiceProcesses.awaitGone(workerPid);
            assertThat(manager.status()).extracting(ServiceStatus::name).containsExactly("parent");
        }
    }

    @Test
    void aRestartOfTheParentSpawnsTheChildAgainUnderTheSameName() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("spawn")
                .service(parent("parent", "worker:class").permissions(MAY_SPAWN))
                .build();
        try (ServicesManager manager = manager(cluster)) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            assertThat(result("parent", "spawn#0")).isEqualTo("worker echo:hello worker");
            long firstWorker = manager.status("worker").pid().orElseThrow();

            manager.restart("parent");

            await().atMost(TIMEOUT).until(() -> spawnLines("parent").size() == 2);
            assertThat(spawnLines("parent")).containsOnly("ok spawn#0 worker echo:hello worker");
            await().atMost(TIMEOUT).until(() -> manager.status().stream()
                    .anyMatch(s -> s.name().equals("worker") && s.state() == ServiceState.RUNNING));
            assertThat(manager.status("worker").pid().orElseThrow()).isNotEqualTo(firstWorker);
            ServiceProcesses.awaitGone(firstWorker);
            // the first child was closed and destroyed before the parent began closing (R8)
            List<String> history = events.history();
            int parentClosing = history.indexOf("parent:closing");
            assertThat(history.subList(0, parentClosing)).contains("worker:closed", "worker:destroyed");
            // the new child comes from the new start; its spawner thread may ask while that start
            // has not returned yet (R8 allows a spawn during the parent's start)
            List<String> after = history.subList(parentClosing, history.size());
            assertThat(after).containsSubsequence("parent:closed", "parent:starting", "worker:created",
                    "worker:starting", "worker:running");
            assertThat(after).containsSubsequence("parent:starting", "parent:running");
        }
    }

    @Test
    void theManagerRefusesWhatIsNotAllowed() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("spawn")
                .service(TestClusters.idle("other"))
                // no permissions.spawn (the default): the remote library checks nothing, the manager refuses
                .service(parent("locked", "w1:class"))
                .service(parent("parent", "Bad_Name:class,other:class,dup:class,dup:class,ghost:class:com.example.Nope")
                        .setting("spawnInStart", "early").permissions(MAY_SPAWN))
                .build();
        try (ServicesManager manager = manager(cluster)) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            assertThat(result("locked", "spawn#0"))
                    .isEqualTo("w1 error:java.lang.IllegalStateException|spawn refused: permissions.spawn is false"
                            + " for 'locked'");
            // R8: a parent may spawn from its own start; the child runs before the parent does
            assertThat(result("parent", "early")).isEqualTo("early echo:hello early");
            assertThat(events.history()).containsSubsequence("parent:starting", "early:created", "early:starting",
                    "early:running", "parent:running");
            assertThat(result("parent", "spawn#0")).contains("spawn refused: invalid name 'Bad_Name': a name is 1 to 63");
            assertThat(result("parent", "spawn#1"))
                    .contains("spawn refused: a service named 'other' already exists in cluster 'spawn'", "R2");
            assertThat(result("parent", "spawn#2")).isEqualTo("dup echo:hello dup");
            assertThat(result("parent", "spawn#3"))
                    .contains("spawn refused: a service named 'dup' already exists", "a child of 'parent'", "R2");
            assertThat(result("parent", "spawn#4")).contains("child 'ghost' failed to start", "com.example.Nope");

            await().atMost(TIMEOUT).until(() -> manager.status().stream().noneMatch(s -> s.name().equals("ghost")));
            assertThat(events.historyOf("ghost")).containsSubsequence("created", "starting", "failed", "closed",
                    "destroyed");
            assertThat(manager.status()).extracting(ServiceStatus::name)
                    .containsExactly("other", "locked", "parent", "early", "dup");
            for (String refused : List.of("w1", "Bad_Name")) {
                assertThat(events.historyOf(refused)).isEmpty();
            }
            assertThat(events.historyOf("other")).doesNotContain("closing"); // a refused name leaves the owner alone
        }
    }

    @Test
    void aSandboxedParentReachesItsChildrenWhichInheritItsSandbox() throws Exception {
        Sandboxes.requireBubblewrap();
        Permissions confined = new Permissions(Optional.empty(), List.of(), false, true);
        ClusterSpec cluster = ClusterSpec.builder("spawn")
                .service(parent("parent", "worker:class,scribe:source").permissions(confined))
                .build();
        try (ServicesManager manager = manager(cluster)) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            // the children's data sockets lie in the parent's folder, which its sandbox sees
            assertThat(result("parent", "spawn#0")).isEqualTo("worker echo:hello worker");
            assertThat(result("parent", "spawn#1")).isEqualTo("scribe echo:scribe says hello scribe");
            assertThat(manager.status("worker").restrictions()).contains("network: false");
            assertThat(manager.status("scribe").restrictions()).contains("network: false");
        }
        assertThat(events.historyOf("worker")).endsWith("closed", "destroyed");
    }

    private String result(String service, String scenario) {
        String prefix = "ok " + scenario + " ";
        await(scenario + " of " + service).atMost(TIMEOUT).until(() -> events.lines(service, OutputStream.STDOUT)
                .stream().anyMatch(l -> l.startsWith(prefix)));
        return events.lines(service, OutputStream.STDOUT).stream().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow().substring(prefix.length());
    }

    private List<String> spawnLines(String service) {
        return events.lines(service, OutputStream.STDOUT).stream().filter(l -> l.startsWith("ok spawn#")).toList();
    }

    private static String eventOf(String jsonLine) {
        int at = jsonLine.indexOf("\"event\":\"") + 9;
        return jsonLine.substring(at, jsonLine.indexOf('"', at));
    }
}
