package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.idle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.testing.ManagerMain;
import io.servicescluster.testing.Processes;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.ServiceProcesses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6 §3 and §5: heartbeats catch a stopped remote (declared {@code unresponsive}, killed,
 * handled as a crash), and remotes end by themselves when their manager is stopped (R11).
 */
class LivenessTest {

    private static final Duration INTERVAL = Duration.ofMillis(200);
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** Scheduling slack on a loaded machine: the loop, the timers and the kill all take turns. */
    private static final Duration MARGIN = Duration.ofMillis(2500);

    @TempDir
    Path state;
    /** Processes this test stopped with SIGSTOP: resumed and killed afterwards if still there. */
    private final Set<Long> stopped = ConcurrentHashMap.newKeySet();
    private Process manager;
    private final Map<String, Long> managerPids = new ConcurrentHashMap<>();
    private volatile Path runDir;

    @AfterEach
    void leaveNoProcess() throws Exception {
        if (manager != null) {
            Processes.killTree(manager.pid());
            manager.onExit().get(30, TimeUnit.SECONDS);
        }
        managerPids.values().forEach(Processes::killTree);
        for (long pid : stopped) {
            if (!Processes.gone(pid)) {
                signal(pid, "CONT");
                Processes.killTree(pid);
            }
            ServiceProcesses.awaitGone(pid);
        }
        if (runDir != null && Files.isDirectory(runDir)) {
            try (Stream<Path> files = Files.walk(runDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void stoppedRemoteIsDeclaredUnresponsiveWithinTheTimeoutKilledAndHandledAsACrash() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("liveness")
                .service(idle("frozen"))
                .service(idle("user").dependsOn("frozen"))
                .service(idle("lonely"))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state).listener(events)
                .heartbeatInterval(INTERVAL).heartbeatTimeout(TIMEOUT).build()) {
            manager.start();
            manager.awaitRunning(Duration.ofSeconds(60));
            long pid = manager.status("frozen").pid().orElseThrow();
            // every service answers its heartbeats while it runs normally
            long lonely = manager.status("lonely").pid().orElseThrow();

            stopped.add(pid);
            signal(pid, "STOP");
            Instant stoppedAt = Instant.now();

            ServiceEvent crashed = events.await("frozen", Type.CRASHED, Duration.ofSeconds(30));
            assertThat(crashed.detail("reason")).startsWith("unresponsive");
            Duration detectedAfter = Duration.between(stoppedAt, crashed.time());
            assertThat(detectedAfter).as("detected after")
                    .isGreaterThanOrEqualTo(TIMEOUT.minus(INTERVAL).minusMillis(100))
                    .isLessThanOrEqualTo(TIMEOUT.plus(INTERVAL).plus(MARGIN));
            // killed, even though it was stopped, and handled like any crash (R9)
            ServiceProcesses.awaitGone(pid);
            events.await("user", Type.CLOSED, Duration.ofSeconds(30));
            assertThat(events.seqOf("frozen", Type.CRASHED)).isLessThan(events.seqOf("user", Type.CLOSING));
            assertThat(manager.status("frozen").state()).isEqualTo(ServiceState.CLOSED);
            assertThat(manager.status("frozen").problem()).hasValueSatisfying(p -> assertThat(p).startsWith("unresponsive"));
            // heartbeats with a short timeout do not hurt a healthy service
            assertThat(manager.status("lonely").state()).isEqualTo(ServiceState.RUNNING);
            assertThat(manager.status("lonely").pid()).hasValue(lonely);
            assertThat(events.historyOf("lonely")).containsExactly("created", "starting", "running");
        }
        assertThat(ServiceProcesses.remotesOf("frozen", "user", "lonely")).isEmpty();
    }

    @Test
    void remotesOfAStoppedManagerEndThemselvesAfterTheHeartbeatTimeout() throws Exception {
        Duration timeout = Duration.ofSeconds(2);
        launchManager(timeout);
        assertThat(managerPids).containsOnlyKeys("a", "b", "c");
        managerPids.values().forEach(pid -> assertThat(Processes.gone(pid)).isFalse());

        stopped.add(manager.pid());
        signal(manager.pid(), "STOP");
        long stoppedAt = System.nanoTime();

        await().atMost(timeout.plus(Duration.ofSeconds(10))).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            Map<String, Long> alive = new LinkedHashMap<>();
            managerPids.forEach((name, pid) -> {
                if (!Processes.gone(pid)) {
                    alive.put(name, pid);
                }
            });
            assertThat(alive).as("service processes alive while their manager is stopped").isEmpty();
        });
        // not before the watchdog could have fired: the last heartbeat came at most an interval before the stop
        Duration took = Duration.ofNanos(System.nanoTime() - stoppedAt);
        assertThat(took).isGreaterThanOrEqualTo(timeout.minus(timeout.dividedBy(5)).minusMillis(200));
        // the manager is still there, stopped: the remotes left on their own
        assertThat(Processes.gone(manager.pid())).isFalse();
    }

    /** Sends {@code SIG<name>} to {@code pid} with kill(1). */
    private static void signal(long pid, String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).redirectErrorStream(true).start();
        assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -%s %d", name, pid).isZero();
    }

    /** Starts {@link ManagerMain} with that heartbeat timeout and reads its service pids, up to "ready". */
    private void launchManager(Duration heartbeatTimeout) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Processes.java(ManagerMain.class.getName(),
                state.toString(), "0", Long.toString(heartbeatTimeout.toMillis())))
                .redirectError(state.resolve("manager.err").toFile());
        manager = builder.start();
        CompletableFuture<Void> ready = CompletableFuture.runAsync(this::readPids);
        try {
            ready.get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the manager did not report ready; its stderr:\n"
                    + Files.readString(state.resolve("manager.err")), e);
        }
    }

    private void readPids() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(manager.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                List<String> words = List.of(line.split(" "));
                if (words.getFirst().equals("run-dir")) {
                    runDir = Path.of(words.get(1));
                } else if (words.getFirst().equals("pid")) {
                    managerPids.put(words.get(1), Long.parseLong(words.get(2)));
                } else if (line.equals("ready")) {
                    return;
                }
            }
            throw new IllegalStateException("the manager ended before it was ready");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
