package io.servicescluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.servicescluster.cli.SvcRun.Result;
import io.servicescluster.cli.testservices.CloseMarker;
import io.servicescluster.core.manager.RunFolders;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code svc run FILE --detach} (SPEC §5): the manager in the background, found and ended by the
 * operating commands; it outlives the terminal it was started from, and SIGTERM still closes it
 * in order. The cluster is {@code db <- web} of {@link CloseMarker}s, which write a file when
 * their {@code close()} runs.
 */
class DetachTest {

    private static final Pattern PID = Pattern.compile("manager pid (\\d+)");

    @TempDir
    Path dir;
    private final List<ProcessHandle> started = new ArrayList<>();
    private Process terminal;

    @AfterEach
    void endEverything() throws Exception {
        if (terminal != null) {
            started.addAll(terminal.descendants().toList());
            terminal.destroyForcibly().onExit().get(30, TimeUnit.SECONDS);
        }
        for (ProcessHandle process : List.copyOf(started)) {
            started.addAll(process.descendants().toList());
        }
        started.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle process : started) {
            process.onExit().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void detachReturnsOnceEverythingRunsAndTheOperatingCommandsWorkOnIt() throws Exception {
        SvcRun.isolate(dir);
        Path file = chain("CloseMarker");

        Result run = Result.of("run", file.toString(), "--detach", "--events", dir.resolve("events.jsonl").toString());

        assertThat(run.status()).as(run.err()).isZero();
        ProcessHandle manager = manager(run.out());
        assertThat(manager.isAlive()).isTrue();
        assertThat(run.out()).contains(".svc/chain/manager.log");
        Result ps = Result.of("ps", "--cluster", file.toString());
        assertThat(ps.rows()).extracting(r -> r.get(0) + " " + r.get(1)).containsExactly("db running", "web running");
        Result logs = Result.of("logs", "web", "--stdout", "--cluster", file.toString());
        assertThat(logs.out()).contains("web is up");
        assertThat(Files.readString(dir.resolve(".svc/chain/manager.log"))).contains("web | web is up");
        List<ProcessHandle> remotes = manager.descendants().toList();
        assertThat(remotes).isNotEmpty();

        Result stop = Result.of("stop", "--cluster", file.toString());

        assertThat(stop.status()).as(stop.err()).isZero();
        assertThat(manager.isAlive()).isFalse();
        assertClosedInOrder();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(remotes)
                .as("service JVMs left").noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void aServiceThatFailsMakesDetachExit3AndSayWhich() throws Exception {
        SvcRun.isolate(dir);
        Path file = TestFiles.write(dir, "name: failing\nservices:\n"
                + "  ok:\n" + TestFiles.code("Greeter")
                + "  broken:\n" + TestFiles.code("FailingStart"));

        Result run = Result.of("run", file.toString(), "--detach");

        assertThat(run.status()).as(run.err()).isEqualTo(RunCommand.SERVICE_FAILED);
        manager(run.out());
        assertThat(run.err()).contains("broken did not start: java.lang.IllegalStateException: no database at ?")
                .doesNotContain("ok did not start");
        assertThat(Result.of("stop", "--cluster", file.toString()).status()).isZero();
    }

    @Test
    void aManagerThatCannotRunExitsWithItsStatusAndShowsItsLog() throws Exception {
        SvcRun.isolate(dir);
        Path file = TestFiles.write(dir, "name: alone\nservices:\n  lone:\n" + TestFiles.code("Greeter"));
        try (SvcRun first = SvcRun.start(dir, file.toString())) {
            first.awaitAllRunning(file.toString());

            // the same cluster again: its background manager cannot take the cluster's lock and ends (exit 2)
            Result run = Result.of("run", file.toString(), "--detach");

            assertThat(run.status()).as(run.err()).isEqualTo(2);
            assertThat(run.err()).contains("the manager ended with status 2").contains("is already running");
        }
    }

    @Test
    void theDetachedManagerOutlivesItsTerminalIgnoresSighupAndClosesInOrderOnSigterm() throws Exception {
        Path base = SvcRun.isolate(dir);
        Path file = chain("CloseMarker");
        List<String> output = inTerminal(base, file);
        await().atMost(SvcRun.WAIT).until(() -> output.stream().anyMatch(l -> PID.matcher(l).find()));
        ProcessHandle manager = manager(String.join("\n", output));
        List<Long> managed = java.util.stream.Stream.concat(java.util.stream.Stream.of(manager), manager.descendants())
                .map(ProcessHandle::pid).toList();
        List<ProcessHandle> shells = terminal.descendants().filter(p -> !managed.contains(p.pid())).toList();

        // the terminal goes away: SIGHUP to its session; the shell ends and hangs up its jobs
        terminal.destroyForcibly().onExit().get(30, TimeUnit.SECONDS);
        for (ProcessHandle shell : shells) {
            shell.onExit().get(30, TimeUnit.SECONDS);
        }
        awaitStillRunning(manager, file);
        signal("HUP", manager);
        awaitStillRunning(manager, file);

        List<ProcessHandle> remotes = manager.descendants().toList();
        signal("TERM", manager);

        assertThat(manager.onExit().get(SvcRun.WAIT.toSeconds(), TimeUnit.SECONDS).isAlive()).isFalse();
        assertClosedInOrder();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(remotes)
                .as("service JVMs left").noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void everyCommandPrintsItsHelpWithHelp() {
        for (String command : List.of("run", "check", "graph", "ps", "top", "logs", "stop", "restart", "verify")) {
            Result help = Result.of(command, "--help");
            assertThat(help.status()).as("svc %s --help: %s", command, help.err()).isZero();
            assertThat(help.out()).as("svc %s --help", command).startsWith("Usage: svc " + command);
        }
        assertThat(Result.of("run", "--help").out()).contains("--detach");
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** {@code db <- web}, each a {@code service} writing its close marker to {@code dir/markers}. */
    private Path chain(String service) throws IOException {
        // made by the manager, for the services' own users (a root manager's: docs/security.md)
        // services are confined by default (issue 18): the markers folder is theirs to write
        String settings = "    settings: { markers: '" + dir.resolve("markers") + "' }\n"
                + "    permissions: { files: { write: [markers] } }\n";
        return TestFiles.write(dir, "name: chain\nservices:\n"
                + "  db:\n" + TestFiles.code(service) + settings
                + "  web:\n    dependsOn: [db]\n" + TestFiles.code(service) + settings);
    }

    /** The manager whose pid {@code out} printed, recorded for clean-up. */
    private ProcessHandle manager(String out) {
        Matcher pid = PID.matcher(out);
        assertThat(pid.find()).as("a pid in: %s", out).isTrue();
        ProcessHandle manager = ProcessHandle.of(Long.parseLong(pid.group(1))).orElseThrow();
        started.add(manager);
        started.addAll(manager.descendants().toList());
        return manager;
    }

    /** The manager lives on for a second, and still answers with both services running. */
    private static void awaitStillRunning(ProcessHandle manager, Path file) {
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(manager::isAlive);
        Result ps = Result.of("ps", "--cluster", file.toString());
        assertThat(ps.rows()).as(ps.err()).extracting(r -> r.get(1)).containsExactly("running", "running");
    }

    /** {@code svc run FILE --detach} typed into an interactive shell in a pseudo-terminal ({@code script}). */
    private List<String> inTerminal(Path base, Path file) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-D" + RunFolders.PROPERTY + "=" + base,
                "-cp", System.getProperty("java.class.path"), Svc.class.getName(), "run", file.toString(), "--detach",
                "--events", dir.resolve("events.jsonl").toString());
        Path launch = Files.writeString(dir.resolve("launch.sh"),
                command.stream().map(DetachTest::quoted).collect(Collectors.joining(" ")) + "\n");
        terminal = new ProcessBuilder("script", "--quiet", "--command", "bash --norc --noprofile -i", "/dev/null")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(terminal.getInputStream(),
                    StandardCharsets.UTF_8))) {
                reader.lines().forEach(output::add);
            } catch (IOException ignored) {
                // the terminal is gone
            }
        });
        terminal.getOutputStream().write(("sh " + quoted(launch.toString()) + "\n").getBytes(StandardCharsets.UTF_8));
        terminal.getOutputStream().flush();
        return output;
    }

    private static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private static void signal(String signal, ProcessHandle process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    /** R7 and every close() run: web closed before db began closing, nothing failed or crashed. */
    private void assertClosedInOrder() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> events = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("events.jsonl"))) {
            JsonNode event = json.readTree(line);
            events.add(event.get("service").asText() + ":" + event.get("event").asText());
        }
        assertThat(events).noneMatch(e -> e.endsWith(":crashed") || e.endsWith(":failed"))
                .containsSubsequence("web:closed", "db:closing", "db:closed");
        assertThat(dir.resolve("markers/closed-db")).exists();
        assertThat(dir.resolve("markers/closed-web")).exists();
    }
}
