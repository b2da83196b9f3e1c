package io.servicescluster.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.protocol.ControlMessage.Code;
import io.servicescluster.protocol.ControlMessage.CodeKind;
import io.servicescluster.protocol.ControlMessage.Hello;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.protocol.ControlMessage.Start;
import io.servicescluster.protocol.ControlMessage.Started;
import io.servicescluster.remote.services.PeerProbeService;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remote's side of the data plane, with a fake controller: endpoints in Hello, peer() refusals. */
class RemoteDataPlaneTest {

    @TempDir
    Path dir;

    private FakeController controller;

    @AfterEach
    void tearDown() throws Exception {
        if (controller != null) {
            controller.close();
        }
    }

    @Test
    void helloReportsTheBoundUnixEndpoint() throws Exception {
        String endpoint = "unix:" + dir.resolve("svc.data");
        controller = FakeController.launch(dir, Map.of("SVC_DATA", endpoint));
        assertThat(controller.awaitMessage(Hello.class).dataEndpoint()).isEqualTo(endpoint);
    }

    @Test
    void tcpPortZeroIsReportedAsTheChosenPort() throws Exception {
        controller = FakeController.launch(dir, Map.of("SVC_DATA", "tcp:127.0.0.1:0"));
        String endpoint = controller.awaitMessage(Hello.class).dataEndpoint();
        assertThat(endpoint).startsWith("tcp:127.0.0.1:").doesNotEndWith(":0");
        int port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
        try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
            assertThat(channel.isConnected()).isTrue(); // it listens before Hello
        }
    }

    @Test
    void withoutSvcDataTheEndpointIsEmpty() throws Exception {
        controller = FakeController.launch(dir, Map.of());
        assertThat(controller.awaitMessage(Hello.class).dataEndpoint()).isEmpty();
    }

    @Test
    void peerRefusesUndeclaredAndNotYetRunningDependencies() throws Exception {
        controller = FakeController.launch(dir, Map.of());
        controller.awaitMessage(Hello.class);
        controller.send(new Code("probe", Map.of(), dir.resolve("work").toString(), CodeKind.CLASS,
                PeerProbeService.class.getName(), "", List.of(FakeController.testClasses()), List.of("db"), ""));
        controller.send(new Start()); // no PeerUp for db: it is not running
        controller.awaitMessage(Started.class);
        await().atMost(FakeController.TIMEOUT).until(() -> controller.lines(OutputStream.STDOUT).size() >= 2);
        assertThat(controller.lines(OutputStream.STDOUT)).containsExactly(
                "db: IllegalStateException: 'db' is not running (R6)",
                "stranger: IllegalArgumentException: 'stranger' is not a declared dependency of 'probe': it may use"
                        + " only [db] (dependsOn, R15)");
    }
}
