package io.servicescluster.core.manager;

import static io.servicescluster.testing.TestClusters.idle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.RestartPolicy;
import io.servicescluster.core.config.RestartPolicy.Policy;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.testing.Processes;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.ServiceProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * again, every ordering rule holds over the whole event log (replayed), and no process or file
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

        List<JsonNode> lines = readLog(log);
        assertThat(lines).hasSize(events.events().size());
        Replay replay = new Replay(dependencies);
        for (JsonNode line : lines) {
            replay.apply(line);
            if (line.get("seq").asLong() == recoveredAtSeq) {
                replay.checkRecovered();
            }
        }
        replay.checkEnd();
        assertThat(replay.violations).as("ordering violations (of %d events)", lines.size()).isEmpty();

        assertThat(pids.stream().filter(pid -> !Processes.gone(pid)).toList()).as("remote processes still alive").isEmpty();
        assertThat(ServiceProcesses.remotesOf(dependencies.keySet().toArray(String[]::new))).isEmpty();
        await("file descriptors released").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(openFds()).isLessThanOrEqualTo(fdsBefore + FD_MARGIN));

        System.out.printf("chaos: %d kills, %d events, %d remote processes, %d crashes, recovered %d ms after the "
                + "last kill; fds %d -> %d%n", kills, lines.size(), pids.size(), replay.crashes, recoveredAfter,
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
        readLog(state.resolve("warm-up.jsonl"));
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private static List<JsonNode> readLog(Path log) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            lines.add(json.readTree(line));
        }
        for (int i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i).get("seq").asLong()).as("seq of line %d", i + 1).isEqualTo(i + 1);
        }
        return lines;
    }

    /** Replays the event log, keeping each service's state, and notes every broken rule. */
    private static final class Replay {
        private static final Set<String> ACTIVE = Set.of("starting", "running", "closing");

        final List<String> violations = new ArrayList<>();
        int crashes;
        private final Map<String, List<String>> dependencies;
        private final Map<String, List<String>> dependents = new HashMap<>();
        private final Map<String, String> state = new HashMap<>();
        /** Services whose dependency ended unasked while they were active: they must close (R9). */
        private final Set<String> stale = new HashSet<>();

        Replay(Map<String, List<String>> dependencies) {
            this.dependencies = dependencies;
            dependencies.forEach((name, on) -> on.forEach(d -> dependents.computeIfAbsent(d, k -> new ArrayList<>()).add(name)));
        }

        void apply(JsonNode line) {
            long seq = line.get("seq").asLong();
            String service = line.get("service").asText();
            String event = line.get("event").asText();
            String reason = line.has("reason") ? line.get("reason").asText() : "";
            String now = state.get(service);
            String at = "#" + seq + " " + service + ":" + event + " (was " + now + ")";
            switch (event) {
                case "created" -> {
                    expect(now == null, at, "created twice");
                    for (String d : dependenciesOf(service)) {
                        expect(state.get(d) != null, at, "R4: dependency " + d + " has no container yet");
                    }
                    state.put(service, "created");
                }
                case "starting" -> {
                    expect("created".equals(now) || "closed".equals(now), at, "started without being closed first");
                    for (String d : dependenciesOf(service)) {
                        expect("running".equals(state.get(d)), at, "R6: dependency " + d + " is " + state.get(d));
                        expect(!stale.contains(d), at, "R9: dependency " + d + " lost its own dependency and must close");
                    }
                    state.put(service, "starting");
                }
                case "running" -> {
                    expect("starting".equals(now), at, "running without starting");
                    state.put(service, "running");
                }
                case "closing" -> {
                    expect("running".equals(now), at, "closing without running");
                    for (String d : dependentsOf(service)) {
                        expect(!ACTIVE.contains(state.get(d)), at, "R7: dependent " + d + " is " + state.get(d));
                    }
                    state.put(service, "closing");
                }
                case "closed" -> {
                    expect(ACTIVE.contains(now), at, "closed while not active");
                    if (reason.equals("exited of its own accord")) {
                        markDependentsStale(service);
                    }
                    state.put(service, "closed");
                    stale.remove(service);
                }
                case "crashed" -> {
                    expect(ACTIVE.contains(now), at, "crashed while not active");
                    crashes++;
                    markDependentsStale(service);
                }
                case "failed" -> {
                    expect(ACTIVE.contains(now), at, "failed while not active: " + reason);
                    markDependentsStale(service);
                }
                case "restarting" -> expect("closed".equals(now), at, "restarting while not closed");
                case "destroyed" -> {
                    expect("closed".equals(now) || "created".equals(now), at, "destroyed while active");
                    for (String d : dependentsOf(service)) {
                        expect("destroyed".equals(state.get(d)), at, "R5: dependent " + d + " is " + state.get(d));
                    }
                    state.put(service, "destroyed");
                }
                case "exception" -> { }
                default -> violations.add(at + ": unknown event");
            }
        }

        /** Once everything runs again after the chaos: nothing runs against a dependency that died. */
        void checkRecovered() {
            state.forEach((service, now) -> expect("running".equals(now), service, "not running after recovery"));
            expect(stale.isEmpty(), "recovered", "R9: still running against a dead dependency: " + stale);
        }

        void checkEnd() {
            expect(state.size() == dependencies.size(), "end", "not every service was created: " + state.keySet());
            state.forEach((service, now) -> expect("destroyed".equals(now), service, "not destroyed at the end"));
        }

        private void markDependentsStale(String service) {
            Deque<String> todo = new ArrayDeque<>(dependentsOf(service));
            while (!todo.isEmpty()) {
                String dependent = todo.pop();
                if (ACTIVE.contains(state.get(dependent)) && stale.add(dependent)) {
                    todo.addAll(dependentsOf(dependent));
                }
            }
        }

        private List<String> dependenciesOf(String service) {
            return dependencies.getOrDefault(service, List.of());
        }

        private List<String> dependentsOf(String service) {
            return dependents.getOrDefault(service, List.of());
        }

        private void expect(boolean condition, String at, String rule) {
            if (!condition && violations.size() < 50) {
                violations.add(at + ": " + rule);
            }
        }
    }
}
