package io.servicescluster.core.container.process;

import io.servicescluster.core.container.support.LineCutter;
import io.servicescluster.core.container.support.RemoteRuntime;
import static io.servicescluster.testing.TestClusters.configurable;
import static io.servicescluster.testing.TestClusters.idle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.manager.ServiceEvent;
import io.servicescluster.core.manager.ServiceEvent.Type;
import io.servicescluster.core.manager.ServiceState;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.protocol.ControlCodec;
import io.servicescluster.protocol.ControlMessage;
import io.servicescluster.protocol.ControlMessage.Heartbeat;
import io.servicescluster.protocol.ControlMessage.Hello;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.testing.Processes;
import io.servicescluster.testing.RecordingListener;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The process container's control channel is the JVM's pipes, moved to descriptors 3 and 4 by the
 * launch shell. A launch whose process says anything but a proper Hello fails with the reason and
 * leaves no process; output on descriptor 1 never reaches the channel; a running remote that
 * corrupts its channel loses only its own connection. Real processes: a shell script stands in
 * for {@code java} where a remote must misbehave before Hello.
 */
class ControlPipesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** A misbehaving launch: the script that stands in for the JVM, and what the failure must say (one of). */
    record BadLaunch(String name, String script, String... reasons) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BadLaunch> badLaunches() {
        return Stream.of(
                new BadLaunch("exits before hello", "echo 'Error: no such class' >&2; echo 'on fd 1'; exit 3",
                        "exited with code 3 before saying hello; it wrote:\n  Error: no such class\n  on fd 1"),
                new BadLaunch("oversized first frame", "printf '\\377\\377\\377\\377' >&4; exec sleep 60",
                        "its first message was malformed: frame of 4294967295 bytes exceeds the limit"),
                new BadLaunch("unknown message type", "cat FRAMES/unknown >&4; exec sleep 60",
                        "its first message was malformed: unknown control message type 99"),
                new BadLaunch("first message not hello", "cat FRAMES/heartbeat >&4; exec sleep 60",
                        "its first message was Heartbeat, not Hello"),
                new BadLaunch("other protocol version", "cat FRAMES/version >&4; exec sleep 60",
                        "remote speaks control protocol version " + (ControlMessage.PROTOCOL_VERSION + 1)),
                new BadLaunch("writes its frames to stdout", "cat FRAMES/hello; exec sleep 60",
                        // the container's own wait and the start timeout end together: either may say it
                        "did not say hello within PT2S", "start timed out after 2s"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badLaunches")
    void launchThatDoesNotSayHelloProperlyFailsWithTheReasonAndLeavesNoProcess(BadLaunch bad) throws Exception {
        Path frames = writeFrames();
        RemoteRuntime fake = fakeJava(bad.script().replace("FRAMES", frames.toString()));
        ClusterSpec cluster = ClusterSpec.builder("pipes").service(idle("svc").startTimeout(Duration.ofSeconds(2)).unconfined(true))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(dir.resolve("state")).listener(events)
                .containerFactory(new ProcessContainerFactory(fake)).build()) {
            manager.start();
            ServiceEvent failed = events.await("svc", Type.FAILED, TIMEOUT);
            assertThat(failed.details().get("reason").toString()).containsAnyOf(bad.reasons());
            awaitFakeGone();
        }
    }

    /**
     * A remote that says a proper hello and then never reads (stopped, stuck): the code, with a
     * large setting, fills its pipe. The manager must not wait on that write — its start timeout
     * still fires, the launch fails, and the process is killed.
     */
    @Test
    void remoteThatNeverReadsItsChannelStillTimesOutAndIsKilled() throws Exception {
        Path frames = writeFrames();
        RemoteRuntime fake = fakeJava("cat " + frames.resolve("hello") + " >&4\nexec sleep 60");
        String padding = "padding\n".repeat(55_000); // ~440 KB: far more than a pipe holds
        ClusterSpec cluster = ClusterSpec.builder("deaf").service(ServiceSpec.builder("svc")
                .code(CodeSpec.ofClass("Big")).setting("padding", padding).startTimeout(Duration.ofSeconds(2))
                .unconfined(true)).build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(dir.resolve("state")).listener(events)
                .containerFactory(new ProcessContainerFactory(fake)).build()) {
            manager.start();
            ServiceEvent failed = events.await("svc", Type.FAILED, Duration.ofSeconds(20));
            assertThat(failed.details().get("reason").toString()).contains("start timed out after 2s");
            awaitFakeGone();
        }
    }

    @Test
    void outputOnDescriptorOneIsServiceOutputAndNeverReachesTheChannel() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("stray")
                .service(configurable("svc").setting("strayOutput", "written by a child on fd 1").setting("print", "1"))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(dir.resolve("state")).listener(events)
                .build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            await().atMost(TIMEOUT).until(() -> events.lines("svc", OutputStream.STDERR)
                    .contains("written by a child on fd 1") && events.lines("svc", OutputStream.STDOUT).contains("out 1"));
            assertThat(manager.status("svc").state()).isEqualTo(ServiceState.RUNNING);
        }
        assertThat(events.historyOf("svc")).containsExactly("created", "starting", "running", "closing", "closed",
                "destroyed");
    }

    /** Issue 18: a line without end on the stderr pipe costs the manager 64 KiB, not all its memory. */
    @Test
    void aLineWithoutEndFromAChildIsCutAtItsBound() throws Exception {
        long bytes = 32L << 20;
        ClusterSpec cluster = ClusterSpec.builder("endless")
                .service(configurable("svc").setting("strayBytes", Long.toString(bytes)).setting("print", "1"))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(dir.resolve("state")).listener(events)
                .build()) {
            manager.start();
            manager.awaitRunning(TIMEOUT);
            String cut = await().atMost(TIMEOUT).until(() -> events.lines("svc", OutputStream.STDERR).stream()
                    .filter(l -> l.startsWith("xxx")).findFirst(), java.util.Optional::isPresent).orElseThrow();
            assertThat(cut).endsWith(" … [cut: " + (bytes - LineCutter.MAX_LINE_BYTES) + " more bytes]");
            assertThat(cut.length()).isLessThan(LineCutter.MAX_LINE_BYTES + 100);
            assertThat(manager.status("svc").state()).isEqualTo(ServiceState.RUNNING);
        }
    }

    @Test
    void remoteThatCorruptsItsChannelLosesOnlyItsOwnConnection() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("corrupt")
                .service(idle("bystander"))
                .service(configurable("svc").setting("startMillis", "300").setting("corruptControl", "yes"))
                .build();
        RecordingListener events = new RecordingListener();
        try (ServicesManager manager = ServicesManager.builder(cluster).stateDir(dir.resolve("state")).listener(events)
                .build()) {
            manager.start();
            await().atMost(TIMEOUT).until(() -> events.first("bystander", Type.RUNNING).isPresent());
            await().atMost(TIMEOUT).until(() -> events.first("svc", Type.FAILED).isPresent()
                    || events.first("svc", Type.CRASHED).isPresent());
            long bystander = manager.status("bystander").pid().orElseThrow();
            assertThat(manager.status("bystander").state()).isEqualTo(ServiceState.RUNNING);
            assertThat(Processes.gone(bystander)).isFalse();
        }
        assertThat(events.historyOf("bystander")).doesNotContain("crashed", "failed");
    }

    /** A shell script standing in for {@code java}: notes its pid, then runs {@code body}. */
    private RemoteRuntime fakeJava(String body) throws Exception {
        Path script = dir.resolve("fake-java");
        Files.writeString(script, "#!/bin/sh\necho $$ > " + dir.resolve("fake.pid") + "\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return new RemoteRuntime(script, List.of(), List.of());
    }

    /** The fake JVM's process is gone: a failed launch leaves nothing behind. */
    private void awaitFakeGone() throws Exception {
        long pid = Long.parseLong(Files.readString(dir.resolve("fake.pid")).trim());
        await().atMost(TIMEOUT).until(() -> Processes.gone(pid));
    }

    /** Control frames a fake remote can replay: {@code unknown}, {@code heartbeat}, {@code version}, {@code hello}. */
    private Path writeFrames() throws Exception {
        Path frames = Files.createDirectories(dir.resolve("frames"));
        Files.write(frames.resolve("unknown"), frame(new byte[] {99, 1, 2, 3}));
        Files.write(frames.resolve("heartbeat"), frame(ControlCodec.encode(new Heartbeat())));
        Files.write(frames.resolve("version"), frame(ControlCodec.encode(
                new Hello(ControlMessage.PROTOCOL_VERSION + 1, "whatever", 42, ""))));
        // a proper hello: over pipes there is no token, the pipes themselves prove the launch
        Files.write(frames.resolve("hello"), frame(ControlCodec.encode(new Hello(ControlMessage.PROTOCOL_VERSION, "", 42, ""))));
        return frames;
    }

    private static byte[] frame(byte[] payload) {
        return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
    }
}
