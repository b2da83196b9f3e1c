package io.servicescluster.core.container.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.servicescluster.protocol.ConnectionPorts;
import io.servicescluster.protocol.ControlChannel;
import io.servicescluster.protocol.ControlCodec;
import io.servicescluster.protocol.ControlMessage;
import io.servicescluster.protocol.ControlMessage.Heartbeat;
import io.servicescluster.protocol.ControlMessage.Hello;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * A control socket drops every connection that breaks the protocol before or in its Hello, and
 * keeps serving: the peer reads the end of the stream, the manager logs why, and an expected
 * launch still connects afterwards. Real Unix sockets, no mocks. (The Docker container's remotes
 * connect through it; the process container's remotes use pipes, tested in the process module's {@code ControlPipesTest}.)
 */
class ControlSocketTest {

    /** Well below the socket's 10 s hello timeout, so a close seen here is a refusal, not a timeout. */
    private static final Duration CLOSED_WITHIN = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(ControlSocket.class);

    @BeforeEach
    void captureLog() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(log);
    }

    /** One way to break the protocol: the bytes sent, whether the sender then stops writing, and the reason logged. */
    record Malformed(String name, byte[] bytes, boolean endOutput, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Malformed> malformed() {
        byte[] hello = ControlCodec.encode(new Hello(ControlMessage.PROTOCOL_VERSION, "some-token", 42, ""));
        return Stream.of(
                new Malformed("length over the limit", header(ConnectionPorts.DEFAULT_MAX_FRAME_SIZE + 1), false,
                        "exceeds the limit"),
                new Malformed("negative length", header(-1), false, "exceeds the limit"),
                new Malformed("unknown message type", frame(new byte[] {99, 1, 2, 3}), false,
                        "unknown control message type 99"),
                new Malformed("empty payload", frame(new byte[0]), false, "truncated"),
                new Malformed("truncated message", frame(Arrays.copyOf(hello, hello.length - 3)), false, "truncated"),
                new Malformed("trailing bytes", frame(Arrays.copyOf(hello, hello.length + 2)), false,
                        "after the end of Hello"),
                new Malformed("truncated frame", Arrays.copyOf(frame(hello), 10), true, "in the middle of a frame"),
                new Malformed("first message not Hello", frame(ControlCodec.encode(new Heartbeat())), false,
                        "the first message was Heartbeat, not Hello"),
                new Malformed("hello with a wrong token", frame(hello), false, "unknown token"),
                new Malformed("wrong version, unknown token",
                        frame(ControlCodec.encode(new Hello(ControlMessage.PROTOCOL_VERSION + 1, "nope", 42, ""))), false,
                        "unknown token"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedConnectionIsClosedAndTheSocketKeepsServing(Malformed bad) throws Exception {
        try (ControlSocket socket = ControlSocket.bind(dir.resolve("s.sock"), "svc")) {
            CompletableFuture<ControlSocket.Handshake> expected = socket.expect("the-real-token");

            assertClosedByManager(socketPath(socket), bad);

            await().atMost(CLOSED_WITHIN).pollInterval(Duration.ofMillis(10)).untilAsserted(() ->
                    assertThat(warnings()).anySatisfy(w -> assertThat(w).contains(bad.reason())));
            assertThat(expected).as("a refused connection must not settle an expected launch").isNotDone();
            assertExpectedLaunchConnects(socket, expected, "the-real-token");
        }
    }

    @Test
    void wrongProtocolVersionWithTheRightTokenFailsThatLaunchAndIsClosed() throws Exception {
        try (ControlSocket socket = ControlSocket.bind(dir.resolve("s.sock"), "svc")) {
            CompletableFuture<ControlSocket.Handshake> expected = socket.expect("token-1");
            byte[] hello = frame(ControlCodec.encode(
                    new Hello(ControlMessage.PROTOCOL_VERSION + 1, "token-1", 42, "")));

            assertClosedByManager(socketPath(socket), new Malformed("version", hello, false, "version"));

            assertThat(expected).failsWithin(CLOSED_WITHIN).withThrowableOfType(ExecutionException.class)
                    .withMessageContaining("remote speaks control protocol version "
                            + (ControlMessage.PROTOCOL_VERSION + 1));
            assertExpectedLaunchConnects(socket, socket.expect("token-2"), "token-2");
        }
    }

    // ---- helpers --------------------------------------------------------------------------

    private static Path socketPath(ControlSocket socket) {
        return Path.of(socket.endpoint().substring("unix:".length()));
    }

    /** Sends {@code bad}, then requires the manager to close the connection: the next read is the end of stream. */
    private static void assertClosedByManager(Path socket, Malformed bad) throws Exception {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.wrap(bad.bytes());
            while (out.hasRemaining()) {
                channel.write(out);
            }
            if (bad.endOutput()) {
                channel.shutdownOutput();
            }
            CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
                try {
                    return channel.read(ByteBuffer.allocate(64));
                } catch (IOException e) {
                    throw new IllegalStateException("expected a clean end of stream after " + bad + ", got " + e, e);
                }
            });
            assertThat(read.get(CLOSED_WITHIN.toMillis(), TimeUnit.MILLISECONDS))
                    .as("the manager's side must close the connection after: %s", bad).isEqualTo(-1);
        }
    }

    /** A remote that says hello with {@code token} is handed over, and its channel works. */
    private static void assertExpectedLaunchConnects(ControlSocket socket,
            CompletableFuture<ControlSocket.Handshake> expected, String token) throws Exception {
        try (ControlChannel remote = new ControlChannel(ConnectionPorts.connectUnix(socketPath(socket),
                ConnectionPorts.DEFAULT_MAX_FRAME_SIZE))) {
            remote.send(new Hello(ControlMessage.PROTOCOL_VERSION, token, 4242, ""));
            ControlSocket.Handshake handshake = expected.get(CLOSED_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(handshake.hello().pid()).isEqualTo(4242);
            handshake.channel().send(new Heartbeat());
            assertThat(remote.receive()).isEqualTo(new Heartbeat());
            handshake.channel().close();
        }
    }

    private List<String> warnings() {
        List<ILoggingEvent> events;
        synchronized (log) { // logback appends while holding the appender's lock
            events = List.copyOf(log.list);
        }
        return events.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("control connection refused")).toList();
    }

    private static byte[] header(int length) {
        return ByteBuffer.allocate(4).putInt(length).array();
    }

    private static byte[] frame(byte[] payload) {
        return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
    }
}
