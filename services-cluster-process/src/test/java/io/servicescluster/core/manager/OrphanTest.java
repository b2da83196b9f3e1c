package io.servicescluster.core.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.testing.ManagerMain;
import io.servicescluster.testing.ManagerProcess;
import io.servicescluster.testing.Processes;
import io.servicescluster.testing.Sandboxes;
import io.servicescluster.testing.ServiceProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R11: no service process outlives its manager, even after {@code kill -9} of the manager. The
 * manager runs in its own JVM ({@link ManagerMain}) so that it can really be killed.
 */
class OrphanTest {

    /** Bound for a remote to notice the lost connection and end (its close wait is 3 s). */
    private static final Duration EXIT_WITHIN = Duration.ofSeconds(15);

    @TempDir
    Path state;
    private Process manager;
    private final Map<String, Long> pids = new ConcurrentHashMap<>();
    private volatile Path runDir;

    @AfterEach
    void killEverything() throws Exception {
        if (manager != null) {
            Processes.killTree(manager.pid());
            manager.onExit().get(30, TimeUnit.SECONDS);
        }
        pids.values().forEach(Processes::killTree);
        if (runDir != null && Files.isDirectory(runDir)) {
            try (Stream<Path> files = Files.walk(runDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void killingTheManagerWhileAChildsSourceCompilesLeavesNoCompilerBehind() throws Exception {
        Sandboxes.requireBubblewrap();
        launchManager(0, "--bomb");
        // bwrap and the JVM inside it (both name CompilerMain on their command lines)
        killTheManagerWhileItCompiles(2);
    }

    @Test
    void killingTheManagerWhileAChildsSourceCompilesUnconfinedLeavesNoCompilerBehind() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Processes.java(ManagerMain.class.getName(),
                ManagerProcess.arguments(state, "0", "--bomb", "--unconfined")));
        builder.environment().put("SVC_BWRAP", state.resolve("no-bwrap").toString()); // a host without bubblewrap
        ManagerProcess launched = ManagerProcess.launch(builder, state);
        manager = launched.process();
        runDir = launched.runDir();
        pids.putAll(launched.pids());
        killTheManagerWhileItCompiles(1);
    }

    private void killTheManagerWhileItCompiles(int compilerProcesses) {
        List<ProcessHandle> compiler = await("the compiler of the bomb child").atMost(Duration.ofSeconds(60))
                .until(() -> ProcessHandle.of(manager.pid()).orElseThrow().descendants()
                        .filter(p -> p.info().commandLine().orElse("").contains("CompilerMain")).toList(),
                        found -> found.size() >= compilerProcesses);

        manager.destroyForcibly();  // SIGKILL: no shutdown hook, no orderly close

        // far before the compiler's own deadline (31 s)
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(compiler)
                .as("compiler processes alive after the manager's kill -9").noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void killingTheManagerEndsEveryServiceProcess() throws Exception {
        launchManager(0);
        assertThat(pids).containsOnlyKeys("a", "b", "c");
        pids.values().forEach(pid -> assertThat(Processes.gone(pid)).as("pid %d alive before the kill", pid).isFalse());

        manager.destroyForcibly();  // SIGKILL: no shutdown hook, no orderly close
        manager.onExit().get(30, TimeUnit.SECONDS);

        awaitAllGone();
    }

    @Test
    void killingTheManagerEndsTheSparesOfItsWarmPool() throws Exception {
        launchManager(0, "--pool=3");
        // each of a, b, c runs with a spare beside it
        await().atMost(Duration.ofSeconds(60)).until(() -> ServiceProcesses.remotesOf("a", "b", "c").size() == 6);
        ServiceProcesses.remotesOf("a", "b", "c").forEach(p -> pids.put("remote " + p.pid(), p.pid()));

        manager.destroyForcibly();
        manager.onExit().get(30, TimeUnit.SECONDS);

        awaitAllGone(); // R11: the spares too
    }

    @Test
    void killingTheManagerEndsTheUnconfinedSparesOfItsWarmPool() throws Exception {
        launchManager(0, "--pool=3", "--unconfined"); // no sandbox to die with the manager: the spares' own watch
        await().atMost(Duration.ofSeconds(60)).until(() -> ServiceProcesses.remotesOf("a", "b", "c").size() == 6);
        ServiceProcesses.remotesOf("a", "b", "c").forEach(p -> pids.put("remote " + p.pid(), p.pid()));

        manager.destroyForcibly();
        manager.onExit().get(30, TimeUnit.SECONDS);

        awaitAllGone(); // R11
    }

    @Test
    void remoteExitsAfterTheConnectionIsLostEvenWhenItsCloseHangs() throws Exception {
        // each service's close sleeps ten minutes; unconfined, since a confined service's sandbox
        // dies with the manager at once (bwrap --die-with-parent), without waiting for its remote
        launchManager(600_000, "--unconfined");

        long killed = System.nanoTime();
        manager.destroyForcibly();
        manager.onExit().get(30, TimeUnit.SECONDS);

        awaitAllGone();
        // the remotes did run the hanging close and gave up on it after their own bound (3 s)
        // rather than exiting without closing
        assertThat(Duration.ofNanos(System.nanoTime() - killed)).isGreaterThanOrEqualTo(Duration.ofMillis(2500));
    }

    private void awaitAllGone() {
        await().atMost(EXIT_WITHIN).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            Map<String, Long> alive = new LinkedHashMap<>();
            pids.forEach((name, pid) -> {
                if (!Processes.gone(pid)) {
                    alive.put(name, pid);
                }
            });
            assertThat(alive).as("service processes still alive after the manager was killed").isEmpty();
        });
    }

    /** Starts {@link ManagerMain} and reads its run folder and service pids, up to "ready". */
    private void launchManager(long closeMillis, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of(Long.toString(closeMillis)));
        args.addAll(List.of(flags));
        ManagerProcess launched = ManagerProcess.launch(state, args.toArray(String[]::new));
        manager = launched.process();
        runDir = launched.runDir();
        pids.putAll(launched.pids());
    }
}
