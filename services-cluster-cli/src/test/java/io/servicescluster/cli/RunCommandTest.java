package io.servicescluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code svc run} as users run it: a separate JVM with real service processes, real signals,
 * and its exit status and event log checked (SPEC §5).
 */
class RunCommandTest {

    private static final Duration EXIT_WITHIN = Duration.ofSeconds(60);
    private static final List<String> LIFECYCLE = List.of("created", "starting", "running", "closing", "closed",
            "destroyed");

    @TempDir
    Path dir;
    private Process svc;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<ProcessHandle> children = new ArrayList<>();

    @AfterEach
    void destroyEverything() throws Exception {
        if (svc != null) {
            children.addAll(svc.descendants().toList());
            svc.destroyForcibly().onExit().get(30, TimeUnit.SECONDS);
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void runsTheClusterForAWhileStreamsOutputAndWritesTheEventLog() throws Exception {
        Path file = TestFiles.webAndDb(dir);
        Path events = dir.resolve("log/events.jsonl");

        int status = svc("run", file.toString(), "--events", events.toString(), "--for", "1s").waitFor();

        assertThat(status).as("exit status; stderr:\n%s", stderr()).isEqualTo(0);
        awaitStdout();
        assertThat(stdout).contains("db  | hello from db", "web | hello from web", "web | bye from web",
                "db  | bye from db");
        assertThat(stdout).containsSubsequence("db  * starting", "db  * running", "web * starting", "web * running",
                "web * closing reason: cluster stopping", "web * closed", "db  * closing reason: cluster stopping", "db  * closed");
        // an orderly close is not a lost connection: no remote may say so
        assertThat(stdout).noneMatch(l -> l.contains("connection to the controller lost"));
        Map<String, List<String>> byService = readEventLog(events);
        assertThat(byService).containsOnlyKeys("db", "web");
        byService.forEach((service, kinds) -> assertThat(kinds).as(service).containsAll(LIFECYCLE));
    }

    @Test
    void aServiceThatFailsToStartMakesTheRunExitThree() throws Exception {
        Path file = TestFiles.write(dir, "name: failing\nservices:\n"
                + "  db:\n" + TestFiles.code("FailingStart")
                + "    settings: { url: 'jdbc:nowhere' }\n"
                + "  web:\n    dependsOn: [db]\n" + TestFiles.code("Greeter")
                + "  lonely:\n" + TestFiles.code("Greeter"));
        Path events = dir.resolve("events.jsonl");

        int status = svc("run", file.toString(), "--events", events.toString(), "--for", "200ms").waitFor();

        assertThat(status).as("exit status; stderr:\n%s", stderr()).isEqualTo(3);
        Map<String, List<String>> byService = readEventLog(events);
        assertThat(byService.get("db")).contains("failed");
        assertThat(byService.getOrDefault("web", List.of())).doesNotContain("starting", "running");
        assertThat(byService.get("lonely")).containsAll(LIFECYCLE);
        awaitStdout();
        assertThat(stdout).anySatisfy(l -> assertThat(l).startsWith("db     * failed").contains("no database at jdbc:nowhere"));
    }

    /**
     * SPEC §5: a crash while running (not only a failed start) makes the exit status 3, and the run
     * ends by itself once nothing is left running and no restart is pending (no --for, no signal).
     */
    @Test
    void aCrashWhileRunningEndsTheRunByItselfWithThree() throws Exception {
        Path file = TestFiles.write(dir, "name: crashing\nservices:\n"
                + "  db:\n" + TestFiles.code("ExitOnMark")
                + "  web:\n    dependsOn: [db]\n" + TestFiles.code("Greeter"));
        Path events = dir.resolve("events.jsonl");
        svc("run", file.toString(), "--events", events.toString());
        awaitLine("web * running");

        Files.createFile(dir.resolve(".svc/crashing/work/db/exit"));

        assertThat(svc.waitFor(EXIT_WITHIN.toSeconds(), TimeUnit.SECONDS)).as("svc run ended by itself").isTrue();
        assertThat(svc.exitValue()).as("exit status; stderr:\n%s", stderr()).isEqualTo(3);
        List<JsonNode> lines = readEventLines(events);
        assertThat(lines).anySatisfy(e -> {
            assertThat(e.get("service").asText()).isEqualTo("db");
            assertThat(e.get("event").asText()).isEqualTo("crashed");
            assertThat(e.get("exitCode").asInt()).isEqualTo(7);
            assertThat(e.get("reason").asText()).isEqualTo("process exited with code 7");
        });
        assertThat(readEventLog(events).get("web")).containsSubsequence("running", "closing", "closed", "destroyed");
    }

    @Test
    void anInvalidFileExitsTwo() throws Exception {
        Path file = TestFiles.write(dir, "name: bad\nservices:\n  a:\n    code: { class: x.A }\n    colour: blue\n");
        assertThat(svc("run", file.toString()).waitFor()).isEqualTo(2);
        assertThat(stderr()).contains(file + ":5: services.a.colour");
    }

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"INT", "TERM"})
    void signalClosesInOrderAndExitsZeroLeavingNoProcess(String signal) throws Exception {
        SvcRun.assumeSignalReachesChildren(signal);
        Path file = TestFiles.webAndDb(dir);
        Path events = dir.resolve("events.jsonl");
        svc("run", file.toString(), "--events", events.toString());
        awaitLine("web * running");
        List<ProcessHandle> services = remotes(2);

        signal(signal);

        assertThat(svc.waitFor(EXIT_WITHIN.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(svc.exitValue()).as("exit status; stderr:\n%s", stderr()).isEqualTo(0);
        assertGone(services);
        if (signal.equals("INT")) {
            assertThat(stderr()).contains("closing the cluster in order");
        }
        awaitStdout();
        assertThat(stdout).noneMatch(l -> l.contains("connection to the controller lost"));
        List<JsonNode> log = readEventLines(events);
        assertThat(log.stream().map(e -> e.get("service").asText() + ":" + e.get("event").asText()).toList())
                .containsSubsequence("web:closed", "db:closing")
                .containsSubsequence("web:destroyed", "db:destroyed");
    }

    @Test
    void aSecondSigintKillsAHangingCloseAndExits130LeavingNoProcess() throws Exception {
        SvcRun.assumeSignalReachesChildren("INT");
        Path file = TestFiles.write(dir, "name: stuck\nservices:\n"
                + "  base:\n" + TestFiles.code("Greeter")
                + "  stuck:\n    dependsOn: [base]\n    closeTimeout: 5m\n" + TestFiles.code("HangingClose"));
        svc("run", file.toString());
        awaitLine("stuck * running");
        List<ProcessHandle> services = remotes(2);

        signal("INT");
        awaitLine("stuck | closing, forever");
        signal("INT");

        assertThat(svc.waitFor(EXIT_WITHIN.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(svc.exitValue()).as("exit status; stderr:\n%s", stderr()).isEqualTo(130);
        assertGone(services);
    }

    // ---- helpers --------------------------------------------------------------------------

    /** Starts {@code svc ARGS} in a JVM of its own; stdout is collected line by line, stderr goes to a file. */
    private Process svc(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", testClasspath(), Svc.class.getName()));
        command.addAll(List.of(args));
        svc = new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(dir.resolve("svc.err").toFile()).start();
        svc.getOutputStream().close();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(svc.getInputStream(),
                    StandardCharsets.UTF_8))) {
                reader.lines().forEach(stdout::add);
            } catch (IOException ignored) {
                // the process ended
            }
            stdout.add(END);
        });
        return svc;
    }

    private static final String END = "\u0000end of stdout";

    private static String testClasspath() {
        String classpath = System.getProperty("java.class.path");
        assertThat(classpath).as("surefire must give a real class path (useManifestOnlyJar)")
                .contains(File.pathSeparator).contains("picocli");
        return classpath;
    }

    private String stderr() throws IOException {
        Path err = dir.resolve("svc.err");
        return Files.exists(err) ? Files.readString(err) : "";
    }

    private void awaitStdout() {
        await().atMost(EXIT_WITHIN).until(() -> stdout.contains(END));
    }

    private void awaitLine(String line) {
        await().atMost(EXIT_WITHIN).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            assertThat(svc.isAlive() || stdout.contains(line)).as("svc ended early; stderr:\n%s", stderr()).isTrue();
            assertThat(stdout).contains(line);
        });
    }

    /**
     * The service JVMs under svc: exactly {@code count} once every service runs. (Not the JVM that
     * may be training the remote's AOT cache beside them: it runs no service.)
     */
    private List<ProcessHandle> remotes(int count) {
        List<ProcessHandle> remotes = svc.descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("io.servicescluster.remote.RemoteMain"))
                // the JVM, not the bubblewrap processes around a confined one (their command line holds its own)
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(true))
                .filter(p -> !p.info().commandLine().orElse("").contains("-Dservicescluster.service=aot-training"))
                .toList();
        assertThat(remotes).hasSize(count);
        children.addAll(remotes);
        return remotes;
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(svc.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isEqualTo(0);
    }

    private static void assertGone(List<ProcessHandle> processes) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(processes)
                .as("service processes left after svc ended").noneMatch(ProcessHandle::isAlive));
    }

    /** Every line is a JSON object; seq runs 1, 2, 3, …; the kinds of event per service, in order. */
    private static Map<String, List<String>> readEventLog(Path events) throws IOException {
        Map<String, List<String>> byService = new LinkedHashMap<>();
        for (JsonNode event : readEventLines(events)) {
            byService.computeIfAbsent(event.get("service").asText(), s -> new ArrayList<>()).add(event.get("event").asText());
        }
        return byService;
    }

    private static List<JsonNode> readEventLines(Path events) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(events);
        assertThat(lines).isNotEmpty();
        List<JsonNode> parsed = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            JsonNode event = json.readTree(lines.get(i));
            assertThat(event.isObject()).as("line %d: %s", i + 1, lines.get(i)).isTrue();
            assertThat(event.get("seq").asLong()).as("seq of line %d", i + 1).isEqualTo(i + 1);
            assertThat(event.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(event.get("service").isTextual()).isTrue();
            assertThat(event.get("event").isTextual()).isTrue();
            parsed.add(event);
        }
        return parsed;
    }
}
