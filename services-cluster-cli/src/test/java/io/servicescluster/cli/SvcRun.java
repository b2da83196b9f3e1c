package io.servicescluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.core.manager.RunFolders;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * {@code svc run} in a JVM of its own (as in {@link RunCommandTest}), with its run folders in a
 * private base folder that the in-process {@code svc} commands of the test are pointed at too,
 * so that other clusters on the machine never get in the way. Closing it kills everything left.
 */
final class SvcRun implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(60);

    private final Path err;
    private final Process process;
    private final List<String> stdout = new CopyOnWriteArrayList<>();

    private SvcRun(Path err, Process process) {
        this.err = err;
        this.process = process;
    }

    /** Points this JVM's {@code svc} commands at {@code base} for run folders; {@link #close} does not undo it. */
    static Path isolate(Path dir) throws IOException {
        Path base = Files.createDirectories(dir.resolve("run"));
        System.setProperty(RunFolders.PROPERTY, base.toString());
        return base;
    }

    /** Starts {@code svc run ARGS} in {@code dir}, its run folders under {@link #isolate}'s base. */
    static SvcRun start(Path dir, String... args) throws IOException {
        return start(dir, true, args);
    }

    /** As {@link #start(Path, String...)}, dropping what svc prints when {@code keepStdout} is false (noisy services). */
    static SvcRun start(Path dir, boolean keepStdout, String... args) throws IOException {
        List<String> run = new ArrayList<>(List.of("run"));
        run.addAll(List.of(args));
        return launch(dir, dir, keepStdout, "svc.err", run, Map.of());
    }

    /**
     * Starts any {@code svc ARGS} in a JVM of its own, in the folder {@code workDir} (for what a
     * command finds there, {@code ./cluster.yaml}), its run folders under {@code base}'s
     * {@link #isolate}; its stderr goes to {@code base/errName}.
     */
    static SvcRun command(Path base, Path workDir, String errName, String... args) throws IOException {
        return launch(base, workDir, true, errName, List.of(args), Map.of());
    }

    /** As {@link #command(Path, Path, String, String...)}, with {@code env} added to svc's environment. */
    static SvcRun command(Path base, Path workDir, String errName, Map<String, String> env, String... args)
            throws IOException {
        return launch(base, workDir, true, errName, List.of(args), env);
    }

    private static SvcRun launch(Path dir, Path workDir, boolean keepStdout, String errName, List<String> args,
            Map<String, String> env) throws IOException {
        Path base = isolate(dir);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-D" + RunFolders.PROPERTY + "=" + base,
                "-cp", System.getProperty("java.class.path"), Svc.class.getName()));
        command.addAll(args);
        assertThat(System.getProperty("java.class.path")).contains(File.pathSeparator);
        Path err = dir.resolve(errName);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectError(err.toFile());
        builder.environment().putAll(env);
        if (!keepStdout) {
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        Process process = builder.start();
        process.getOutputStream().close();
        SvcRun run = new SvcRun(err, process);
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                reader.lines().forEach(run.stdout::add);
            } catch (IOException ignored) {
                // the process ended
            }
        });
        return run;
    }

    Process process() {
        return process;
    }

    List<String> stdout() {
        return stdout;
    }

    String stderr() throws IOException {
        return Files.exists(err) ? Files.readString(err) : "";
    }

    /**
     * Skips the test when this JVM ignores {@code SIGNAL} (INT or TERM; a shell starts background
     * jobs with SIGINT ignored): its children inherit that, and a JVM never handles a signal it
     * inherited ignored, so no test could interrupt {@code svc} with it.
     */
    static void assumeSignalReachesChildren(String signal) throws IOException {
        Path status = Path.of("/proc/self/status");
        Assumptions.assumeTrue(Files.exists(status), "needs /proc to know whether SIG" + signal + " is ignored");
        String ignored = Files.readAllLines(status).stream().filter(l -> l.startsWith("SigIgn:"))
                .map(l -> l.substring("SigIgn:".length()).trim()).findFirst().orElse("0");
        long bit = 1L << ((signal.equals("INT") ? 2 : 15) - 1);
        Assumptions.assumeTrue((Long.parseUnsignedLong(ignored, 16) & bit) == 0,
                "SIG" + signal + " is ignored by this test JVM, hence by svc");
    }

    /** Sends {@code SIGNAL} (INT, TERM …) to the svc process alone. */
    void signal(String signal) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor())
                .isZero();
    }

    /** Waits for the end of svc and returns its exit status. */
    int exitStatus() throws InterruptedException {
        assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("svc ended").isTrue();
        return process.exitValue();
    }

    /** Waits until {@code svc run} printed {@code line}; fails early if it ended. */
    void awaitLine(String line) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            assertThat(process.isAlive() || stdout.contains(line)).as("svc ended early; stderr:\n%s", stderr()).isTrue();
            assertThat(stdout).contains(line);
        });
    }

    /** Waits until {@code svc ps} answers and shows every service running. */
    void awaitAllRunning(String file) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(process.isAlive()).as("svc ended early; stderr:\n%s", stderr()).isTrue();
            Result ps = Result.of("ps", "--cluster", file);
            assertThat(ps.status()).as(ps.err()).isZero();
            assertThat(ps.rows()).isNotEmpty().allSatisfy(r -> assertThat(r.get(1)).isEqualTo("running"));
        });
    }

    @Override
    public void close() throws Exception {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly().onExit().get(30, TimeUnit.SECONDS);
        children.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle child : children) {
            child.onExit().get(30, TimeUnit.SECONDS);
        }
    }

    /** What one in-process {@code svc} command did. */
    record Result(int status, String out, String err) {

        static Result of(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int status = Svc.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
            return new Result(status, out.toString(), err.toString());
        }

        /** The rows of a {@code svc ps} table below its header: 9 columns, then the last exception. */
        List<List<String>> rows() {
            List<String> lines = out.lines().toList();
            int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("NAME ")).findFirst().orElseThrow());
            List<List<String>> rows = new ArrayList<>();
            for (String line : lines.subList(header + 1, lines.size())) {
                if (line.isBlank() || line.contains(": ") && !line.contains("  ")) {
                    break; // a problem line after the table
                }
                rows.add(List.of(line.split("\\s+", 11)));
            }
            return rows;
        }
    }
}
