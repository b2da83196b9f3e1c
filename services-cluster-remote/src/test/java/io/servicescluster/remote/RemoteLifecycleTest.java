package io.servicescluster.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.protocol.ControlMessage;
import io.servicescluster.protocol.ControlMessage.ClassFile;
import io.servicescluster.protocol.ControlMessage.Close;
import io.servicescluster.protocol.ControlMessage.Closed;
import io.servicescluster.protocol.ControlMessage.Code;
import io.servicescluster.protocol.ControlMessage.CodeKind;
import io.servicescluster.protocol.ControlMessage.Hello;
import io.servicescluster.protocol.ControlMessage.Output;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.protocol.ControlMessage.Start;
import io.servicescluster.protocol.ControlMessage.Started;
import io.servicescluster.remote.services.EchoService;
import io.servicescluster.remote.services.FailingCloseService;
import io.servicescluster.remote.services.InitMarkerService;
import io.servicescluster.remote.services.ThreadNamesService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The orderly life of a remote in a real child JVM: Hello, Code, Start, Started, output, Close, Closed, exit 0. */
class RemoteLifecycleTest {

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
    void helloCarriesTokenPidAndVersion() throws Exception {
        controller = FakeController.launch(dir, Map.of());
        Hello hello = controller.awaitMessage(Hello.class);
        assertThat(hello.token()).isEqualTo("secret-token");
        assertThat(hello.pid()).isEqualTo(controller.process.pid());
        assertThat(hello.protocolVersion()).isEqualTo(ControlMessage.PROTOCOL_VERSION);
        assertThat(controller.received.get(0)).isInstanceOf(Hello.class);
        System.out.printf("remote: launch -> Hello took %d ms%n", controller.millisToFirst(Hello.class));
    }

    @Test
    void classServiceStartsSendsOutputAndClosesWithExitZero() throws Exception {
        controller = FakeController.launch(dir, Map.of());
        controller.awaitMessage(Hello.class);
        Path workDir = dir.resolve("work/echo");
        controller.send(classCode("echo", EchoService.class.getName(), workDir, Map.of("greeting", "hi")));
        controller.send(new Start());
        controller.awaitMessage(Started.class);
        System.out.printf("remote: launch -> Started (class service) took %d ms%n",
                controller.millisToFirst(Started.class));
        assertThat(Files.readString(workDir.resolve("started.txt"))).isEqualTo("started");

        controller.send(new Close());
        assertThat(controller.awaitMessage(Closed.class).error()).isEmpty();
        assertThat(controller.awaitExit(FakeController.TIMEOUT)).isZero();
        assertThat(controller.lines(OutputStream.STDOUT)).containsExactly("echo: hi from echo", "line one",
                "line two", "context loader: service", "bye", "partial without newline");
        assertThat(controller.lines(OutputStream.STDERR)).containsExactly("echo: to stderr");
        assertThat(Files.exists(workDir.resolve("closed.txt"))).isTrue();
        List<ControlMessage> received = controller.received;
        assertThat(received.get(received.size() - 1)).isInstanceOf(Closed.class); // output first, in order
        assertThat(received.indexOf(controller.first(Started.class)))
                .isGreaterThan(received.indexOf(new Output(OutputStream.STDOUT, "context loader: service")));
    }

    @Test
    void codeBeforeItsStartLoadsTheClassButRunsNoCodeOfTheService() throws Exception {
        Path classLog = dir.resolve("classes.log");
        Path marker = dir.resolve("marker");
        controller = FakeController.launch(dir, Map.of("JAVA_TOOL_OPTIONS",
                "-Xlog:class+load=info:file=" + classLog + " -Dtest.marker=" + marker));
        controller.awaitMessage(Hello.class);
        controller.send(classCode("ahead", InitMarkerService.class.getName(), dir.resolve("work/ahead"), Map.of()));
        // a remote launched ahead of its start loads the service's class meanwhile (issue 14)...
        await().atMost(FakeController.TIMEOUT).until(() -> Files.exists(classLog)
                && Files.readString(classLog).contains(InitMarkerService.class.getName()));
        // ...but neither initialises it nor makes the service: that is the start's
        assertThat(marker).doesNotExist();

        controller.send(new Start());
        controller.awaitMessage(Started.class);
        assertThat(Files.readAllLines(marker)).containsExactly("initialised", "constructed");
    }

    @Test
    void compiledClassesAreDefinedFromTheirBytesAndStart() throws Exception {
        controller = FakeController.launch(dir, Map.of());
        // the class's bytes alone, with an empty classpath: only the message can give it to the remote
        byte[] bytes;
        try (var in = EchoService.class.getResourceAsStream(EchoService.class.getSimpleName() + ".class")) {
            bytes = in.readAllBytes();
        }
        Path workDir = dir.resolve("w");
        controller.send(new Code("greeter", Map.of("greeting", "compiled hello"), workDir.toString(),
                CodeKind.COMPILED, EchoService.class.getName(), "EchoService.java", List.of(), List.of(), "", List.of(),
                List.of(new ClassFile(EchoService.class.getName(), bytes))));
        controller.send(new Start());
        controller.awaitMessage(Started.class);
        System.out.printf("remote: launch -> Started (compiled classes) took %d ms%n",
                controller.millisToFirst(Started.class));
        assertThat(Files.readString(workDir.resolve("started.txt"))).isEqualTo("started");
        assertThat(controller.lines(OutputStream.STDOUT)).contains("echo: compiled hello from greeter");
    }

    @Test
    void closeThatThrowsIsReportedInClosedAndStillExitsZero() throws Exception {
        controller = FakeController.launch(dir, Map.of());
        controller.send(classCode("fragile", FailingCloseService.class.getName(), dir.resolve("w"), Map.of()));
        controller.send(new Start());
        controller.awaitMessage(Started.class);
        controller.send(new Close());
        String error = controller.awaitMessage(Closed.class).error();
        assertThat(error).contains("IllegalStateException: close failed on purpose").contains("FailingCloseService");
        assertThat(controller.awaitExit(FakeController.TIMEOUT)).isZero();
    }

    @Test
    void closeBeforeStartAnswersClosedAndExitsZero() throws Exception {
        controller = FakeController.launch(dir, Map.of());
        controller.awaitMessage(Hello.class);
        controller.send(new Close());
        assertThat(controller.awaitMessage(Closed.class).error()).isEmpty();
        assertThat(controller.awaitExit(FakeController.TIMEOUT)).isZero();
    }

    /**
     * Issue 14, item 4: the close runs on the start's thread, renamed (Service's contract names
     * it "service-close"): a close in R9's cascade wakes a waiting thread instead of starting one.
     */
    @Test
    void closeRunsOnTheStartsThreadRenamedServiceClose() throws Exception {
        controller = FakeController.launch(dir, Map.of());
        controller.send(classCode("threads", ThreadNamesService.class.getName(), dir.resolve("w"), Map.of()));
        controller.send(new Start());
        controller.awaitMessage(Started.class);
        controller.send(new Close());
        assertThat(controller.awaitMessage(Closed.class).error()).isEmpty();
        assertThat(controller.awaitExit(FakeController.TIMEOUT)).isZero();
        List<String> lines = controller.lines(OutputStream.STDOUT);
        assertThat(lines).hasSize(2);
        String id = lines.get(0).substring(lines.get(0).indexOf('#'));
        assertThat(lines).containsExactly("start on service-start " + id, "close on service-close " + id);
    }

    static Code classCode(String name, String className, Path workDir, Map<String, String> settings) {
        return new Code(name, settings, workDir.toString(), CodeKind.CLASS, className, "",
                List.of(FakeController.testClasses()), List.of(), "");
    }
}
