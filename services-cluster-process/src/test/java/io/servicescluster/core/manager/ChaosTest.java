package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.idle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.RestartPolicy;
import io.servicescluster.core.config.RestartPolicy.Policy;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.testing.Processes;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.ServiceProcesses;
import io.servicescluster.verify.EventLogChecker;
import io.servicescluster.verify.EventLogReader;
import io.servicescluster.verify.LogEnd;
import io.servicescluster.verify.LogEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, the chaos test: 30 services in a random DAG, all {@code restart: always}; a random
 * running remote is killed with SIGKILL every 200 ms for 30 s. Afterwards every service runs
 * again, every ordering rule holds over the whole event log (checked by {@code svc verify}'s
 * checker, with the graph), and no process or file
 * descriptor leaked. Takes a few minutes on two cores: it runs with {@code -Pchaos}.
 */
@Tag("chaos")
class ChaosTest {

    private static final int SERVICES = 30;
    private static final long SEED = 20261124L;
    private static final Duration KILL_EVERY = Duration.ofMillis(200);
    private static final Duration CHAOS_FOR = Duration.ofSeconds(30);
    private static final RestartPolicy ALWAYS =
            new RestartPolicy(Policy.ALWAYS, 1000, Duration.ofSeconds(60), Duration.ofMillis(50));
    /** File descriptors the JVM may open on its own meanwhile (class loading, logging, …). */
    private static final int FD_MARGIN = 10;

    @TempDir
    Path state;

    @Test
    void randomKillsInARandomDagKeepEveryRuleAndLeakNothing() throws Exception {
        Map<String, List<String>> dependencies = randomDag(new Random(SEED));
        warmUp();
        long fdsBefore = openFds();

        RecordingListener events = new RecordingListener();
        AtomicReference<ServicesManager> current = new AtomicReference<>();
        Set<Long> pids = ConcurrentHashMap.newKeySet();
        ClusterListener pidCollector = new ClusterListener() {
            @Override
            public void onEvent(ServiceEvent event) {
                if (event.type() == Type.RUNNING) {
                    current.get().status(event.service()).pid().ifPresent(pids::add);
                }
            }
        };
        ClusterSpec.Builder cluster = ClusterSpec.builder("chaos");
        dependencies.forEach((name, on) -> cluster.service(idle(name).dependsOn(on.toArray(String[]::new)).restart(ALWAYS)));
        Path log = state.resolve("events.jsonl");
        ServicesManager manager = ServicesManager.builder(cluster.build()).stateDir(state).eventLog(log)
                .listener(events).listener(pidCollector).build();
        current.set(manager);
        long recoveredAtSeq;
        int kills = 0;
        long chaosStart;
        long recoveredAfter;
        try {
            manager.start();
            manager.awaitRunning(Duration.ofMinutes(3));

            Random killer = new Random(SEED + 1);
            chaosStart = System.nanoTime();
            long end = chaosStart + CHAOS_FOR.toNanos();
            for (long next = chaosStart; next < end; next += KILL_EVERY.toNanos()) {
                LockSupport.parkNanos(next - System.nanoTime());  // pacing, not waiting for a condition
                List<Long> running = manager.status().stream()
                        .filter(s -> s.state() == ServiceState.RUNNING && s.pid().isPresent())
                        .map(s -> s.pid().getAsLong()).toList();
                if (!running.isEmpty()) {
                    long pid = running.get(killer.nextInt(running.size()));
                    pids.add(pid);
                    if (ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false)) {
                        kills++;
                    }
                }
            }
            long chaosEnd = System.nanoTime();
            await("every service running again").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
                    .until(() -> manager.status().stream().allMatch(s -> s.state() == ServiceState.RUNNING));
            recoveredAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - chaosEnd);
            recoveredAtSeq = events.events().getLast().seq();
            manager.status().forEach(s -> pids.add(s.pid().orElseThrow()));
        } finally {
            manager.close();
        }

        EventLogReader.ParsedLog parsed = EventLogReader.read(log);
        assertThat(parsed.findings()).isEmpty();
        List<LogEvent> lines = parsed.events();
        assertThat(lines).hasSize(events.events().size());
        Optional<Map<String, List<String>>> graph = Optional.of(dependencies);
        assertThat(EventLogChecker.check(lines, graph)).as("rules broken (of %d events)", lines.size()).isEmpty();
        // once everything runs again after the chaos, nothing runs against a dependency that died (R9)
        List<LogEvent> untilRecovered = lines.stream().filter(e -> e.seq() <= recoveredAtSeq).toList();
        assertThat(EventLogChecker.check(untilRecovered, graph, LogEnd.SETTLED)).as("at recovery").isEmpty();
        Map<String, String> containers = new HashMap<>();
        lines.stream().filter(e -> e.event().equals("created") || e.event().equals("destroyed"))
                .forEach(e -> containers.put(e.service(), e.event()));
        assertThat(containers).as("every service created, and destroyed at the end").containsOnlyKeys(dependencies.keySet())
                .allSatisfy((service, last) -> assertThat(last).as(service).isEqualTo("destroyed"));
        long crashes = lines.stream().filter(e -> e.event().equals("crashed")).count();

        assertThat(pids.stream().filter(pid -> !Processes.gone(pid)).toList()).as("remote processes still alive").isEmpty();
        assertThat(ServiceProcesses.remotesOf(dependencies.keySet().toArray(String[]::new))).isEmpty();
        await("file descriptors released").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(openFds()).isLessThanOrEqualTo(fdsBefore + FD_MARGIN));

        System.out.printf("chaos: %d kills, %d events, %d remote processes, %d crashes, recovered %d ms after the "
                + "last kill; fds %d -> %d%n", kills, lines.size(), pids.size(), crashes, recoveredAfter,
                fdsBefore, openFds());
        assertThat(kills).isGreaterThan(50);
    }

    /** Service {@code sNN} depends on 0–3 distinct earlier services. */
    private static Map<String, List<String>> randomDag(Random random) {
        Map<String, List<String>> dependencies = new LinkedHashMap<>();
        List<String> earlier = new ArrayList<>();
        for (int i = 0; i < SERVICES; i++) {
            String name = String.format("s%02d", i);
            List<String> pool = new ArrayList<>(earlier);
            Collections.shuffle(pool, random);
            dependencies.put(name, List.copyOf(pool.subList(0, Math.min(pool.size(), random.nextInt(4)))));
            earlier.add(name);
        }
        return dependencies;
    }

    /** Loads what a manager uses, so that the descriptor count before the run is comparable. */
    private void warmUp() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("warm-up").service(idle("warm")).build();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(state.resolve("warm-up"))
                .eventLog(state.resolve("warm-up.jsonl")).build()) {
            manager.start();
            manager.awaitRunning(Duration.ofMinutes(1));
        }
        EventLogReader.read(state.resolve("warm-up.jsonl"));
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
