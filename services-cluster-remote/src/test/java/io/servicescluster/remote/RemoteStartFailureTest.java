package io.servicescluster.remote;

import static io.servicescluster.remote.RemoteLifecycleTest.classCode;
import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.protocol.ControlMessage.Close;
import io.servicescluster.protocol.ControlMessage.Closed;
import io.servicescluster.protocol.ControlMessage.Code;
import io.servicescluster.protocol.ControlMessage.CodeKind;
import io.servicescluster.protocol.ControlMessage.Start;
import io.servicescluster.protocol.ControlMessage.StartFailed;
import io.servicescluster.protocol.ControlMessage.Started;
import io.servicescluster.remote.services.EchoService;
import io.servicescluster.remote.services.FailingStartService;
import io.servicescluster.remote.services.NoDefaultConstructorService;
import io.servicescluster.remote.services.NotAService;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a start can fail ends in one StartFailed whose reason the user can act on (R12). */
class RemoteStartFailureTest {

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
    void startThatThrowsReportsTheExceptionAndItsStackTrace() throws Exception {
        String reason = startFailure(classCode("failing", FailingStartService.class.getName(), dir.resolve("w"), Map.of()));
        assertThat(reason).contains("java.lang.IllegalStateException: boom at start")
                .contains("at " + FailingStartService.class.getName() + ".start");
        assertClosesCleanly();
    }

    @Test
    void missingClassNamesTheClassAndTheClasspath() throws Exception {
        String reason = startFailure(classCode("ghost", "com.example.Ghost", dir.resolve("w"), Map.of()));
        assertThat(reason).contains("class com.example.Ghost not found").contains(FakeController.testClasses());
    }

    @Test
    void classThatIsNotAServiceIsRefused() throws Exception {
        String reason = startFailure(classCode("plain", NotAService.class.getName(), dir.resolve("w"), Map.of()));
        assertThat(reason).isEqualTo("class " + NotAService.class.getName()
                + " does not implement io.servicescluster.api.Service");
    }

    @Test
    void classWithoutNoArgumentConstructorIsRefused() throws Exception {
        String reason = startFailure(classCode("ctor", NoDefaultConstructorService.class.getName(), dir.resolve("w"),
                Map.of()));
        assertThat(reason).contains("has no public no-argument constructor");
    }

    @Test
    void compiledCodeWithoutItsClassNamesTheClass() throws Exception {
        String reason = startFailure(new Code("nothing", Map.of(), dir.resolve("w").toString(), CodeKind.COMPILED,
                "demo.Hidden", "Hidden.java", List.of(), List.of(), ""));
        assertThat(reason).contains("class demo.Hidden not found");
    }

    @Test
    void malformedTimeoutSettingIsRefusedWithTheDurationGrammar() throws Exception {
        // bare milliseconds were once read here: one grammar now, the cluster file's (SPEC §4)
        String reason = startFailure(classCode("echo", EchoService.class.getName(), dir.resolve("w"),
                Map.of("requestTimeout", "500")));
        assertThat(reason).isEqualTo("setting requestTimeout: invalid duration '500': write a whole number and a"
                + " unit, such as 250ms, 30s, 5m or 2h");
    }

    @Test
    void zeroTimeoutSettingIsRefused() throws Exception {
        String reason = startFailure(classCode("echo", EchoService.class.getName(), dir.resolve("w"),
                Map.of("sendTimeout", "0s")));
        assertThat(reason).isEqualTo("setting sendTimeout: invalid duration '0s': a timeout must be more than zero");
    }

    private String startFailure(Code code) throws Exception {
        controller = FakeController.launch(dir, Map.of());
        controller.send(code);
        controller.send(new Start());
        String reason = controller.awaitMessage(StartFailed.class).reason();
        assertThat(controller.first(Started.class)).isNull();
        return reason;
    }

    private void assertClosesCleanly() throws Exception {
        controller.send(new Close());
        assertThat(controller.awaitMessage(Closed.class).error()).isEmpty();
        assertThat(controller.awaitExit(FakeController.TIMEOUT)).isZero();
    }
}
