package io.servicescluster.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.protocol.ControlMessage.Close;
import io.servicescluster.protocol.ControlMessage.Closed;
import io.servicescluster.protocol.ControlMessage.Code;
import io.servicescluster.protocol.ControlMessage.CodeKind;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.protocol.ControlMessage.Start;
import io.servicescluster.protocol.ControlMessage.StartFailed;
import io.servicescluster.protocol.ControlMessage.Started;
import io.servicescluster.remote.apps.BrokenInitApp;
import io.servicescluster.remote.apps.PlainApp;
import io.servicescluster.remote.services.NotAService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An unmodified {@code public static void main} in a real remote JVM: start, close by its shutdown hooks, exits. */
class RemoteApplicationMainTest {

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
    void aServerMainThatReturnsIsStartedAndCloseRunsItsShutdownHooksThenExitsZero() throws Exception {
        Path marker = dir.resolve("hook-ran");
        launch(main(PlainApp.class.getName(), List.of(FakeController.testClasses()), "serve", marker.toString()));
        controller.awaitMessage(Started.class);

        controller.send(new Close());
        assertThat(controller.awaitExit(FakeController.TIMEOUT)).isZero();
        assertThat(Files.readString(marker)).isEqualTo("yes");
        // the hook's line is not lost to the halt; the threads main made are not daemons, as under java
        assertThat(controller.lines(OutputStream.STDOUT))
                .containsExactly("args: serve " + marker, "hook ran, daemon main thread: false");
        assertThat(controller.all(Closed.class)).isEmpty(); // the exit status is the answer
    }

    @Test
    void systemExitFromTheApplicationIsTheProcessExitAndItsLastOutputArrives() throws Exception {
        launch(main(PlainApp.class.getName(), List.of(FakeController.testClasses()), "exit", "3"));
        assertThat(controller.awaitExit(FakeController.TIMEOUT)).isEqualTo(3);
        assertThat(controller.lines(OutputStream.STDOUT)).containsExactly("args: exit 3", "last words before exit");
    }

    @Test
    void aMainThatReturnsWithNothingLeftRunningExitsZeroAfterStarted() throws Exception {
        launch(main(PlainApp.class.getName(), List.of(FakeController.testClasses()), "return"));
        assertThat(controller.awaitExit(FakeController.TIMEOUT)).isZero();
        assertThat(controller.first(Started.class)).isNotNull();
        assertThat(controller.lines(OutputStream.STDOUT)).containsExactly("args: return", "done");
    }

    @Test
    void aMainThatThrowsFailsTheStartWithItsException() throws Exception {
        launch(main(PlainApp.class.getName(), List.of(FakeController.testClasses()), "throw"));
        String reason = controller.awaitMessage(StartFailed.class).reason();
        assertThat(reason).startsWith("main of " + PlainApp.class.getName() + " threw java.lang.IllegalStateException: "
                + "bad arguments: 1");
    }

    @Test
    void aClassWhoseInitialiserThrowsFailsTheStart() throws Exception {
        launch(main(BrokenInitApp.class.getName(), List.of(FakeController.testClasses())));
        assertThat(controller.awaitMessage(StartFailed.class).reason()).startsWith("main of "
                + BrokenInitApp.class.getName() + " threw java.lang.ExceptionInInitializerError");
    }

    @Test
    void aMainThatBlocksIsStartedAfterTheGrace() throws Exception {
        launch(main(PlainApp.class.getName(), List.of(FakeController.testClasses()), "block"));
        controller.awaitMessage(Started.class);
        assertThat(controller.millisToFirst(Started.class)).isGreaterThanOrEqualTo(ApplicationMain.GRACE_MILLIS);
        controller.send(new Close());
        assertThat(controller.awaitExit(FakeController.TIMEOUT)).isZero();
    }

    @Test
    void aJarRunsItsManifestsMainClass() throws Exception {
        Path jar = jar("app.jar", PlainApp.class.getName());
        launch(main("", List.of(jar.toString(), FakeController.testClasses()), "return"));
        assertThat(controller.awaitExit(FakeController.TIMEOUT)).isZero();
        assertThat(controller.lines(OutputStream.STDOUT)).contains("done");
    }

    @Test
    void aJarWithoutMainClassFailsTheStartSayingSo() throws Exception {
        Path jar = jar("lib.jar", null);
        launch(main("", List.of(jar.toString()), "x"));
        assertThat(controller.awaitMessage(StartFailed.class).reason())
                .isEqualTo("the jar " + jar + " names no Main-Class in its manifest");
    }

    @Test
    void aClassWithoutMainFailsTheStartSayingSo() throws Exception {
        launch(main(NotAService.class.getName(), List.of(FakeController.testClasses())));
        assertThat(controller.awaitMessage(StartFailed.class).reason()).isEqualTo("class "
                + NotAService.class.getName() + " has no public static void main(String[])");
    }

    private void launch(Code code) throws Exception {
        controller = FakeController.launch(dir, Map.of());
        controller.send(code);
        controller.send(new Start());
    }

    private Code main(String className, List<String> classpath, String... args) {
        return new Code("app", Map.of(), dir.resolve("work").toString(), CodeKind.MAIN, className, "", classpath,
                List.of(), "", List.of(args));
    }

    /** An empty jar whose manifest names {@code mainClass} (none if null). */
    private Path jar(String name, String mainClass) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (mainClass != null) {
            manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        }
        Path jar = dir.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.flush();
        }
        return jar;
    }
}
