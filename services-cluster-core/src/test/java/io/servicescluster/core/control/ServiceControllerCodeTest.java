package io.servicescluster.core.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.servicescluster.core.compile.CompileException;
import io.servicescluster.protocol.ConnectionPorts;
import io.servicescluster.protocol.ControlChannel;
import io.servicescluster.protocol.ControlMessage;
import io.servicescluster.protocol.ControlMessage.ClassFile;
import io.servicescluster.protocol.ControlMessage.Code;
import io.servicescluster.protocol.ControlMessage.CodeKind;
import io.servicescluster.protocol.ControlMessage.PeerUp;
import io.servicescluster.protocol.ControlMessage.Start;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Code that is still being compiled when the controller begins: sent (then the endpoints and the
 * start) once it is there; a compile error, or classes beyond the channel's frame limit, is a start
 * failure in words, and nothing is sent.
 */
class ServiceControllerCodeTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int LIMIT = 8 * 1024;

    @TempDir
    Path folder;

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final ServiceControllerGuardTest.Recorder heard = new ServiceControllerGuardTest.Recorder();
    private final List<ControlMessage> received = new CopyOnWriteArrayList<>();
    private ControlChannel remote;
    private ServiceController controller;

    @BeforeEach
    void connect() throws IOException {
        Path socket = folder.resolve("control.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            SocketChannel managerSide = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            remote = new ControlChannel(ConnectionPorts.wrap(server.accept(), LIMIT, "remote"));
            ControlChannel manager = new ControlChannel(ConnectionPorts.wrap(managerSide, LIMIT, "manager"));
            controller = new ServiceController("compiled", new ServiceControllerGuardTest.FakeRemote(manager), heard);
        }
        Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    received.add(remote.receive());
                }
            } catch (IOException e) {
                // closed
            }
        });
    }

    @AfterEach
    void close() {
        controller.stop();
        remote.close();
        timers.shutdownNow();
    }

    private static Code compiled(int classBytes) {
        return new Code("compiled", Map.of(), "/w", CodeKind.COMPILED, "demo.Big", "Big.java", List.of(), List.of(), "k",
                List.of(), List.of(new ClassFile("demo.Big", new byte[classBytes])));
    }

    @Test
    void codeStillCompilingIsSentWhenReadyThenTheEndpointsAndTheStart() {
        CompletableFuture<Code> code = new CompletableFuture<>();
        PeerUp peer = new PeerUp("db", "unix:/db.sock", "cap");
        controller.begin(code, List.of(peer), timers, Duration.ofMinutes(1), Duration.ofMinutes(1));
        assertThat(received).isEmpty();
        code.complete(compiled(100));
        await().atMost(WAIT).until(() -> received.size() == 3);
        assertThat(received).containsExactly(compiled(100), peer, new Start());
        assertThat(heard.calls).isEmpty();
    }

    @Test
    void aCompileErrorIsAStartFailureWithJavacsReportAndNothingIsSent() {
        String report = "compiling Big.java failed: 1 error\nBig.java:3: error: ';' expected\n";
        controller.begin(CompletableFuture.failedFuture(new CompileException(report)), List.of(), timers,
                Duration.ofMinutes(1), Duration.ofMinutes(1));
        await().atMost(WAIT).until(() -> !heard.calls.isEmpty());
        assertThat(heard.calls).containsExactly("startFailed " + report);
        assertThat(received).isEmpty();
    }

    @Test
    void classesBeyondTheFrameLimitAreAStartFailureThatSaysSo() {
        controller.begin(CompletableFuture.completedFuture(compiled(LIMIT)), List.of(), timers, Duration.ofMinutes(1),
                Duration.ofMinutes(1));
        await().atMost(WAIT).until(() -> !heard.calls.isEmpty());
        assertThat(heard.calls).hasSize(1);
        assertThat(heard.calls.getFirst()).startsWith("startFailed the classes compiled from Big.java take ")
                .contains("more than the control channel carries in one message (" + LIMIT + " bytes)");
        assertThat(received).isEmpty();
    }
}
