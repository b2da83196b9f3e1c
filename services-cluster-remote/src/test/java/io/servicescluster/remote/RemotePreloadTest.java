package io.servicescluster.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.protocol.ControlMessage.Close;
import io.servicescluster.protocol.ControlMessage.Closed;
import io.servicescluster.protocol.ControlMessage.Code;
import io.servicescluster.protocol.ControlMessage.CodeKind;
import io.servicescluster.protocol.ControlMessage.Hello;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.protocol.ControlMessage.Start;
import io.servicescluster.protocol.ControlMessage.Started;
import io.servicescluster.remote.services.EchoService;
import io.servicescluster.remote.services.InitMarkerService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Preload}: a class service's class that the launch names is loaded as the JVM starts,
 * before its code comes, and that class is the one the start uses; a preload of another class,
 * or of one that is not there, changes nothing. Seen in the remote's own class-load log.
 */
class RemotePreloadTest {

    @TempDir
    Path dir;
    private FakeController controller;
    private Path classLog;

    @AfterEach
    void stopRemote() throws Exception {
        if (controller != null) {
            controller.close();
        }
    }

    @Test
    void theClassTheLaunchNamesIsLoadedBeforeItsCodeComesAndOnlyOnce() throws Exception {
        launch(EchoService.class.getName(), FakeController.testClasses());
        controller.awaitMessage(Hello.class);
        await("the class loaded before its code came").atMost(FakeController.TIMEOUT)
                .until(() -> loads(EchoService.class.getName()) == 1);

        startEcho();

        assertThat(loads(EchoService.class.getName())).as("the preloaded class is the one started: not loaded again")
                .isEqualTo(1);
    }

    @Test
    void aPreloadOfAnotherClassIsDroppedAndTheCodesClassStarts() throws Exception {
        Path marker = dir.resolve("marker");
        launch(InitMarkerService.class.getName(), FakeController.testClasses(), Map.of("JAVA_TOOL_OPTIONS",
                "-Xlog:class+load=info:file=" + dir.resolve("classes.log") + " -Dtest.marker=" + marker));
        controller.awaitMessage(Hello.class);
        await().atMost(FakeController.TIMEOUT).until(() -> loads(InitMarkerService.class.getName()) == 1);

        startEcho();

        assertThat(loads(EchoService.class.getName())).isEqualTo(1);
        assertThat(marker).as("the class preloaded for nothing is never initialised").doesNotExist();
    }

    @Test
    void aPreloadFromAnotherClassPathIsDropped() throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("other-classes"));
        launch(EchoService.class.getName(), FakeController.testClasses() + java.io.File.pathSeparator + elsewhere);
        controller.awaitMessage(Hello.class);
        await().atMost(FakeController.TIMEOUT).until(() -> loads(EchoService.class.getName()) == 1);

        startEcho();

        assertThat(loads(EchoService.class.getName())).as("loaded again, from the code's class path").isEqualTo(2);
    }

    @Test
    void aPreloadThatFailsIsNoFailureOfTheStart() throws Exception {
        launch("com.example.Missing", FakeController.testClasses());

        startEcho();

        assertThat(controller.lines(OutputStream.STDERR)).noneMatch(l -> l.contains("com.example.Missing"));
    }

    @Test
    void aPreloadOfTheRightClassThatFailedIsTriedAgainFromTheCode() throws Exception {
        // the class path's folder is still empty as the JVM begins (a build still writing it)...
        Path late = dir.resolve("late-classes");
        Path classFile = late.resolve(EchoService.class.getName().replace('.', '/') + ".class");
        launch(EchoService.class.getName(), late.toString());
        controller.awaitMessage(Hello.class);
        await("the preload over").atMost(FakeController.TIMEOUT).until(() -> !threadNames().contains("service-preload"));
        // ...and written by the time the code comes
        Files.createDirectories(classFile.getParent());
        try (var in = EchoService.class.getResourceAsStream(EchoService.class.getSimpleName() + ".class")) {
            Files.copy(in, classFile);
        }
        Path workDir = dir.resolve("work/late");
        controller.send(new Code("late", Map.of("greeting", "hi"), workDir.toString(), CodeKind.CLASS,
                EchoService.class.getName(), "", List.of(late.toString()), List.of(), ""));
        controller.send(new Start());

        controller.awaitMessage(Started.class);
        assertThat(Files.readString(workDir.resolve("started.txt"))).isEqualTo("started");
        controller.send(new Close());
        assertThat(controller.awaitMessage(Closed.class).error()).isEmpty();
    }

    /** The names of the remote's threads, as Linux knows them. */
    private List<String> threadNames() throws Exception {
        List<String> names = new java.util.ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(controller.process.pid()), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    names.add(Files.readString(task.resolve("comm")).strip());
                } catch (java.io.IOException ended) {
                    // that thread ended meanwhile
                }
            }
        }
        return names;
    }

    private void launch(String className, String classpath) throws Exception {
        launch(className, classpath, Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + dir.resolve("classes.log")));
    }

    private void launch(String className, String classpath, Map<String, String> more) throws Exception {
        classLog = dir.resolve("classes.log");
        Map<String, String> env = new HashMap<>(more);
        env.put(Preload.CLASS_VARIABLE, className);
        env.put(Preload.CLASS_PATH_VARIABLE, classpath);
        controller = FakeController.launch(dir, env);
    }

    /** Starts EchoService from the test classes, and checks that it ran and closes cleanly. */
    private void startEcho() throws Exception {
        Path workDir = dir.resolve("work/echo");
        controller.send(RemoteLifecycleTest.classCode("echo", EchoService.class.getName(), workDir, Map.of("greeting", "hi")));
        controller.send(new Start());
        controller.awaitMessage(Started.class);
        assertThat(Files.readString(workDir.resolve("started.txt"))).isEqualTo("started");
        assertThat(controller.lines(OutputStream.STDOUT)).contains("echo: hi from echo", "context loader: service");
        controller.send(new Close());
        assertThat(controller.awaitMessage(Closed.class).error()).isEmpty();
    }

    /** How many times the remote loaded a class of that name (once per class loader). */
    private long loads(String className) throws Exception {
        if (!Files.exists(classLog)) {
            return 0;
        }
        List<String> lines = Files.readAllLines(classLog);
        return lines.stream().filter(l -> l.contains(" " + className + " source:")).count();
    }
}
