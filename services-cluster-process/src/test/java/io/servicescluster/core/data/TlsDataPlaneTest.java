package io.servicescluster.core.data;

import static io.servicescluster.core.data.DataSpecs.LEFTOVERS_HARMLESS;
import static io.servicescluster.core.data.DataSpecs.client;
import static io.servicescluster.core.data.DataSpecs.result;
import static io.servicescluster.core.data.DataSpecs.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.servicescluster.core.config.ClusterSpec;
import io.servicescluster.core.config.CodeSpec;
import io.servicescluster.core.config.Permissions;
import io.servicescluster.core.config.ServiceSpec;
import io.servicescluster.core.container.process.ProcessOptions;
import io.servicescluster.core.container.support.ClusterCa;
import io.servicescluster.core.container.support.ControlSocket;
import io.servicescluster.core.manager.ServiceState;
import io.servicescluster.core.manager.ServicesManager;
import io.servicescluster.protocol.ConnectionPorts;
import io.servicescluster.protocol.ControlMessage.OutputStream;
import io.servicescluster.protocol.DataCodec;
import io.servicescluster.protocol.DataMessage;
import io.servicescluster.protocol.DataMessage.Open;
import io.servicescluster.protocol.DataMessage.Refused;
import io.servicescluster.protocol.TlsCredentials;
import io.servicescluster.testing.ListeningPorts;
import io.servicescluster.testing.RecordingListener;
import io.servicescluster.testing.ServiceProcesses;
import io.servicescluster.testing.TestClusters;
import io.servicescluster.testing.services.SpawningParent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Two real service JVMs under {@code process: {transport: tls}} (R17): the dependent's requests
 * and events reach the dependency and its events come back, over mutual TLS on 127.0.0.1; the
 * dependency and the manager refuse plain TCP and a certificate of another CA, and say so in the
 * manager's log; the capability still decides (R15); every start has a certificate of its own.
 * The services are confined as by default (bubblewrap, with the network they need).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsDataPlaneTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final ProcessOptions TLS = new ProcessOptions(ProcessOptions.Transport.TLS);

    @TempDir
    static Path state;

    private final RecordingListener events = new RecordingListener();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger controlLog = (Logger) LoggerFactory.getLogger(ControlSocket.class);
    private ServicesManager manager;
    private ClusterCa ca;

    @BeforeAll
    void startCluster() throws Exception {
        log.start();
        controlLog.addAppender(log);
        ClusterSpec cluster = ClusterSpec.builder("tlsdata")
                .service(server("server").options(TLS))
                .service(client("client", "server", "blocking,leftovers,echo,chain,direct,events,publish,limit").options(TLS))
                .build();
        manager = ServicesManager.builder(cluster).stateDir(state).listener(events).build();
        manager.start();
        manager.awaitRunning(TIMEOUT);
        // the same CA the manager made for this cluster (one per run folder, in this JVM)
        ca = ClusterCa.of(manager.runDirectory(), "tlsdata");
    }

    @AfterAll
    void stopCluster() {
        controlLog.detachAppender(log);
        if (manager != null) {
            List<Long> pids = manager.status().stream().flatMap(s -> s.pid().stream().boxed()).toList();
            manager.close();
            pids.forEach(ServiceProcesses::awaitGone);
        }
    }

    @Test
    void requestsAndEventsTravelOverTls() throws IOException {
        // a lone request served by the thread that read it, which hands the TLS reading on (issue 14, item 5)
        String[] blocking = result(events, "client", "blocking", TIMEOUT).split(" ");
        assertThat(blocking[0]).as("lone requests served on the reading thread, of 20").isEqualTo("20");
        assertThat(blocking[2]).as("blocked handlers released").isEqualTo("6");
        assertThat(result(events, "client", "leftovers", TIMEOUT)).isEqualTo(LEFTOVERS_HARMLESS);
        assertThat(result(events, "client", "echo", TIMEOUT)).isEqualTo("9600");
        assertThat(result(events, "client", "chain", TIMEOUT)).isEqualTo("25600 good 0 bad");
        // direct handlers (onRequestDirect) over TLS: on the reading thread; replies held for a read's end are written
        assertThat(result(events, "client", "direct", TIMEOUT))
                .isEqualTo("400 java.lang.IllegalStateException|direct:input 10 10 25600 "
                        + "a handler for request 'echo' is already declared");
        assertThat(result(events, "client", "events", TIMEOUT)).isEqualTo("100000 true");
        assertThat(result(events, "client", "publish", TIMEOUT)).isEqualTo("10000 received 0 out of order");
        String[] limit = result(events, "client", "limit", TIMEOUT).split("\\|");
        assertThat(limit[0]).isEqualTo(Integer.toString(DataCodec.MAX_PAYLOAD));
        assertThat(limit[5]).isEqualTo("after");
        // and over nothing else: the run folder holds no data socket, the certificate authority only
        try (Stream<Path> files = Files.walk(manager.runDirectory())) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith(".data"))).isEmpty();
        }
        assertThat(manager.runDirectory().resolve("tls/ca.pem")).exists();
    }

    @Test
    void theDependencyRefusesPlainTcpAndForeignCertificatesAndLogsIt() throws Exception {
        result(events, "client", "echo", TIMEOUT); // serving
        String endpoint = dataEndpoint("server");
        InetSocketAddress address = (InetSocketAddress) ConnectionPorts.parseAddress(endpoint);
        // plain TCP: an Open in the clear gets no answer but the end of the connection
        try (SocketChannel plain = SocketChannel.open(address)) {
            plain.write(ByteBuffer.wrap(DataCodec.encode(new Open(DataCodec.VERSION, "client", "00"))));
            ByteBuffer answer = ByteBuffer.allocate(64);
            while (plain.read(answer) >= 0) { // at most a TLS alert, then the end
                assertThat(answer.position()).isLessThan(16);
            }
        }
        // a certificate of another CA, in the dependent's name
        TlsCredentials forged = ClusterCa.inMemory("tlsdata").issue("client", "start 1");
        assertThatThrownBy(() -> refusal(endpoint, forged, new Open(DataCodec.VERSION, "client", "00")))
                .isInstanceOf(IOException.class);
        await().atMost(TIMEOUT).until(() -> events.lines("server", OutputStream.STDERR).stream()
                .filter(l -> l.contains("refused a data connection from") && l.contains("the TLS handshake failed"))
                .count() >= 2);
    }

    @Test
    void aCertificateOfTheClusterStillNeedsTheCapabilityAndItsOwnName() throws Exception {
        result(events, "client", "echo", TIMEOUT);
        String endpoint = dataEndpoint("server");
        TlsCredentials intruder = ca.issue("intruder", "start 1");
        assertThat(refusal(endpoint, intruder, new Open(DataCodec.VERSION, "intruder", "00".repeat(32))))
                .contains("'intruder' holds no capability for 'server'", "R15");
        assertThat(refusal(endpoint, intruder, new Open(DataCodec.VERSION, "client", "00".repeat(32))))
                .contains("'client' holds no capability");
    }

    @Test
    void theManagerRefusesAForeignCertificateAndPlainTcpOnItsControlPortsAndLogsIt() throws Exception {
        List<Integer> ports = managerControlPorts();
        assertThat(ports).as("one control port per service").hasSize(2);
        TlsCredentials forged = ClusterCa.inMemory("tlsdata").issue("server", "start 1");
        for (int port : ports) {
            String endpoint = "tls:127.0.0.1:" + port;
            assertThatThrownBy(() -> ConnectionPorts.connect(endpoint, 1024, forged, TlsCredentials.MANAGER)
                    .receive()).isInstanceOf(IOException.class);
            try (SocketChannel plain = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
                plain.write(ByteBuffer.wrap("hello?\n".getBytes()));
                while (plain.read(ByteBuffer.allocate(64)) >= 0) {
                    // until the manager closes it
                }
            }
        }
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(log.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("control connection refused: the TLS handshake with /127.0.0.1:")
                        && m.contains("only a remote with a certificate of this cluster's CA may connect")))
                .hasSize(2 * ports.size()));
        assertThat(manager.status()).allSatisfy(s -> assertThat(s.state()).isEqualTo(ServiceState.RUNNING));
    }

    @Test
    void everyStartHasACertificateOfItsOwn() throws Exception {
        X509Certificate first = serverCertificate();
        int starts = manager.status("server").starts();
        assertThat(first.getSubjectX500Principal().getName())
                .isEqualTo("CN=server,OU=start " + starts + ",O=services-cluster tlsdata");
        manager.restart("server");
        await().atMost(TIMEOUT).until(() -> manager.status("server").starts() == starts + 1
                && manager.status("server").state() == ServiceState.RUNNING);
        X509Certificate second = serverCertificate();
        assertThat(second.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
        assertThat(second.getPublicKey()).isNotEqualTo(first.getPublicKey());
        assertThat(second.getSubjectX500Principal().getName()).contains("OU=start " + (starts + 1));
    }

    /** R8 over TLS: a spawned child inherits its parent's transport, and its parent reaches it. */
    @Test
    void aChildSpawnedUnderTlsServesItsParentOverTls(@TempDir Path childState) throws Exception {
        ClusterSpec cluster = ClusterSpec.builder("tlsspawn")
                .service(ServiceSpec.builder("parent").setting("spawn", "worker:class").options(TLS)
                        .permissions(new Permissions(Optional.empty(), List.of(), true, true))
                        .code(CodeSpec.ofClass(SpawningParent.class.getName(), TestClusters.testClasses())))
                .build();
        RecordingListener spawned = new RecordingListener();
        try (ServicesManager spawner = ServicesManager.builder(cluster).stateDir(childState).listener(spawned).build()) {
            spawner.start();
            await().atMost(TIMEOUT).until(() -> spawned.lines("parent", OutputStream.STDOUT)
                    .contains("ok spawn#0 worker echo:hello worker"));
            ClusterCa spawnCa = ClusterCa.of(spawner.runDirectory(), "tlsspawn");
            List<Integer> ports = listeningPorts(spawner.status("worker").pid().orElseThrow());
            assertThat(ports).hasSize(1);
            try (ByteChannel channel = ConnectionPorts.openChannel("tls:127.0.0.1:" + ports.get(0),
                    spawnCa.issue("probe", "start 1"), "worker")) {
                assertThat(ConnectionPorts.handshake(channel).orElseThrow().getSubjectX500Principal().getName())
                        .isEqualTo("CN=worker,OU=start 1,O=services-cluster tlsspawn");
            }
        }
    }

    /** The certificate the server's data endpoint presents to a client of the cluster. */
    private X509Certificate serverCertificate() throws Exception {
        try (ByteChannel channel = ConnectionPorts.openChannel(dataEndpoint("server"), ca.issue("probe", "start 1"),
                "server")) {
            return ConnectionPorts.handshake(channel).orElseThrow();
        }
    }

    /** Connects with {@code credentials}, says {@code first}, and returns the refusal; the connection must end after it. */
    private static String refusal(String endpoint, TlsCredentials credentials, DataMessage first) throws IOException {
        try (ByteChannel channel = ConnectionPorts.openChannel(endpoint, credentials, "server")) {
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

    private static void readFully(ByteChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("closed early");
            }
        }
    }

    /** The service's data endpoint: the TCP port its JVM listens on, as {@code tls:127.0.0.1:PORT}. */
    private String dataEndpoint(String service) throws IOException {
        List<Integer> ports = listeningPorts(manager.status(service).pid().orElseThrow());
        assertThat(ports).as("listening ports of %s", service).hasSize(1);
        return "tls:127.0.0.1:" + ports.get(0);
    }

    /** The manager's (this JVM's) TLS control ports: the 127.0.0.1 ports it listens on. */
    private static List<Integer> managerControlPorts() throws IOException {
        return listeningPorts(ProcessHandle.current().pid());
    }

    /** The TCP ports on 127.0.0.1 that process {@code pid} listens on. */
    private static List<Integer> listeningPorts(long pid) throws IOException {
        return ListeningPorts.of(pid, ListeningPorts.LOOPBACK);
    }
}
