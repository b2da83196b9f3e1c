package io.servicescluster.core.container.process;

import static io.servicescluster.testing.TestClusters.configurable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.testing.RecordingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remote's AOT cache (JDK 25+): one launch trains it, the others run without it meanwhile,
 * only a training JVM that exited normally and reported the cache complete leaves a cache, and a
 * real first remote makes one that the next remote uses.
 */
class AotTrainingTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private RemoteRuntime naming(Path cache) {
        return new RemoteRuntime(Path.of("java"), List.of(), List.of("-XX:+UseSerialGC", RemoteRuntime.AOT_CACHE + cache));
    }

    @Test
    void oneLaunchTrainsAMissingCacheAndOthersRunWithoutItMeanwhile() throws Exception {
        Path cache = dir.resolve("remote.aot");
        AotTraining.Plan first = AotTraining.plan(naming(cache));
        AotTraining.Plan second = AotTraining.plan(naming(cache));

        assertThat(first.training()).isPresent();
        assertThat(first.runtime().jvmOptions()).contains("-XX:+UseSerialGC")
                .noneMatch(o -> o.startsWith(RemoteRuntime.AOT_CACHE))
                .anyMatch(o -> o.startsWith(RemoteRuntime.AOT_CACHE_OUTPUT + cache + "."));
        assertThat(second.training()).isEmpty();
        assertThat(second.runtime().jvmOptions()).containsExactly("-XX:+UseSerialGC");

        first.training().get().finish(1); // failed: the next launch trains again
        AotTraining.Plan third = AotTraining.plan(naming(cache));
        assertThat(third.training()).isPresent();
        third.training().get().finish(-1);
    }

    @Test
    void aTrainingRemovesWhatAbandonedTrainingsLeftLongAgo() throws Exception {
        Path cache = dir.resolve("remote.aot");
        Path old = Files.writeString(dir.resolve("remote.aot.999-1.tmp.config"), "left by a killed manager");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path recent = Files.writeString(dir.resolve("remote.aot.998-1.tmp"), "another manager, training now");
        Path other = Files.writeString(dir.resolve("other.aot.997-1.tmp"), "another cache's");
        Files.setLastModifiedTime(other, FileTime.from(Instant.now().minus(Duration.ofHours(2))));

        AotTraining.plan(naming(cache)).training().orElseThrow().finish(-1);

        assertThat(old).doesNotExist();
        assertThat(recent).exists();
        assertThat(other).exists();
    }

    @Test
    void onlyANormalExitThatReportedTheCacheCompleteKeepsIt() throws Exception {
        Path cache = dir.resolve("remote.aot");
        AotTraining.Plan halted = AotTraining.plan(naming(cache));
        Files.writeString(output(halted), "half a cache");
        assertThat(halted.training().get().consume("Launching child process /x/java to assemble AOT cache")).isTrue();
        halted.training().get().finish(0); // status 0 (a halt), but no report of completion
        assertThat(cache).doesNotExist();
        assertThat(output(halted)).doesNotExist();

        AotTraining.Plan trained = AotTraining.plan(naming(cache));
        Files.writeString(output(trained), "a cache");
        assertThat(trained.training().get().consume("a line of the service")).isFalse();
        assertThat(trained.training().get().consume("AOTCache creation is complete: x.aot 9109504 bytes")).isTrue();
        trained.training().get().finish(0);
        assertThat(cache).hasContent("a cache");
        assertThat(output(trained)).doesNotExist();

        AotTraining.Plan later = AotTraining.plan(naming(cache)); // the cache exists: used as named
        assertThat(later.training()).isEmpty();
        assertThat(later.runtime()).isEqualTo(naming(cache));
    }

    @Test
    void firstRealRemoteMakesTheCacheAndTheNextOneUsesIt() throws Exception {
        RemoteRuntime runtime = RemoteRuntime.detect(dir.resolve("cache"));
        assumeThat(Runtime.version().feature()).as("AOT caches need JDK 25").isGreaterThanOrEqualTo(25);
        assumeThat(runtime.sharedArchive()).as("the remote runs from jars, not class folders").isPresent();
        Path cache = runtime.sharedArchive().get();

        RecordingListener first = runOnce(runtime, "first");
        await().atMost(TIMEOUT).until(() -> Files.isRegularFile(cache));
        try (Stream<Path> files = Files.list(cache.getParent())) {
            assertThat(files).as("nothing of the training left beside the cache").containsExactly(cache);
        }
        assertThat(first.output()).as("the JVM's report on the cache is not the service's output")
                .noneMatch(line -> line.contains("AOT"));

        RecordingListener second = runOnce(runtime, "second");
        assertThat(second.output()).noneMatch(line -> line.contains("AOT"));
    }

    /** Runs one service to running and closes it; for the second run, checks that its JVM uses the cache. */
    private RecordingListener runOnce(RemoteRuntime runtime, String name) throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("aot-" + name).service(configurable("svc").setting("print", "1"))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(dir.resolve(name)).listener(events)
                .containerFactory(new ProcessContainerFactory(runtime)).build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            long pid = manager.status("svc").pid().orElseThrow();
            String commandLine = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
            if (name.equals("second")) {
                assertThat(commandLine).contains(RemoteRuntime.AOT_CACHE + runtime.sharedArchive().get())
                        .doesNotContain(RemoteRuntime.AOT_CACHE_OUTPUT);
            } else {
                assertThat(commandLine).contains(RemoteRuntime.AOT_CACHE_OUTPUT);
            }
        }
        assertThat(events.historyOf("svc")).containsExactly("created", "starting", "running", "closing", "closed",
                "destroyed");
        return events;
    }

    private static Path output(AotTraining.Plan plan) {
        String flag = plan.runtime().jvmOptions().stream().filter(o -> o.startsWith(RemoteRuntime.AOT_CACHE_OUTPUT))
                .findFirst().orElseThrow();
        return Path.of(flag.substring(RemoteRuntime.AOT_CACHE_OUTPUT.length()));
    }
}
