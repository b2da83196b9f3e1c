package io.servicescluster.core.container.process;

import io.servicescluster.core.container.support.RemoteRuntime;
import static io.servicescluster.testing.TestClusters.configurable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.testing.RecordingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remote's AOT cache (JDK 25+): a launch that finds it missing runs without it and a
 * separate training run makes it from the runtime alone — not from the user's service, whose
 * classes (here: javac, for a source service) would be loaded by every later start — and only a
 * training JVM that exited normally and reported the cache complete leaves one.
 */
class AotTrainingTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void onlyANormalExitThatReportedTheCacheCompleteKeepsIt() throws Exception {
        Path cache = dir.resolve("remote.aot");
        Path output = Files.writeString(dir.resolve("remote.aot.1-1.tmp"), "half a cache");
        Path work = Files.createDirectories(dir.resolve("remote.aot.1-1.work"));
        AotTraining.finish(cache, output, work, 0, false); // halted while its child still wrote
        assertThat(cache).doesNotExist();
        assertThat(output).doesNotExist();
        assertThat(work).doesNotExist();

        Files.writeString(output, "a cache");
        AotTraining.finish(cache, output, work, 1, true);
        assertThat(cache).doesNotExist();

        Files.writeString(output, "a cache");
        AotTraining.finish(cache, output, work, 0, true);
        assertThat(cache).hasContent("a cache");
        assertThat(output).doesNotExist();
    }

    @Test
    void aNewCacheKeepsTheEightNewestBesideIt() throws Exception {
        for (int i = 0; i < 10; i++) {
            Path old = Files.writeString(dir.resolve("remote-old" + i + ".aot"), "an older build's cache");
            Files.setLastModifiedTime(old, FileTime.fromMillis(System.currentTimeMillis() - (i + 1) * 60_000L));
        }
        Path other = Files.writeString(dir.resolve("something-else.aot"), "not ours");
        Files.setLastModifiedTime(other, FileTime.fromMillis(0));
        Path cache = dir.resolve("remote-new.aot");
        Path output = Files.writeString(dir.resolve("remote-new.aot.1-1.tmp"), "a cache");

        AotTraining.finish(cache, output, dir.resolve("remote-new.aot.1-1.work"), 0, true);

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("remote-new.aot",
                    "remote-old0.aot", "remote-old1.aot", "remote-old2.aot", "remote-old3.aot", "remote-old4.aot",
                    "remote-old5.aot", "remote-old6.aot", "something-else.aot");
        }
    }

    /**
     * A manager killed while its training JVM ran leaves its files behind (~11 MB each), of the
     * cache it trained — often an earlier build's, whose training never runs again. The next
     * training removes every training's leftovers that are over an hour old, and nothing else.
     */
    @Test
    void aTrainingRemovesWhatKilledTrainingsOfAnyCacheLeftOverAnHourAgo() throws Exception {
        long twoHoursAgo = System.currentTimeMillis() - 2 * 3_600_000L;
        Path oldBuild = Files.writeString(dir.resolve("remote-0ld0b11d.aot.4242-1.tmp"), "half an old cache");
        Path oldConfig = Files.writeString(dir.resolve("remote-0ld0b11d.aot.4242-1.tmp.config"), "");
        Path oldWork = Files.createDirectories(dir.resolve("remote-0ld0b11d.aot.4242-1.work"));
        Files.writeString(oldWork.resolve("hs_err.log"), "");
        Path sameCache = Files.writeString(dir.resolve("remote-cafe.aot.17-2.tmp"), "half this cache");
        Path running = Files.writeString(dir.resolve("remote-0ld0b11d.aot.4343-1.tmp"), "a training under way");
        Path notOurs = Files.writeString(dir.resolve("other.aot.1-1.tmp"), "not ours");
        Path keptCache = Files.writeString(dir.resolve("remote-0ld0b11d.aot"), "an older build's cache");
        for (Path old : List.of(oldBuild, oldConfig, oldWork, sameCache, notOurs, keptCache)) {
            Files.setLastModifiedTime(old, FileTime.fromMillis(twoHoursAgo));
        }

        AotTraining.removeAbandoned(dir.resolve("remote-cafe.aot"));

        assertThat(List.of(oldBuild, oldConfig, oldWork, sameCache)).allMatch(Files::notExists);
        assertThat(List.of(running, notOurs, keptCache)).allMatch(Files::exists);
    }

    @Test
    void aRuntimeWhoseCacheExistsIsUsedAsItIs() throws Exception {
        Path cache = Files.writeString(dir.resolve("remote.aot"), "a cache");
        RemoteRuntime runtime = new RemoteRuntime(Path.of("java"), List.of(),
                List.of("-XX:+UseSerialGC", RemoteRuntime.AOT_CACHE + cache));
        assertThat(AotTraining.runtimeFor(runtime)).isEqualTo(runtime);
    }

    @Test
    void aSourceServiceRunsWhileTheRuntimeAloneTrainsTheCacheAndTheNextRemoteUsesIt() throws Exception {
        RemoteRuntime runtime = RemoteRuntime.detect(dir.resolve("cache"));
        assumeThat(Runtime.version().feature()).as("AOT caches need JDK 25").isGreaterThanOrEqualTo(25);
        assumeThat(runtime.sharedArchive()).as("the remote runs from jars, not class folders").isPresent();
        Path cache = runtime.sharedArchive().get();

        String first = commandLineOfOneRun(runtime, "first", ServiceSpec.builder("svc").code(CodeSpec.ofSource("""
                public class Compiled implements io.servicescluster.api.Service {
                    public void start(io.servicescluster.api.ServiceContext context) {
                    }
                }
                """)));
        assertThat(first).as("the first launch runs without the cache").doesNotContain("-XX:AOTCache");
        await().atMost(TIMEOUT).until(() -> Files.isRegularFile(cache));
        try (Stream<Path> files = Files.list(cache.getParent())) {
            assertThat(files).as("nothing of the training left beside the cache").containsExactly(cache);
        }
        // made from the runtime alone: a cache that held javac would be twice this size
        assertThat(Files.size(cache)).isLessThan(20L << 20);
        assertThat(trainingDataOf(runtime)).as("the training's method profiles, replayed by every remote").isEmpty();

        String second = commandLineOfOneRun(runtime, "second", configurable("svc").setting("print", "1"));
        assertThat(second).contains(RemoteRuntime.AOT_CACHE + cache).doesNotContain(RemoteRuntime.AOT_CACHE_OUTPUT);
    }

    /**
     * The entries of the training data the cache holds (method profiles and compilations a JVM
     * replays at start), as a JVM that uses the cache prints them; one line each.
     */
    private static List<String> trainingDataOf(RemoteRuntime runtime) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(runtime.javaExecutable().toString(), "-XX:AOTMode=on",
                "-XX:+UnlockDiagnosticVMOptions", "-XX:+AOTPrintTrainingInfo"));
        runtime.jvmOptions().stream().filter(o -> !o.startsWith("-Xlog:")).forEach(command::add);
        command.addAll(List.of("-cp", String.join(java.io.File.pathSeparator,
                runtime.classpath().stream().map(Path::toString).toList()), "-version"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                .lines().toList();
        assertThat(process.waitFor()).as("a JVM on the cache (-XX:AOTMode=on): %s", lines).isZero();
        int dictionary = lines.indexOf("Archived TrainingData Dictionary");
        assertThat(dictionary).as("the JVM's print of the cache's training data: %s", lines).isNotNegative();
        return lines.subList(dictionary + 1, lines.size()).stream().filter(line -> line.matches("\\s*[0-9]+: .*"))
                .toList();
    }

    private static List<String> threadNames(long pid) throws Exception {
        List<String> names = new java.util.ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                names.add(Files.readString(task.resolve("comm")).strip());
            }
        }
        return names;
    }

    /** Runs one service to running and closes it: its JVM's command line, checking that no AOT line reached its output. */
    private String commandLineOfOneRun(RemoteRuntime runtime, String name, ServiceSpec.Builder service)
            throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("aot-" + name).service(service).build();
        RecordingListener events = new RecordingListener();
        String commandLine;
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(dir.resolve(name)).listener(events)
                .containerFactory(new ProcessContainerFactory(runtime)).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            long pid = manager.status("svc").pid().orElseThrow();
            commandLine = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
            if (commandLine.contains(RemoteRuntime.AOT_CACHE) && Runtime.version().feature() == 25) {
                // the JVM's replay of training data: a thread of ~2 ms of CPU per start, with nothing to replay
                assertThat(Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip())
                        .as("the pid is the JVM's, not its sandbox's").isEqualTo("java");
                assertThat(threadNames(pid)).contains("C1 CompilerThre").doesNotContain("Training replay");
            }
        }
        assertThat(events.historyOf("svc")).containsExactly("created", "starting", "running", "closing", "closed",
                "destroyed");
        assertThat(events.output()).noneMatch(line -> line.contains("AOT"));
        return commandLine;
    }
}
