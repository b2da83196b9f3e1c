package io.servicescluster.core.container.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.servicescluster.protocol.ConnectionPort;
import io.servicescluster.protocol.ConnectionPorts;
import io.servicescluster.protocol.ControlChannel;
import io.servicescluster.protocol.ControlMessage;
import io.servicescluster.protocol.ControlMessage.Heartbeat;
import io.servicescluster.protocol.ControlMessage.Hello;
import io.servicescluster.protocol.FrameException;
import io.servicescluster.protocol.FrameTooLargeException;
import io.servicescluster.protocol.TlsCredentials;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The {@code tls:} transport (R17) over real loopback TCP: the same frames, limits and ends as the
 * Unix-socket and pipe ports; the handshake refuses plain TCP, a foreign CA's certificate and a peer
 * of another name; the control socket logs each refusal; certificates are new per start.
 */
class TlsTransportTest {

    private static final int LIMIT = 1024;
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    private static ClusterCa ca;
    private static ClusterCa foreign;

    @TempDir
    Path dir;
    private ServerSocketChannel server;
    private ConnectionPort client;
    private ConnectionPort accepted;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(ControlSocket.class);

    @BeforeAll
    static void authorities() throws Exception {
        ca = ClusterCa.inMemory("shop");
        foreign = ClusterCa.inMemory("shop"); // same names, another key: what a forger would make
    }

    @BeforeEach
    void captureLog() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void closeAll() throws Exception {
        logger.detachAppender(log);
        if (client != null) {
            client.close();
        }
        if (accepted != null) {
            accepted.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private String listen() throws IOException {
        server = ConnectionPorts.listen(LOOPBACK, 0);
        return ConnectionPorts.tlsEndpoint((InetSocketAddress) server.getLocalAddress());
    }

    /** The server's side of the next connection, its handshake done on a thread of its own (as the acceptors do). */
    private CompletableFuture<ByteChannel> acceptSecured(TlsCredentials credentials) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                ByteChannel channel = ConnectionPorts.secure(server.accept(), credentials);
                ConnectionPorts.handshake(channel);
                return channel;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** A connected pair between two starts of the cluster: {@code client} sends with {@code clientLimit}. */
    private void connect(int clientLimit, int serverLimit) throws Exception {
        String endpoint = listen();
        CompletableFuture<ByteChannel> serverSide = acceptSecured(ca.issue("db", "start 1"));
        client = ConnectionPorts.connect(endpoint, clientLimit, ca.issue("api", "start 1"), "db");
        accepted = ConnectionPorts.wrap(serverSide.get(10, TimeUnit.SECONDS), serverLimit, "api");
    }

    @Test
    void framesArriveWholeAndInOrderInBothDirections() throws Exception {
        connect(1 << 20, 1 << 20);
        client.send(new byte[0]);
        client.send("hello".getBytes());
        assertThat(accepted.receive()).isEmpty();
        assertThat(accepted.receive()).isEqualTo("hello".getBytes());
        byte[] big = new byte[300_000]; // many TLS records
        Arrays.fill(big, (byte) 7);
        big[big.length - 1] = 9;
        CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
            try {
                return client.receive();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        accepted.send(big);
        assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo(big);
        new ControlChannel(client).send(new Heartbeat());
        assertThat(new ControlChannel(accepted).receive()).isEqualTo(new Heartbeat());
    }

    @Test
    void aFailedHandshakeClosesTheConnectionItselfAfterItsAlert() throws Exception {
        String endpoint = listen();
        try (SocketChannel plain = SocketChannel.open(ConnectionPorts.parseAddress(endpoint))) {
            ByteChannel secured = ConnectionPorts.secure(server.accept(), ca.issue("db", "start 1"));
            plain.write(ByteBuffer.wrap("GET / HTTP/1.1\r\n\r\n".getBytes()));
            assertThatThrownBy(() -> ConnectionPorts.handshake(secured)).isInstanceOf(SSLException.class);

            // JSSE closed the TCP connection itself (not left to its caller), after its alert: the
            // plain client reads at most the alert, then the end, not a reset. The read-ahead once
            // refused JSSE's 1 ms read timeout at its close, which stopped the close there
            CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
                ByteBuffer answer = ByteBuffer.allocate(1024);
                try {
                    while (plain.read(answer) >= 0) {
                        answer.clear();
                    }
                    return -1;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            try {
                assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo(-1);
            } finally {
                secured.close();
            }
        }
    }

    @Test
    void frameLimitsHoldOnBothSides() throws Exception {
        connect(LIMIT + 1, LIMIT);
        assertThatThrownBy(() -> client.send(new byte[LIMIT + 2])).isInstanceOf(FrameTooLargeException.class);
        assertThat(client.isOpen()).isTrue();
        client.send(new byte[LIMIT]);
        assertThat(accepted.receive()).hasSize(LIMIT);
        client.send(new byte[LIMIT + 1]);
        assertThatThrownBy(accepted::receive).isInstanceOfSatisfying(FrameTooLargeException.class,
                e -> assertThat(e.size()).isEqualTo(LIMIT + 1));
    }

    /**
     * The server's side ends here, as a dependency or the manager ends a connection: the client has
     * read all the server sent during the handshake (a client that never reads would leave TLS 1.3's
     * session ticket unread, and its close would reset the connection instead of ending it).
     */
    @Test
    void cleanEndIsEofAndAnEndInsideAFrameIsAFrameException() throws Exception {
        connect(LIMIT, LIMIT);
        new ControlChannel(accepted).send(new Heartbeat());
        accepted.close();
        assertThat(new ControlChannel(client).receive()).isEqualTo(new Heartbeat());
        assertThatThrownBy(client::receive).isInstanceOf(EOFException.class).isNotInstanceOf(FrameException.class);

        client.close();
        CompletableFuture<ByteChannel> serverSide = acceptSecured(ca.issue("db", "start 2"));
        client = ConnectionPorts.connect(ConnectionPorts.tlsEndpoint((InetSocketAddress) server.getLocalAddress()),
                LIMIT, ca.issue("api", "start 2"), "db");
        try (ByteChannel raw = serverSide.get(10, TimeUnit.SECONDS)) {
            raw.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 10, 1, 2, 3})); // 10 bytes announced, 3 sent
        }
        assertThatThrownBy(client::receive).isInstanceOf(FrameException.class)
                .hasMessageContaining("in the middle of a frame");
    }

    @Test
    void closeIsIdempotentWakesABlockedReaderAndNeverStallsASender() throws Exception {
        connect(LIMIT, LIMIT);
        CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
            try {
                accepted.receive();
                return null;
            } catch (Throwable e) {
                return e;
            }
        });
        // a reader blocked on the socket does not hold up a send on the same port
        accepted.send(new byte[] {5});
        assertThat(client.receive()).containsExactly(5);
        accepted.close();
        accepted.close();
        assertThat(accepted.isOpen()).isFalse();
        assertThat(reader.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> accepted.send(new byte[1])).isInstanceOf(IOException.class);
        assertThatThrownBy(client::receive).isInstanceOf(EOFException.class);
    }

    @Test
    void aCertificateOfAnotherCaIsRefusedByBothSides() throws Exception {
        String endpoint = listen();
        // a forged client that trusts the cluster's CA, so that only the server can refuse (a client
        // trusting the foreign CA alone could refuse first, and the server would see a broken pipe)
        TlsCredentials forgedCertificate = foreign.issue("api", "start 1");
        TlsCredentials forgedClient = TlsCredentials.of(forgedCertificate.key(), forgedCertificate.certificate(),
                ca.certificate());
        CompletableFuture<ByteChannel> serverSide = acceptSecured(ca.issue("db", "start 1"));
        assertThatThrownBy(() -> {
            // TLS 1.3: the client may finish its handshake before the server judges its certificate
            ByteChannel channel = ConnectionPorts.openChannel(endpoint, forgedClient, "db");
            channel.read(java.nio.ByteBuffer.allocate(1));
        }).isInstanceOf(IOException.class);
        assertThat(serverSide).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                .satisfies(failure -> assertThat(java.util.stream.Stream.iterate(failure, java.util.Objects::nonNull,
                        Throwable::getCause)).anyMatch(SSLException.class::isInstance));
        // a forged server: the client refuses it
        CompletableFuture<ByteChannel> forgedServer = acceptSecured(foreign.issue("db", "start 1"));
        assertThatThrownBy(() -> ConnectionPorts.openChannel(endpoint, ca.issue("api", "start 1"), "db"))
                .isInstanceOf(SSLException.class);
        assertThat(forgedServer).failsWithin(Duration.ofSeconds(10));
    }

    /** A client that trusts the cluster's CA but shows no certificate of its own. */
    @Test
    void aClientWithoutACertificateIsRefused() throws Exception {
        String endpoint = listen();
        CompletableFuture<ByteChannel> serverSide = acceptSecured(ca.issue("db", "start 1"));
        javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        java.security.KeyStore anchors = java.security.KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("ca", ca.certificate());
        trust.init(anchors);
        javax.net.ssl.SSLContext anonymous = javax.net.ssl.SSLContext.getInstance(TlsCredentials.PROTOCOL);
        anonymous.init(null, trust.getTrustManagers(), null);
        InetSocketAddress address = (InetSocketAddress) ConnectionPorts.parseAddress(endpoint);
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) anonymous.getSocketFactory()
                .createSocket(address.getAddress(), address.getPort())) {
            assertThatThrownBy(() -> { // TLS 1.3: the client may finish its handshake before the server judges it
                socket.startHandshake();
                socket.getInputStream().read();
            }).isInstanceOf(IOException.class);
        }
        assertThat(serverSide).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                .satisfies(failure -> assertThat(java.util.stream.Stream.iterate(failure, java.util.Objects::nonNull,
                        Throwable::getCause)).anyMatch(SSLException.class::isInstance));
    }

    @Test
    void aPeerOfTheClusterWithAnotherNameIsRefusedByTheClient() throws Exception {
        String endpoint = listen();
        CompletableFuture<ByteChannel> serverSide = acceptSecured(ca.issue("cache", "start 1"));
        assertThatThrownBy(() -> ConnectionPorts.openChannel(endpoint, ca.issue("api", "start 1"), "db"))
                .isInstanceOf(SSLException.class).hasMessageContaining("certificate of 'cache', not of 'db'");
        serverSide.handle((c, e) -> c).get(10, TimeUnit.SECONDS);
    }

    @Test
    void controlSocketRefusesAndLogsPlainTcpAForeignCertificateAndAnotherStartsHello() throws Exception {
        try (ControlSocket control = ControlSocket.bindTls(LOOPBACK, ca.manager(), "api")) {
            String endpoint = control.endpoint();
            assertThat(endpoint).startsWith("tls:127.0.0.1:");
            InetSocketAddress address = (InetSocketAddress) ConnectionPorts.parseAddress(endpoint);
            TlsCredentials start = ca.issue("api", "start 1");
            CompletableFuture<ControlSocket.Handshake> expected = control.expect(start.serial());

            // plain TCP: a hello in the clear
            try (SocketChannel plain = SocketChannel.open(address)) {
                plain.write(ByteBuffer.wrap(io.servicescluster.protocol.ControlCodec.encode(
                        new Hello(ControlMessage.PROTOCOL_VERSION, start.serial(), 1, ""))));
                ByteBuffer answer = ByteBuffer.allocate(64);
                while (plain.read(answer) >= 0) { // at most a TLS alert, then the end
                    assertThat(answer.position()).isLessThan(16);
                }
            }
            awaitLogged("TLS handshake with /127.0.0.1:");
            // a certificate of another CA, for the same names
            assertThatThrownBy(() -> ConnectionPorts.connect(endpoint, LIMIT, foreign.issue("api", "start 1"),
                    TlsCredentials.MANAGER).receive()).isInstanceOf(IOException.class);
            awaitLogged("only a remote with a certificate of this cluster's CA may connect");
            // a certificate of this cluster, but of another start than the token it says
            TlsCredentials other = ca.issue("cache", "start 1");
            try (ConnectionPort port = ConnectionPorts.connect(endpoint, LIMIT, other, TlsCredentials.MANAGER)) {
                new ControlChannel(port).send(new Hello(ControlMessage.PROTOCOL_VERSION, start.serial(), 2, ""));
                assertThatThrownBy(port::receive).isInstanceOf(IOException.class);
            }
            awaitLogged("names another start than the certificate it presented (CN=cache");
            assertThat(expected).isNotDone();

            // the start itself connects, and speaks
            try (ConnectionPort port = ConnectionPorts.connect(endpoint, LIMIT, start, TlsCredentials.MANAGER)) {
                new ControlChannel(port).send(new Hello(ControlMessage.PROTOCOL_VERSION, start.serial(), 3, ""));
                ControlSocket.Handshake handshake = expected.get(10, TimeUnit.SECONDS);
                assertThat(handshake.hello().pid()).isEqualTo(3);
                handshake.channel().send(new Heartbeat());
                assertThat(new ControlChannel(port).receive()).isEqualTo(new Heartbeat());
                handshake.channel().close();
            }
        }
    }

    @Test
    void aRemoteRefusesAControlServerThatIsNotTheManager() throws Exception {
        String endpoint = listen();
        CompletableFuture<ByteChannel> impostor = acceptSecured(ca.issue("cache", "start 1"));
        assertThatThrownBy(() -> ConnectionPorts.connect(endpoint, LIMIT, ca.issue("api", "start 1"),
                TlsCredentials.MANAGER)).hasMessageContaining("not of '" + TlsCredentials.MANAGER + "'");
        impostor.handle((c, e) -> c).get(10, TimeUnit.SECONDS);
    }

    @Test
    void everyStartGetsAKeyAndCertificateOfItsOwnNamedForIt() throws Exception {
        TlsCredentials first = ca.issue("api", "start 1");
        TlsCredentials second = ca.issue("api", "start 2");
        assertThat(first.serial()).isNotEqualTo(second.serial());
        assertThat(first.key().getEncoded()).isNotEqualTo(second.key().getEncoded());
        assertThat(first.certificate().getSubjectX500Principal().getName())
                .isEqualTo("CN=api,OU=start 1,O=services-cluster shop");
        assertThat(TlsCredentials.commonName(second.certificate())).isEqualTo("api");
        assertThat(first.certificate().getPublicKey().getAlgorithm()).isEqualTo("EC");
        first.certificate().verify(ca.certificate().getPublicKey());
        // what a remote receives reads back whole
        TlsCredentials read = TlsCredentials.fromPem(first.toPem());
        assertThat(read.certificate()).isEqualTo(first.certificate());
        assertThat(read.authority()).isEqualTo(ca.certificate());
        assertThat(read.key().getEncoded()).isEqualTo(first.key().getEncoded());
        assertThatThrownBy(() -> TlsCredentials.fromPem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
                .isInstanceOf(IOException.class).hasMessageContaining("three PEM blocks");
        String[] blocks = first.toPem().split("(?<=-----\n)(?=-----BEGIN)");
        assertThatThrownBy(() -> TlsCredentials.fromPem(blocks[0]
                + "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" + blocks[2]))
                .isInstanceOf(IOException.class).hasMessageContaining("unreadable TLS credentials");
        java.security.KeyPairGenerator rsa = java.security.KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        assertThatThrownBy(() -> TlsCredentials.of(rsa.generateKeyPair().getPrivate(), first.certificate(),
                ca.certificate())).isInstanceOf(java.security.GeneralSecurityException.class)
                .hasMessageContaining("a RSA key for a certificate of a EC key");
    }

    @Test
    void theCaLivesInTheRunFolderPrivatelyAndIsOnePerCluster() throws Exception {
        Path run = Files.createDirectory(dir.resolve("run"));
        ClusterCa made = ClusterCa.of(run, "shop");
        assertThat(ClusterCa.of(run, "shop")).isSameAs(made);
        assertThat(Files.getPosixFilePermissions(run.resolve("tls")))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(run.resolve("tls/ca.pem")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(TlsCredentials.fromPem(Files.readString(run.resolve("tls/ca.pem"))).certificate())
                .isEqualTo(made.certificate());
        assertThat(ClusterCa.of(Files.createDirectory(dir.resolve("other")), "shop").certificate())
                .isNotEqualTo(made.certificate());
    }

    private void awaitLogged(String text) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(log.list)
                .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains(text)));
    }
}
