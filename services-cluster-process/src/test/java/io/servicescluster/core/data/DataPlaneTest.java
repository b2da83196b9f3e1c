package io.servicescluster.core.data;

import static io.servicescluster.core.data.DataSpecs.LEFTOVERS_HARMLESS;
import static io.servicescluster.core.data.DataSpecs.client;
import static io.servicescluster.core.data.DataSpecs.result;
import static io.servicescluster.core.data.DataSpecs.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.protocol.DataCodec;
import io.servicescluster.protocol.DataMessage;
import io.servicescluster.protocol.DataMessage.Open;
import io.servicescluster.protocol.DataMessage.Refused;
import io.servicescluster.protocol.DataMessage.Request;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.ServiceProcesses;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests and events between two real service processes (issue 3): one cluster, a {@link
 * io.servicescluster.testing.services.DataServer} and a {@link
 * io.servicescluster.testing.services.DataClient} that runs every scenario and prints its result.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataPlaneTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    static Path state;

    private final RecordingListener events = new RecordingListener();
    private ServicesManager manager;
    private List<Long> pids;

    @BeforeAll
    void startCluster() throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("data")
                .service(server("server"))
                .service(client("client", "server", "blocking,leftovers,interruptedCaller,undeclared,echo,failure,timeout,limit,bulk,chain,direct,directBeside,eventsBeside,events,publish")
                        .setting("requestTimeout", "1500ms"))
                .build();
        manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build();
        manager.start();
        manager.awaitRunning(TIMEOUT);
        pids = Stream.of("server", "client").map(n -> manager.status(n).pid().orElseThrow()).toList();
    }

    @AfterAll
    void stopCluster() {
        if (manager != null) {
            manager.close();
        }
        if (pids != null) {
            pids.forEach(ServiceProcesses::awaitGone);
        }
    }

    @Test
    void peerOfAnUndeclaredServiceIsRefusedByTheLibrary() {
        assertThat(result(events, "client", "undeclared", TIMEOUT))
                .contains("'nobody' is not a declared dependency of 'client'", "[server]", "R15");
    }

    @Test
    void manyConcurrentRequestsGetTheirOwnAnswers() {
        assertThat(result(events, "client", "echo", TIMEOUT)).isEqualTo("9600");
    }

    @Test
    void requestsIssuedFromReplyCallbacksGetTheirOwnAnswers() {
        assertThat(result(events, "client", "chain", TIMEOUT)).isEqualTo("25600 good 0 bad");
    }

    @Test
    void handlerExceptionsReachTheCallerWithClassAndMessage() {
        String[] parts = result(events, "client", "failure", TIMEOUT).split("\\|");
        assertThat(parts[0]).isEqualTo("java.lang.IllegalStateException");
        assertThat(parts[1]).isEqualTo("bad input");
        assertThat(parts[2]).isEqualTo("RemoteException");
        assertThat(parts[3]).contains("UnsupportedOperationException", "server has no handler for request 'nosuch'",
                "echo", "fail");
    }

    @Test
    void requestsTimeOutPerCallOrByDefault() {
        String[] parts = result(events, "client", "timeout", TIMEOUT).split("\\|");
        assertThat(parts[0]).isEqualTo("TimeoutException");
        assertThat(Long.parseLong(parts[1])).isBetween(190L, 1400L);
        assertThat(parts[2]).isEqualTo("TimeoutException");
        assertThat(Long.parseLong(parts[3])).isBetween(1490L, 4000L);
        assertThat(parts[4]).contains("request 'sleep' to server got no reply within 200ms");
        assertThat(parts[5]).isEqualTo("still there");
    }

    @Test
    void payloadAtTheLimitPassesAndOneByteOverFailsOnTheSenderOnly() {
        String[] parts = result(events, "client", "limit", TIMEOUT).split("\\|");
        assertThat(parts[0]).isEqualTo(Integer.toString(DataCodec.MAX_PAYLOAD));
        assertThat(parts[1]).isEqualTo("42");
        assertThat(parts[2]).isEqualTo("IllegalArgumentException");
        assertThat(parts[3]).contains((DataCodec.MAX_PAYLOAD + 1) + " bytes exceeds the limit of "
                + DataCodec.MAX_PAYLOAD);
        assertThat(parts[4]).isEqualTo("refused");
        assertThat(parts[5]).isEqualTo("after");
    }

    /**
     * Issue 14, item 5: a lone request is served by the thread that read it, which first hands the
     * reading on; handlers that block — six, more than a connection's reading threads — stop
     * nothing, and the threads that read and serve stay few. First of the client's scenarios: a
     * handler still running (the timeout scenario's sleeps) sends lone requests to virtual threads.
     */
    @Test
    void aLoneRequestIsServedWhereItWasReadAndBlockingHandlersStopNothing() {
        String[] parts = result(events, "client", "blocking", TIMEOUT).split(" ");
        assertThat(parts[0]).as("lone requests served on the reading thread, of 20").isEqualTo("20");
        assertThat(parts[1]).isEqualTo("released");
        assertThat(parts[2]).as("blocked handlers released").isEqualTo("6");
        assertThat(Integer.parseInt(parts[3])).as("reading threads").isBetween(1, 4);
    }

    /**
     * Issue 14, item 5: the thread that served a lone request reads and serves again, so what a
     * handler leaves on it (an interrupt, a context class loader) must not reach the next request
     * nor close the connection; an exception whose getMessage throws is still answered.
     */
    @Test
    void whatAHandlerLeavesOnItsThreadHarmsNoLaterRequest() {
        assertThat(result(events, "client", "leftovers", TIMEOUT)).isEqualTo(LEFTOVERS_HARMLESS);
    }

    /** One caller's interrupt must not close the connection that all callers of the dependency share. */
    @Test
    void anInterruptedCallerClosesNothing() {
        assertThat(result(events, "client", "interruptedCaller", TIMEOUT)).isEqualTo("300 from-interrupted");
    }

    /**
     * {@code onRequestDirect}: every request runs on the thread that read it, even 400 at once; a
     * failure reaches the caller; an interrupt and a class loader a handler leaves on the reader
     * harm no later request; chains issued from reply callbacks all end; a method is declared once.
     */
    @Test
    void directHandlersRunOnTheReadingThreadAndHarmNothing() {
        String[] parts = result(events, "client", "direct", TIMEOUT).split(" ", 6);
        assertThat(parts[0]).as("direct requests served on the reading thread, of 400").isEqualTo("400");
        assertThat(parts[1]).isEqualTo("java.lang.IllegalStateException|direct:input");
        assertThat(parts[2]).as("echoed after a handler left an interrupt, of 10").isEqualTo("10");
        assertThat(parts[3]).as("the service's class loader again, of 10").isEqualTo("10");
        assertThat(parts[4]).as("chained direct echoes, of 128 x 200").isEqualTo("25600");
        assertThat(parts[5]).isEqualTo("a handler for request 'echo' is already declared");
    }

    /**
     * A direct handler that blocks holds back the requests read after it, not those read before it
     * in the same read: their handlers' threads start before it runs.
     */
    @Test
    void aBlockingDirectHandlerDoesNotHoldBackRequestsReadBeforeIt() {
        assertThat(result(events, "client", "directBeside", TIMEOUT)).isEqualTo("ran");
    }

    /**
     * A request read before events that make the reader wait for room in the event lane starts
     * meanwhile: a slow event handler holds back what its sender sends after, not before.
     */
    @Test
    void aFullEventLaneDoesNotHoldBackRequestsReadBeforeTheEvents() {
        assertThat(result(events, "client", "eventsBeside", TIMEOUT)).isEqualTo("saw");
    }

    @Test
    void hundredThousandRequestsWithoutALoss() {
        assertThat(result(events, "client", "bulk", TIMEOUT)).isEqualTo("100000 good 0 bad");
    }

    @Test
    void eventsFromOneSenderArriveInOrder() {
        assertThat(result(events, "client", "events", TIMEOUT)).isEqualTo("100000 true");
    }

    @Test
    void publishedEventsReachSubscribersInOrder() {
        assertThat(result(events, "client", "publish", TIMEOUT)).isEqualTo("10000 received 0 out of order");
    }

    @Test
    void forgedClientsAreRefusedByTheReceiver() throws Exception {
        result(events, "client", "echo", TIMEOUT); // the server is serving
        Path socket;
        try (Stream<Path> files = Files.walk(manager.runDirectory())) { // the server's data socket, wherever kept
            socket = files.filter(f -> f.getFileName().toString().endsWith(".data")
                    && manager.runDirectory().relativize(f).toString().startsWith("server"))
                    .findFirst().orElseThrow();
        }
        // a wrong capability in the name of the real dependent, one for a stranger, and no Open at all
        String wrong = "00".repeat(32);
        assertThat(refusal(socket, new Open(DataCodec.VERSION, "client", wrong)))
                .contains("'client' holds no capability for 'server'", "R15");
        assertThat(refusal(socket, new Open(DataCodec.VERSION, "intruder", "not-hex")))
                .contains("'intruder' holds no capability");
        assertThat(refusal(socket, new Request(1, "echo", new byte[3])))
                .contains("the first message must be Open");
        // the remote's stderr reaches the manager through a pipe of its own, after the refusal itself
        org.awaitility.Awaitility.await().atMost(TIMEOUT).untilAsserted(() -> assertThat(events.lines("server",
                io.servicescluster.protocol.ControlMessage.OutputStream.STDERR))
                .anyMatch(l -> l.contains("refused a data connection")));
    }

    /** Connects like a forged client, says {@code first}, and returns the refusal; the socket must close after it. */
    private static String refusal(Path socket, DataMessage first) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(ByteBuffer.wrap(DataCodec.encode(first)));
            ByteBuffer header = ByteBuffer.allocate(4);
            readFully(channel, header);
            ByteBuffer payload = ByteBuffer.allocate(header.getInt(0));
            readFully(channel, payload);
            DataMessage answer = DataCodec.decode(payload.flip());
            assertThat(answer).isInstanceOf(Refused.class);
            assertThat(channel.read(ByteBuffer.allocate(1))).as("closed after the refusal").isEqualTo(-1);
            return ((Refused) answer).reason();
        }
    }

    private static void readFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("closed early");
            }
        }
    }
}
