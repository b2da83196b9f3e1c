package io.servicescluster.remote;

import static io.servicescluster.remote.RemoteLifecycleTest.classCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.protocol.ControlMessage.Start;
import io.servicescluster.protocol.ControlMessage.Started;
import io.servicescluster.protocol.ControlMessage.Stats;
import io.servicescluster.protocol.ControlMessage.UncaughtException;
import io.servicescluster.remote.services.IsolationProbeService;
import io.servicescluster.remote.services.LongLineService;
import io.servicescluster.remote.services.ThreadCrashService;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a running remote reports besides its lifecycle: exceptions, samples, output limits, isolation. */
class RemoteReportingTest {

    @TempDir
    Path dir;
    private FakeController controller;

    @AfterEach
    void stopRemote() throws Exception {
        if (controller != null) {
            controller.close();
        }
    }

    @Test
    void uncaughtExceptionInAServiceThreadIsReported() throws Exception {
        start(ThreadCrashService.class.getName(), Map.of());
        UncaughtException uncaught = controller.awaitMessage(UncaughtException.class);
        assertThat(uncaught.thread()).isEqualTo("worker");
        assertThat(uncaught.className()).isEqualTo("java.lang.IllegalArgumentException");
        assertThat(uncaught.message()).isEqualTo("crash in worker");
        assertThat(uncaught.stackTrace()).contains("at " + ThreadCrashService.class.getName() + ".crash");
        assertThat(controller.lines(OutputStream.STDERR)).isEmpty(); // reported, not printed as well
    }

    @Test
    void statsArriveAtTheConfiguredInterval() throws Exception {
        controller = FakeController.launch(dir, Map.of("SVC_STATS_MS", "100"));
        await().atMost(FakeController.TIMEOUT).until(() -> controller.all(Stats.class).size() >= 3);
        Stats stats = controller.all(Stats.class).get(2);
        assertThat(stats.cpuTimeNanos()).isPositive();
        assertThat(stats.cpuPercent()).isBetween(0.0, 100.0 * Runtime.getRuntime().availableProcessors() + 50);
        assertThat(stats.heapUsedBytes()).isPositive().isLessThanOrEqualTo(stats.heapMaxBytes());
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertThat(stats.rssBytes()).isGreaterThan(stats.heapUsedBytes() / 4).isPositive();
        }
    }

    @Test
    void overlongLineIsCutWithAMarkerAndLaterLinesStillArrive() throws Exception {
        start(LongLineService.class.getName(), Map.of());
        await().atMost(FakeController.TIMEOUT).until(() -> controller.lines(OutputStream.STDOUT).size() == 2);
        List<String> lines = controller.lines(OutputStream.STDOUT);
        assertThat(lines.get(0)).startsWith("x".repeat(LineOutputStream.MAX_LINE_BYTES) + " [")
                .endsWith("4464 bytes dropped: line longer than 65536 bytes]");
        assertThat(lines.get(1)).isEqualTo("short");
    }

    @Test
    void serviceSeesTheApiAndTheJdkButNotTheRuntime() throws Exception {
        start(IsolationProbeService.class.getName(), Map.of());
        await().atMost(FakeController.TIMEOUT).until(() -> controller.lines(OutputStream.STDOUT).size() == 6);
        assertThat(controller.lines(OutputStream.STDOUT)).containsExactly(
                "io.servicescluster.protocol.ControlMessage visible: false",
                "io.servicescluster.remote.RemoteMain visible: false",
                "io.servicescluster.api.Peer visible: true",
                "java.sql.Connection visible: true",
                "com.sun.source.tree.Tree visible: true",
                "peer: 'store' is not a declared dependency of 'probe': it may use only [] (dependsOn, R15)");
    }

    private void start(String className, Map<String, String> env) throws Exception {
        controller = FakeController.launch(dir, env);
        controller.send(classCode("probe", className, dir.resolve("w"), Map.of()));
        controller.send(new Start());
        controller.awaitMessage(Started.class);
    }
}
