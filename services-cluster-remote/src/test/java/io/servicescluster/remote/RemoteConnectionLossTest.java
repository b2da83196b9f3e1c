package io.servicescluster.remote;

import static io.servicescluster.remote.RemoteLifecycleTest.classCode;
import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.protocol.ControlMessage.Hello;
import io.servicescluster.protocol.ControlMessage.Start;
import io.servicescluster.protocol.ControlMessage.Started;
import io.servicescluster.remote.services.CloseMarkerService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No remote outlives its controller (R11): every way of losing the connection ends the process. */
class RemoteConnectionLossTest {

    private static final Duration EXIT_WITHIN = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private FakeController controller;
    private Process orphan;

    @AfterEach
    void stopRemote() throws Exception {
        if (controller != null) {
            controller.close();
        }
        if (orphan != null) {
            orphan.destroyForcibly().onExit().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void controllerClosingTheSocketClosesTheServiceAndEndsTheProcess() throws Exception {
        controller = FakeController.launch(dir, Map.of());
        Path workDir = dir.resolve("w");
        controller.send(classCode("marker", CloseMarkerService.class.getName(), workDir, Map.of()));
        controller.send(new Start());
        controller.awaitMessage(Started.class);
        controller.disconnect();
        assertThat(controller.awaitExit(EXIT_WITHIN)).isEqualTo(1);
        assertThat(Files.readString(workDir.resolve("closed.txt"))).isEqualTo("closed");
        assertThat(controller.stderrText()).contains("connection to the controller lost");
    }

    @Test
    void silentControllerTripsTheWatchdog() throws Exception {
        controller = FakeController.launchSilent(dir, Map.of("SVC_WATCHDOG_MS", "500"));
        controller.awaitMessage(Hello.class);
        assertThat(controller.awaitExit(EXIT_WITHIN)).isEqualTo(1);
        assertThat(controller.stderrText()).contains("watchdog");
    }

    @Test
    void garbageFrameEndsTheProcess() throws Exception {
        controller = FakeController.launch(dir, Map.of());
        controller.awaitMessage(Hello.class);
        controller.sendRaw(new byte[] {99, 1, 2, 3});
        assertThat(controller.awaitExit(EXIT_WITHIN)).isEqualTo(1);
        assertThat(controller.stderrText()).contains("unknown control message type 99");
    }

    @Test
    void messageMeantForTheControllerIsAProtocolViolation() throws Exception {
        controller = FakeController.launch(dir, Map.of());
        controller.awaitMessage(Hello.class);
        controller.send(new Started(false));
        assertThat(controller.awaitExit(EXIT_WITHIN)).isEqualTo(1);
        assertThat(controller.stderrText()).contains("protocol violation: unexpected Started");
    }

    @Test
    void startWithoutCodeIsAProtocolViolation() throws Exception {
        controller = FakeController.launch(dir, Map.of());
        controller.send(new Start());
        assertThat(controller.awaitExit(EXIT_WITHIN)).isEqualTo(1);
        assertThat(controller.stderrText()).contains("protocol violation: unexpected Start");
    }

    @Test
    void unreachableControllerExitsWithStatusTwo() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(FakeController.javaCommand(), "-cp",
                FakeController.remoteClasspath(), RemoteMain.class.getName());
        builder.environment().put("SVC_CONTROL", "unix:" + dir.resolve("nobody-listens.sock"));
        builder.redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile());
        orphan = builder.start();
        assertThat(orphan.waitFor(EXIT_WITHIN.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(orphan.exitValue()).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("out.txt"))).contains("cannot connect to the controller at unix:");
    }
}
