package io.servicescluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.servicescluster.cli.testservices.CloseMarker;
import io.servicescluster.core.container.process.HostTools;
import io.servicescluster.core.manager.RunFolders;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stopping {@code svc run} the way people do: Ctrl-C typed in a terminal, which sends SIGINT to
 * the whole foreground process group — {@code svc} and, unless it keeps them out, every service
 * JVM; SIGTERM and SIGHUP to the group (a closing terminal, a shell passing its end on to its
 * jobs); and a real pseudo-terminal ({@code script} from util-linux) where the test types ^C or
 * hangs up. Each time the services must close in reverse dependency order with their {@code
 * close()} run, {@code svc} exit 0, and nothing be left (R7, R11). Sending the signal to the
 * manager's pid alone, as earlier tests did, cannot see the difference.
 *
 * <p>The cluster is a chain {@code db <- api <- web} of {@link CloseMarker}s, which write a file
 * when their {@code close()} runs.
 */
class TerminalSignalsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Resets SIGINT, SIGTERM and SIGHUP to their defaults before becoming {@code svc}: a test JVM started as a background job inherits them ignored. */
    private static final String RESET_SIGNALS =
            "$SIG{$_} = 'DEFAULT' for qw(INT TERM HUP QUIT); exec { $ARGV[0] } @ARGV or die \"exec $ARGV[0]: $!\\n\"";

    @TempDir
    Path dir;
    private Process launcher;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final List<ProcessHandle> started = new ArrayList<>();

    @AfterEach
    void endEverything() throws Exception {
        if (launcher != null) {
            started.addAll(launcher.descendants().toList());
            launcher.destroyForcibly().onExit().get(30, TimeUnit.SECONDS);
        }
        started.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle process : started) {
            process.onExit().get(30, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest(name = "SIG{0} to the process group")
    @ValueSource(strings = {"INT", "TERM", "HUP"})
    void aSignalToTheWholeProcessGroupClosesInOrder(String signal) throws Exception {
        Path file = chain(WRITES_MARKERS);
        ProcessHandle svc = inNewProcessGroup(file);
        List<ProcessHandle> remotes = awaitRunning(svc, 3);

        kill(signal, -svc.pid());

        assertEndedWith(0);
        assertClosedInOrder();
        assertGone(remotes);
    }

    @Test
    void aSecondCtrlCToTheGroupKillsEverythingAndExits130() throws Exception {
        Path file = TestFiles.write(dir, "name: stuck\nservices:\n"
                + "  base:\n" + TestFiles.code("Greeter")
                + "  stuck:\n    dependsOn: [base]\n    closeTimeout: 5m\n" + TestFiles.code("HangingClose"));
        ProcessHandle svc = inNewProcessGroup(file);
        List<ProcessHandle> remotes = awaitRunning(svc, 2);

        kill("INT", -svc.pid());
        awaitOutput("stuck | closing, forever");
        kill("INT", -svc.pid());

        assertEndedWith(130);
        assertGone(remotes);
    }

    @Test
    void ctrlCToTheGroupClosesSandboxedServicesInOrder() throws Exception {
        Assumptions.assumeTrue(HostTools.detect().findBubblewrap().isPresent(),
                "bubblewrap (bwrap) is not installed: the sandbox cannot be tried (.ci/run installs it)");
        Path file = chain("    permissions: { network: false, files: { write: [markers] } }\n");
        ProcessHandle svc = inNewProcessGroup(file);
        List<ProcessHandle> remotes = awaitRunning(svc, 3);

        kill("INT", -svc.pid());

        assertEndedWith(0);
        assertClosedInOrder();
        assertGone(remotes);
    }

    @Test
    void ctrlCTypedInARealTerminalClosesInOrderAndExitsZero() throws Exception {
        Path file = chain(WRITES_MARKERS);
        ProcessHandle svc = inTerminal(file);
        List<ProcessHandle> remotes = awaitRunning(svc, 3);

        type("\u0003"); // ^C: the terminal's line discipline sends SIGINT to its foreground process group

        assertThat(svc.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS).isAlive()).isFalse();
        type("exit $?\n"); // the shell exits with svc's status, and script with the shell's (--return)
        assertEndedWith(0);
        assertThat(output).anyMatch(l -> l.contains("closing the cluster in order"));
        assertClosedInOrder();
        assertGone(remotes);
    }

    @Test
    void closingTheTerminalClosesInOrder() throws Exception {
        Path file = chain(WRITES_MARKERS);
        ProcessHandle svc = inTerminal(file);
        List<ProcessHandle> remotes = awaitRunning(svc, 3);

        // the terminal goes away (its emulator is killed): the kernel hangs up, SIGHUP to the
        // session's leader, the shell, which sends SIGHUP on to its jobs' process groups
        launcher.destroyForcibly();

        assertThat(svc.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS).isAlive()).isFalse();
        assertClosedInOrder();
        assertGone(remotes);
    }

    @Test
    void ctrlCToTheGroupClosesDockerServicesInOrder() throws Exception {
        Optional<String> noEngine = DockerImage.ensureEmptyImage();
        if (noEngine.isPresent()) {
            if (System.getenv("SVC_DOCKER_REQUIRED") != null) {
                throw new AssertionError("SVC_DOCKER_REQUIRED is set but " + noEngine.get());
            }
            Assumptions.abort(noEngine.get());
        }
        Path file = chain("    container: docker\n    docker: { image: '" + DockerImage.EMPTY + "' }\n"
                + "    permissions: { files: { write: [markers] } }\n");
        ProcessHandle svc = inNewProcessGroup(file, Map.of("SVC_DOCKER_HOST_JDK", "true"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(output).contains("web * running"));
        assertThat(DockerImage.containersOf(svc.pid())).hasSize(3);

        kill("INT", -svc.pid());

        assertEndedWith(0);
        assertClosedInOrder();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(DockerImage.containersOf(svc.pid()))
                .as("containers left").isEmpty());
    }

    // ---- the cluster ------------------------------------------------------------------------

    /** A confined service (the default, issue 18) writes its marker only where the cluster file lets it. */
    private static final String WRITES_MARKERS = "    permissions: { files: { write: [markers] } }\n";

    /** {@code db <- api <- web}, each service with {@code extra} keys; markers go to {@code dir/markers}. */
    private Path chain(String extra) throws IOException {
        // made by the manager, for the services' own users (a root manager's: docs/security.md)
        StringBuilder yaml = new StringBuilder("name: terminal\nservices:\n");
        String previous = null;
        for (String name : List.of("db", "api", "web")) {
            yaml.append("  ").append(name).append(":\n");
            if (previous != null) {
                yaml.append("    dependsOn: [").append(previous).append("]\n");
            }
            yaml.append(TestFiles.code(CloseMarker.class.getSimpleName()))
                    .append("    settings: { markers: '").append(dir.resolve("markers")).append("' }\n")
                    .append(extra);
            previous = name;
        }
        return TestFiles.write(dir, yaml.toString());
    }

    /** R7 and every close() run: the event log closes web, then api, then db, with nothing crashed or failed. */
    private void assertClosedInOrder() throws IOException {
        List<String> events = events();
        assertThat(events).as("event log").noneMatch(e -> e.endsWith(":crashed") || e.endsWith(":failed"))
                .containsSubsequence("web:closed", "api:closing", "api:closed", "db:closing", "db:closed");
        for (String service : List.of("db", "api", "web")) {
            assertThat(dir.resolve("markers/closed-" + service)).as("close() of " + service + " ran").exists();
        }
    }

    private List<String> events() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> events = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("events.jsonl"))) {
            JsonNode event = json.readTree(line);
            events.add(event.get("service").asText() + ":" + event.get("event").asText());
        }
        return events;
    }

    // ---- how svc is started -----------------------------------------------------------------

    /** {@code svc run FILE} leading a process group of its own, as a shell runs a foreground job. */
    private ProcessHandle inNewProcessGroup(Path file) throws IOException {
        return inNewProcessGroup(file, Map.of());
    }

    private ProcessHandle inNewProcessGroup(Path file, Map<String, String> environment) throws IOException {
        List<String> command = new ArrayList<>(List.of("setsid"));
        command.addAll(svcCommand(file));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        launcher = builder.start();
        launcher.getOutputStream().close();
        collect(launcher);
        // setsid execs in place (a child of this JVM leads no group), so svc's pid is the group's id
        return launcher.toHandle();
    }

    /**
     * {@code svc run FILE} typed into an interactive shell in a pseudo-terminal: {@code script}
     * makes the terminal and runs {@code bash -i} in it, which runs the command as a foreground
     * job in a process group of its own, as in any terminal. What the test writes to script's
     * stdin is typed on the terminal's keyboard.
     */
    private ProcessHandle inTerminal(Path file) throws IOException {
        Path launch = dir.resolve("launch.sh");
        Files.writeString(launch, "exec " + svcCommand(file).stream().map(TerminalSignalsTest::quoted)
                .collect(Collectors.joining(" ")) + "\n");
        ProcessBuilder builder = new ProcessBuilder("script", "--quiet", "--return", "--command",
                "bash --norc --noprofile -i", "/dev/null").directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("NO_COLOR", "1");
        launcher = builder.start();
        collect(launcher);
        type("sh " + quoted(launch.toString()) + "\n");
        await().atMost(WAIT).untilAsserted(() -> assertThat(svcIn(launcher))
                .as("svc in the terminal; it shows:\n%s", String.join("\n", output)).isPresent());
        return svcIn(launcher).orElseThrow();
    }

    /**
     * svc: the first JVM under the terminal, one with no JVM above it (its command line, with the
     * test's long class path, is not always readable). How many shells are between depends on
     * {@code $SHELL}: script runs {@code $SHELL -c COMMAND}, and not every shell execs the command.
     */
    private static Optional<ProcessHandle> svcIn(Process terminal) {
        return terminal.descendants().filter(p -> isJava(p) && !underAJvm(p, terminal.pid())).findFirst();
    }

    private static boolean underAJvm(ProcessHandle process, long top) {
        for (Optional<ProcessHandle> above = process.parent(); above.isPresent() && above.get().pid() != top;
                above = above.get().parent()) {
            if (isJava(above.get())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isJava(ProcessHandle process) {
        return process.info().command().orElse("").endsWith("/java");
    }

    /** Types {@code keys} on the terminal's keyboard. */
    private void type(String keys) throws IOException {
        OutputStream keyboard = launcher.getOutputStream();
        keyboard.write(keys.getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }

    private List<String> svcCommand(Path file) {
        List<String> command = new ArrayList<>(List.of("perl", "-e", RESET_SIGNALS,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-D" + RunFolders.PROPERTY + "="
                        + dir.resolve("run"),
                "-cp", System.getProperty("java.class.path"), Svc.class.getName(), "run", file.toString(),
                "--events", dir.resolve("events.jsonl").toString()));
        return command;
    }

    private static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private void collect(Process process) {
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                reader.lines().map(l -> l.replace("\r", "")).forEach(output::add);
            } catch (IOException ignored) {
                // the process ended
            }
        });
    }

    // ---- waiting and signalling ---------------------------------------------------------------

    /** Waits until {@code svc} runs {@code count} service JVMs and the last service is running; returns them. */
    private List<ProcessHandle> awaitRunning(ProcessHandle svc, int count) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(svc.isAlive()).as("svc ended early:\n%s", String.join("\n", output)).isTrue();
            assertThat(remotesOf(svc)).hasSize(count);
            assertThat(output).anyMatch(l -> l.matches("\\S+ +\\* running") && l.startsWith(count == 3 ? "web" : "stuck"));
        });
        List<ProcessHandle> remotes = remotesOf(svc);
        started.addAll(remotes);
        return remotes;
    }

    private void awaitOutput(String line) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(output).contains(line));
    }

    /**
     * The service JVMs under {@code svc} (not the setsid, shell or bubblewrap before them, nor one
     * training the remote's AOT cache).
     */
    private static List<ProcessHandle> remotesOf(ProcessHandle svc) {
        return svc.descendants()
                .filter(p -> p.info().command().orElse("").endsWith("/java"))
                .filter(p -> p.info().commandLine().orElse("").contains("io.servicescluster.remote.RemoteMain"))
                .filter(p -> !p.info().commandLine().orElse("").contains("-Dservicescluster.service=aot-training"))
                .toList();
    }

    /** {@code kill -SIGNAL TARGET}; a negative target is a process group. */
    private static void kill(String signal, long target) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, "--", Long.toString(target)).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -%s -- %d", signal, target).isZero();
    }

    /** The launcher (svc itself, or the terminal that returns its status) ends with {@code status}. */
    private void assertEndedWith(int status) throws InterruptedException {
        assertThat(launcher.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("svc ended").isTrue();
        assertThat(launcher.exitValue()).as("exit status; output:\n%s", String.join("\n", output)).isEqualTo(status);
    }

    private static void assertGone(List<ProcessHandle> processes) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(processes)
                .as("service processes left after svc ended").noneMatch(ProcessHandle::isAlive));
    }
}
